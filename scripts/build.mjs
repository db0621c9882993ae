// Bundles the skill for AWS Lambda and the `winddown` command, then packs the Lambda zip.
//
// - dist/lambda/index.js: the skill, one minified CommonJS file exporting `handler`. Everything it needs
//   is inside, except the AWS SDK v3 that the Lambda Node.js 24 runtime provides.
// - dist/lambda/dynamodb.js (when lambda/persistence/dynamodb-entry.ts exists): the DynamoDB
//   persistence adapter, in a file of its own so that only skills configured with a table load it (the
//   skill requires it at run time by that path). It leaves the AWS SDK v3 to the runtime too: loaded
//   from there, a cold start with a table is faster than with the SDK bundled (see bench, cold.table).
// - dist/cli/winddown.js: the `winddown` command (the bridge, its set-up, and the local run), and
//   dist/cli/winddown-bridge.js: the bridge alone, each with the bridge's libraries inside.
// - dist/winddown-lambda.zip: what `ask deploy` or the Lambda console uploads.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const lambdaEntry = join(root, 'lambda/index.ts');
const dynamoEntry = join(root, 'lambda/persistence/dynamodb-entry.ts');
const cliEntries = [
  { entry: join(root, 'local/main.ts'), out: 'cli/winddown.js' },
  { entry: join(root, 'devices/main.ts'), out: 'cli/winddown-bridge.js' },
];

/** Packages only `winddown start` / `say` load (and pino-pretty, only for a person at a terminal). */
const LOCAL_RUN_PACKAGES = ['aedes', 'ask-sdk-core', 'ask-sdk-model', 'ask-sdk-express-adapter', 'pino-pretty'];

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };
// The Lambda runtime named in ask-resources.json (nodejs24.x); the command keeps to package.json's engines.
const lambdaTarget = 'node24';

/**
 * The end-of-support AWS SDK v2 (9.9 MB, ~450 ms per cold start, 30 s of retries on an unreachable
 * table) must never come back into the Lambda through a dependency: fail the build if it does.
 */
function assertNoSdkV2(files) {
  const markers = [/require\(["']aws-sdk(\/[^"']*)?["']\)/, /AWS SDK for JavaScript \(v2\)/, /DynamoDbPersistenceAdapter/];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const hit = markers.find((marker) => marker.test(text));
    if (hit) throw new Error(`${file} contains the AWS SDK v2 (${hit}); the skill uses SDK v3 only`);
  }
}

if (existsSync(lambdaEntry)) {
  await build({
    ...common,
    target: lambdaTarget,
    entryPoints: [lambdaEntry],
    outfile: join(dist, 'lambda/index.js'),
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*', './dynamodb.js'],
    metafile: true,
  });
  const lambdaFiles = ['index.js'];
  if (existsSync(dynamoEntry)) {
    await build({ ...common, target: lambdaTarget, entryPoints: [dynamoEntry], outfile: join(dist, 'lambda/dynamodb.js'), minify: true, external: ['@aws-sdk/*'] });
    lambdaFiles.push('dynamodb.js');
  }
  assertNoSdkV2(lambdaFiles.map((name) => join(dist, 'lambda', name)));
  writeZip(
    join(dist, 'winddown-lambda.zip'),
    lambdaFiles.map((name) => ({ name, data: readFileSync(join(dist, 'lambda', name)) })),
  );
  const kb = (file) => (statSync(join(dist, file)).size / 1024).toFixed(1);
  console.log(`dist/lambda/index.js ${kb('lambda/index.js')} KB; dist/winddown-lambda.zip ${kb('winddown-lambda.zip')} KB`);
}

for (const { entry, out } of cliEntries) {
  if (!existsSync(entry)) continue;
  const outfile = join(dist, out);
  await build({
    ...common,
    entryPoints: [entry],
    outfile,
    sourcemap: true,
    minify: true,
    // The bridge's libraries are bundled: a Raspberry Pi then loads one compact file instead of hundreds
    // of modules, which keeps the bridge's resident memory near what the libraries themselves need
    // (npm run bench: bridge process RSS). What only the local run uses stays in node_modules and is
    // loaded when `start` or `say` runs (Aedes ships as an ES module and must stay a package).
    external: LOCAL_RUN_PACKAGES,
    alias: { 'form-data': join(root, 'scripts/bundle/no-form-data.js') },
    // The entry's own `#!/usr/bin/env node` line is kept by esbuild; a banner would add a second.
  });
  chmodSync(outfile, 0o755);
  console.log(`dist/${out} built`);
}

/** A plain deflate zip: all a Lambda upload needs, without another dependency. */
function writeZip(path, files) {
  const chunks = [];
  const central = [];
  let offset = 0;
  const dosTime = 0; // fixed timestamps keep the zip reproducible
  const dosDate = (1 << 5) | 1; // 1980-01-01
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(basename(name));
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, nameBytes, compressed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by Unix, so the mode below counts
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(dosTime, 12);
    entry.writeUInt16LE(dosDate, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat([...chunks, ...central, end]));
}
