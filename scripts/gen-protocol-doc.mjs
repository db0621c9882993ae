// Writes docs/protocol.md from scripts/gen-protocol-doc.ts (the topics, schemas and limits in src/protocol),
// so the protocol's documentation can never drift from the code. Run after changing the protocol:
//   node scripts/gen-protocol-doc.mjs          (write)
//   node scripts/gen-protocol-doc.mjs --check  (exit 1 if the committed document is out of date)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(root, 'scripts/gen-protocol-doc.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  write: false,
  logLevel: 'warning',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(join(root, 'package.json')));
const text = mod.exports.renderProtocolDoc();

const file = join(root, 'docs/protocol.md');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error('docs/protocol.md is out of date: run node scripts/gen-protocol-doc.mjs');
    process.exit(1);
  }
  console.log('docs/protocol.md is up to date');
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote docs/protocol.md (${text.length} characters)`);
}
