// Runs a TypeScript bench without a TypeScript loader: esbuild bundles bench/<name>.ts and the child
// drivers in bench/drivers/ into node_modules/.cache/winddown-bench/<pid>/ (CommonJS, dependencies left
// in node_modules, source maps inline), then node runs the one asked for. The build is removed after.
//
//   node bench/run.mjs main [--smoke]     the benchmark table (npm run bench / bench:smoke)
//   node bench/run.mjs soak [--smoke]     the many-homes soak (npm run soak / soak:smoke)
//   node bench/run.mjs oversized [MB]     one oversized publish to a bridge (npm run bench:oversized)
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
if (!name || !existsSync(join(root, 'bench', `${name}.ts`))) {
  console.error('usage: node bench/run.mjs <main|soak|oversized> [--smoke | megabytes]');
  process.exit(2);
}

const outdir = join(root, 'node_modules/.cache/winddown-bench', String(process.pid));
const drivers = readdirSync(join(root, 'bench/drivers')).filter((f) => f.endsWith('.ts'));
const entryPoints = { [name]: join(root, 'bench', `${name}.ts`) };
for (const file of drivers) entryPoints[`drivers/${file.slice(0, -3)}`] = join(root, 'bench/drivers', file);

await build({
  entryPoints,
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});

const child = spawn(process.execPath, ['--enable-source-maps', '--expose-gc', join(outdir, `${name}.cjs`), ...args], {
  stdio: 'inherit',
  env: { ...process.env, WINDDOWN_BENCH_BUILD: outdir, WINDDOWN_ROOT: root },
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  rmSync(outdir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
