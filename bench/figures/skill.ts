/**
 * The skill's figures: bundle size, cold load against two references bundled the same way in the
 * same run (and with a DynamoDB table set, against dynalite on loopback), a launch whose table does not
 * answer, and warm LaunchRequest latency with the home link publishing to a real broker.
 */
import { build, type BuildOptions } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startAedes } from '../../local/broker';
import { startDynalite, startSilentServer } from '../../test/support/dynalite';
import { driverPath, driverResult, ROOT, runProcess } from '../lib/proc';
import { benchKeyHex } from '../lib/commands';
import { figure, skipped, type Figure } from '../lib/report';
import { summarize, type Summary } from '../lib/stats';

/** The built skill; WINDDOWN_BENCH_SKILL points at another build to compare (e.g. before a change). */
export const SKILL_BUNDLE = process.env.WINDDOWN_BENCH_SKILL ?? join(ROOT, 'dist/lambda/index.js');
export const BUNDLE_LIMIT_KB = 550;
export const COLD_RATIO_LIMIT = 1.2;
/** Requiring the skill against requiring the floor: what only some requests need is loaded when they come. */
export const COLD_REQUIRE_RATIO_LIMIT = 1.0;
/** Skill + DynamoDB adapter + SDK loaded, one request answered by the table, against the floor. */
export const COLD_TABLE_RATIO_LIMIT = 3;
/** Alexa gives up at about 8 s; a launch whose table does not answer must still be spoken well before. */
export const UNREACHABLE_LIMIT_MS = 4000;
export const WARM_P99_LIMIT_MS = 5;

const kb = (bytes: number): number => bytes / 1024;

export function bundleSize(): Figure {
  if (!existsSync(SKILL_BUNDLE)) return skipped('bundle.size', 'bundle size, dist/lambda/index.js', 'not built: run npm run build', `≤ ${BUNDLE_LIMIT_KB} KB`);
  return figure({
    id: 'bundle.size',
    figure: 'bundle size, dist/lambda/index.js',
    unit: 'KB',
    value: kb(statSync(SKILL_BUNDLE).size),
    target: { on: 'value', max: BUNDLE_LIMIT_KB },
    notes: 'KB = 1024 bytes; minified CommonJS from scripts/build.mjs',
  });
}

/** The two reference skills, bundled with the options scripts/build.mjs uses for the real one. */
async function bundleReferences(dir: string): Promise<{ hello: string; floor: string }> {
  const options: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node24', // as scripts/build.mjs builds the skill for the Lambda runtime
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
    absWorkingDir: ROOT,
  };
  const hello = join(dir, 'hello.js');
  const floor = join(dir, 'floor.js');
  await build({ ...options, entryPoints: [join(ROOT, 'bench/fixtures/hello-skill.ts')], outfile: hello });
  await build({ ...options, entryPoints: [join(ROOT, 'bench/fixtures/floor-skill.ts')], outfile: floor });
  return { hello, floor };
}

interface ColdSample {
  loadMs: number;
  launchMs: number;
  totalMs: number;
  bootMs: number;
  speech: boolean;
}

/** One sample over another: the ratio of medians, and of p99s, with an optional limit on the median. */
function ratio(id: string, name: string, over: Summary, under: Summary, limit?: number): Figure {
  return figure({
    id,
    figure: name,
    unit: '×',
    summary: { ...over, median: over.median / under.median, p99: over.p99 / under.p99 },
    ...(limit === undefined ? {} : { target: { on: 'median' as const, max: limit }, targetText: `median ≤ ${limit}×` }),
    notes: 'ratio of medians (p99 column: ratio of p99s)',
  });
}

export async function coldLoad(runs: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'winddown-cold-'));
  const broker = await startAedes();
  const dynamo = await startDynalite('winddown-bench');
  try {
    const refs = await bundleReferences(dir);
    const skills: { key: 'hello' | 'floor' | 'skill' | 'table' | 'question'; name: string; file: string; env?: NodeJS.ProcessEnv; request?: 'question' }[] = [
      { key: 'hello', name: 'hello-world ask-sdk-core', file: refs.hello },
      { key: 'floor', name: 'floor: ask-sdk-core + mqtt.js publish', file: refs.floor },
    ];
    const haveSkill = existsSync(SKILL_BUNDLE);
    if (haveSkill) skills.push({ key: 'skill', name: 'Wind Down skill', file: SKILL_BUNDLE }, { key: 'question', name: 'Wind Down skill, a question first', file: SKILL_BUNDLE, request: 'question' });
    const haveTable = haveSkill && existsSync(join(dirname(SKILL_BUNDLE), 'dynamodb.js'));
    if (haveTable) skills.push({ key: 'table', name: 'Wind Down skill, DynamoDB table set', file: SKILL_BUNDLE, env: dynamo.env });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WINDDOWN_MQTT_URL: broker.url,
      WINDDOWN_HOME_ID: 'bench-home',
      WINDDOWN_HOME_KEY: benchKeyHex('bench-home'),
      WINDDOWN_STATE_DIR: join(dir, 'state'),
      WINDDOWN_PUBLISH_TIMEOUT_MS: '3000',
    };
    const samples = new Map<string, ColdSample[]>(skills.map((s) => [s.key, []]));
    const walls = new Map<string, number[]>(skills.map((s) => [s.key, []]));
    // Interleaved, in a rotating order, so a busy moment on the machine lands on all of them alike.
    for (let i = 0; i < runs + 1; i++) {
      const order = skills.map((_, k) => skills[(k + i) % skills.length]!);
      for (const skill of order) {
        const run = await runProcess([driverPath('cold-launch'), skill.file, skill.request ?? 'launch'], { ...env, ...skill.env });
        const result = driverResult<ColdSample>(run);
        if (!result.speech) throw new Error(`${skill.name} answered without speech`);
        if (i === 0) continue; // the first round warms the file system cache
        samples.get(skill.key)!.push(result);
        walls.get(skill.key)!.push(run.wallMs);
      }
    }
    const beside = (s: (typeof skills)[number]): string | null => (s.key === 'table' ? 'dynamodb.js' : s.key === 'question' ? 'faq.js' : null);
    const sizeOf = (s: (typeof skills)[number]): number => {
      const part = beside(s);
      const partFile = part === null ? null : join(dirname(s.file), part);
      return statSync(s.file).size + (partFile !== null && existsSync(partFile) ? statSync(partFile).size : 0);
    };
    const sizes = Object.fromEntries(skills.map((s) => [s.key, Math.round(kb(sizeOf(s)) * 10) / 10]));
    const figures: Figure[] = [];
    const stats = new Map(skills.map((s) => [s.key, summarize(samples.get(s.key)!.map((x) => x.totalMs))]));
    for (const skill of skills) {
      const list = samples.get(skill.key)!;
      figures.push(
        figure({
          id: `cold.${skill.key}`,
          figure: `cold load, ${skill.name}`,
          unit: 'ms',
          summary: stats.get(skill.key)!,
          notes:
            skill.key === 'table'
              ? `require + first LaunchRequest in a fresh node, reading and saving through dynalite on loopback; index.js + dynamodb.js ${sizes[skill.key]} KB, the AWS SDK v3 loaded from node_modules as the Lambda runtime provides it`
              : skill.key === 'question'
                ? `require + a first AskQuestionIntent, which loads the FAQ and builds its index (faq.js beside index.js when built apart, ${sizes[skill.key]} KB in all)`
                : `require + first LaunchRequest in a fresh node; bundle ${sizes[skill.key]} KB`,
          detail: {
            requireMs: summarize(list.map((x) => x.loadMs)),
            launchMs: summarize(list.map((x) => x.launchMs)),
            processWallMs: summarize(walls.get(skill.key)!),
            bundleKb: sizes[skill.key],
          },
        }),
      );
    }
    if (!haveSkill) {
      figures.push(skipped('cold.ratio.floor', 'cold load, skill ÷ floor', 'dist/lambda/index.js not built', `≤ ${COLD_RATIO_LIMIT}×`));
      return figures;
    }
    const skill = stats.get('skill')!;
    const floor = stats.get('floor')!;
    const hello = stats.get('hello')!;
    const requireOf = (key: string): Summary => summarize(samples.get(key)!.map((x) => x.loadMs));
    figures.push(
      ratio('cold.ratio.floor', 'cold load, skill ÷ floor', skill, floor, COLD_RATIO_LIMIT),
      ratio('cold.ratio.require', 'require alone, skill ÷ floor', requireOf('skill'), requireOf('floor'), COLD_REQUIRE_RATIO_LIMIT),
      ratio('cold.ratio.hello', 'cold load, skill ÷ hello-world', skill, hello),
    );
    const table = stats.get('table');
    figures.push(
      table === undefined
        ? skipped('cold.ratio.table', 'cold load with a table, skill ÷ floor', 'dist/lambda/dynamodb.js not built', `≤ ${COLD_TABLE_RATIO_LIMIT}×`)
        : ratio('cold.ratio.table', 'cold load with a table, skill ÷ floor', table, floor, COLD_TABLE_RATIO_LIMIT),
    );
    return figures;
  } finally {
    await dynamo.close();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A cold launch whose DynamoDB table accepts connections and never answers (the worst case: a refused
 * connection fails at once). The SDK's timeouts and the skill's per-request budget must let the session
 * be spoken long before Alexa's 8 s.
 */
export async function unreachableTable(runs: number): Promise<Figure> {
  const name = 'cold launch, DynamoDB table not answering';
  const target = `p99 ≤ ${UNREACHABLE_LIMIT_MS} ms`;
  if (!existsSync(join(dirname(SKILL_BUNDLE), 'dynamodb.js'))) return skipped('cold.table.unreachable', name, 'dist/lambda/dynamodb.js not built', target);
  const broker = await startAedes();
  const silent = await startSilentServer();
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WINDDOWN_MQTT_URL: broker.url,
      WINDDOWN_HOME_ID: 'bench-home',
      WINDDOWN_HOME_KEY: benchKeyHex('bench-home'),
      WINDDOWN_DYNAMODB_TABLE: 'winddown-bench',
      AWS_ENDPOINT_URL_DYNAMODB: silent.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    };
    const totals: number[] = [];
    for (let i = 0; i < runs; i++) {
      const result = driverResult<ColdSample>(await runProcess([driverPath('cold-launch'), SKILL_BUNDLE], env));
      if (!result.speech) throw new Error('the launch with an unanswering table was not spoken');
      totals.push(result.totalMs);
    }
    return figure({
      id: 'cold.table.unreachable',
      figure: name,
      unit: 'ms',
      summary: summarize(totals),
      target: { on: 'p99', max: UNREACHABLE_LIMIT_MS },
      notes: `require + first LaunchRequest, spoken, with AWS_ENDPOINT_URL_DYNAMODB at a server that accepts and never answers (${silent.connections()} connections made)`,
    });
  } finally {
    await silent.close();
    await broker.close();
  }
}

interface WarmResult {
  samples: number[];
  published: number;
}

export async function warmLaunch(runs: number): Promise<Figure[]> {
  const name = 'warm LaunchRequest, in-process, publishing';
  if (!existsSync(SKILL_BUNDLE)) return [skipped('warm.launch', name, 'dist/lambda/index.js not built', `p99 ≤ ${WARM_P99_LIMIT_MS} ms`)];
  const dir = mkdtempSync(join(tmpdir(), 'winddown-warm-'));
  const broker = await startAedes();
  let published = 0;
  broker.aedes.on('publish', (packet, client) => {
    if (client !== null && packet.topic === 'winddown/bench-home/cmd') published += 1;
  });
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WINDDOWN_MQTT_URL: broker.url,
      WINDDOWN_HOME_ID: 'bench-home',
      WINDDOWN_HOME_KEY: benchKeyHex('bench-home'),
      WINDDOWN_STATE_DIR: join(dir, 'state'),
    };
    const run = await runProcess([driverPath('warm-launch'), SKILL_BUNDLE, String(runs)], env, 10 * 60_000);
    const result = driverResult<WarmResult>(run);
    // The same requests with no home link configured: what the skill costs without the broker's round trip.
    const alone = driverResult<WarmResult>(await runProcess([driverPath('warm-launch'), SKILL_BUNDLE, String(runs)], { ...env, WINDDOWN_MQTT_URL: undefined }, 10 * 60_000));
    return [figure({
      id: 'warm.launch',
      figure: name,
      unit: 'ms',
      summary: summarize(result.samples),
      target: { on: 'p99', max: WARM_P99_LIMIT_MS },
      notes: `handler(LaunchRequest) until the response, PUBACK from a loopback Aedes included; ${published} commands reached the broker for ${result.published} requests`,
      detail: { commandsAtBroker: published, requests: result.published },
    }),
    figure({
      id: 'warm.launch.alone',
      figure: 'warm LaunchRequest, no home link',
      unit: 'ms',
      summary: summarize(alone.samples),
      notes: 'the same requests with WINDDOWN_MQTT_URL unset: the skill alone, without the PUBACK wait',
    })];
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
