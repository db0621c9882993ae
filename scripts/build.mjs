// Bundles the skill for AWS Lambda and the `winddown` command, then packs the Lambda zip.
//
// - dist/lambda/index.js: the skill, one minified CommonJS file exporting `handler`. Everything it needs
//   is inside, except the AWS SDK v3 that the Lambda Node.js 24 runtime provides.
// - dist/lambda/dynamodb.js (when lambda/persistence/dynamodb-entry.ts exists): the DynamoDB
//   persistence adapter, in a file of its own so that only skills configured with a table load it (the
//   skill requires it at run time by that path). It leaves the AWS SDK v3 to the runtime too: loaded
//   from there, a cold start with a table is faster than with the SDK bundled (see bench, cold.table).
// - dist/lambda/faq.js: the FAQ and its search index (lambda/faq-entry.ts), required on an instance's
//   first question, the same way: "Alexa, start wind down" never reads or compiles it. Likewise
//   dist/lambda/apl.js, the Echo Show's documents (lambda/apl-entry.ts), on the first response to a
//   device with a screen, and dist/lambda/pairing.js, the sealing of a pairing key and its MQTT exchange
//   (lambda/pairing-entry.ts), on the first "pair my home".
// - The spoken content (scripts, FAQ) is checked against its schemas here, once, and shipped as
//   accepted, so a cold start does not check the same fixed content again (src/content/validate.ts).
// - dist/cli/winddown.js: the `winddown` command (the bridge, its set-up, and the local run), and
//   dist/cli/winddown-bridge.js: the bridge alone, each with the bridge's libraries inside.
// - dist/winddown-lambda.zip: what `ask deploy` or the Lambda console uploads.
import { build } from 'esbuild';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const lambdaEntry = join(root, 'lambda/index.ts');
const dynamoEntry = join(root, 'lambda/persistence/dynamodb-entry.ts');
/**
 * Parts of the skill only some requests need, each in a file of its own beside index.js. The source
 * requires `lambda/<entry>` inside the function that needs it; in the bundle that require names the
 * built file instead, so the module is read and compiled on the first request that needs it.
 */
const LAZY_PARTS = [
  { entry: join(root, 'lambda/faq-entry.ts'), out: 'faq.js' },
  { entry: join(root, 'lambda/apl-entry.ts'), out: 'apl.js' },
  { entry: join(root, 'lambda/pairing-entry.ts'), out: 'pairing.js' },
];
const contentCheck = join(root, 'src/content/validate.ts');
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

/** `require('./faq-entry')` and the like become requires of the lazy parts' built files. */
const lazyParts = {
  name: 'lazy-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const part = LAZY_PARTS.find(({ entry }) => entry.replace(/\.ts$/, '') === join(args.resolveDir, args.path).replace(/\.ts$/, ''));
      return part ? { path: `./${part.out}`, external: true } : undefined;
    });
  },
};

/**
 * Checks the spoken content by loading it from source, as the source tree does (a script or answer
 * that does not match its schema fails the build), then lets the Lambda ship it without the check.
 */
async function checkContent() {
  const out = join(dist, 'content-check.cjs');
  await build({ ...common, entryPoints: [join(root, 'scripts/bundle/content.ts')], outfile: out });
  createRequire(import.meta.url)(out);
  rmSync(out);
}
const checkedContent = {
  name: 'checked-content',
  setup(b) {
    b.onLoad({ filter: /validate\.ts$/ }, (args) =>
      args.path === contentCheck
        ? { loader: 'js', contents: 'const accepted = (sources) => Object.freeze(sources.slice());\nexport { accepted as validScripts, accepted as validFaq };\n' }
        : undefined,
    );
  },
};

if (existsSync(lambdaEntry)) {
  await checkContent();
  const lambdaBuild = { ...common, target: lambdaTarget, minify: true, external: ['@aws-sdk/*'], plugins: [checkedContent] };
  await build({
    ...lambdaBuild,
    entryPoints: [lambdaEntry],
    outfile: join(dist, 'lambda/index.js'),
    sourcemap: true,
    external: ['@aws-sdk/*', './dynamodb.js'],
    plugins: [checkedContent, lazyParts],
    alias: { 'worker-timers': join(root, 'scripts/bundle/no-worker-timers.js') },
    metafile: true,
  });
  const lambdaFiles = ['index.js'];
  for (const { entry, out } of LAZY_PARTS) {
    await build({ ...lambdaBuild, entryPoints: [entry], outfile: join(dist, 'lambda', out) });
    lambdaFiles.push(out);
  }
  if (existsSync(dynamoEntry)) {
    await build({ ...lambdaBuild, entryPoints: [dynamoEntry], outfile: join(dist, 'lambda/dynamodb.js') });
    lambdaFiles.push('dynamodb.js');
  }
  assertNoSdkV2(lambdaFiles.map((name) => join(dist, 'lambda', name)));
  await writeZip(
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

/**
 * The Lambda upload, packed by yazl. Every entry gets the same timestamp (1980-01-01, the earliest a zip
 * can hold) and mode, so the same bundle always makes the same zip, byte for byte. The date is given in
 * local time and written in the DOS field only, which holds local time: that keeps the bytes the same in
 * every time zone (yazl's extra Unix timestamp would be UTC, and differ).
 */
async function writeZip(path, files) {
  const zip = new yazl.ZipFile();
  const mtime = new Date(1980, 0, 1);
  for (const { name, data } of files) zip.addBuffer(data, name, { mtime, mode: 0o100644, compressionLevel: 9, forceDosTimestamp: true });
  zip.end();
  mkdirSync(dirname(path), { recursive: true });
  await pipeline(zip.outputStream, createWriteStream(path));
}
