// Writes skill-package/skill.json and interactionModels/custom/<locale>.json from
// scripts/skill-model.ts, so the five locales can never drift apart. Run after editing the source:
//   node scripts/gen-skill-package.mjs          (write)
//   node scripts/gen-skill-package.mjs --check  (exit 1 if the committed JSON is out of date)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(root, 'scripts/skill-model.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
const source = mod.exports;

const files = new Map();
files.set('skill-package/skill.json', source.skillManifest());
for (const locale of source.LOCALES) {
  files.set(`skill-package/interactionModels/custom/${locale}.json`, source.interactionModel(locale));
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, json] of files) {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const full = join(root, path);
  if (check) {
    let current = '';
    try { current = readFileSync(full, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) { stale++; console.error(`out of date: ${path}`); }
  } else {
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) { console.error('run: node scripts/gen-skill-package.mjs'); process.exit(1); }
