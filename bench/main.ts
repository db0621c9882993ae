/**
 * `npm run bench`: every figure of the performance budget, measured in one run, printed as a table
 * (figure, median, p99, target, PASS/FAIL) and written to bench/results.json.
 * `npm run bench:smoke` runs each part briefly so CI keeps it working; its numbers are not the
 * results and go to bench/results.local.json.
 */
import { join } from 'node:path';
import { bridgeRss, lightScaling, mqttToHue, schedulingError } from './figures/bridge';
import { bridgeProcessRss } from './figures/bridge-process';
import { planCompile } from './figures/engine';
import { bundleSize, coldLoad, unreachableTable, warmLaunch } from './figures/skill';
import { ROOT } from './lib/proc';
import { environment, renderTable, writeResults, type Figure } from './lib/report';
import { nowMs } from './lib/stats';

export interface BenchPlan {
  smoke: boolean;
  coldRuns: number;
  unreachableRuns: number;
  warmRuns: number;
  compileRuns: number;
  scheduleSeconds: number;
  /** Sessions the scheduling seconds are spread over, each on a fresh bridge (its first steps apart). */
  scheduleSessions: number;
  latencySamples: number;
  rssMinutes: number;
  /** How long the bridge process breathes while its memory is read. */
  processSeconds: number;
  scaleSeconds: number;
  lightCounts: number[];
}

const FULL: BenchPlan = {
  smoke: false,
  coldRuns: 40,
  unreachableRuns: 10,
  warmRuns: 1000,
  compileRuns: 200,
  scheduleSeconds: 90,
  scheduleSessions: 6,
  latencySamples: 200,
  rssMinutes: 60,
  processSeconds: 60,
  scaleSeconds: 30,
  lightCounts: [1, 10, 50],
};
const SMOKE: BenchPlan = {
  smoke: true,
  coldRuns: 4,
  unreachableRuns: 2,
  warmRuns: 100,
  compileRuns: 20,
  scheduleSeconds: 4,
  scheduleSessions: 2,
  latencySamples: 20,
  rssMinutes: 5,
  processSeconds: 8,
  scaleSeconds: 3,
  lightCounts: [1, 10, 50],
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const plan = args.includes('--smoke') ? SMOKE : FULL;
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const wants = (part: string): boolean => !only || only.includes(part);
  const started = nowMs();
  const figures: Figure[] = [];
  const step = async (part: string, label: string, run: () => Promise<Figure[] | Figure> | Figure[] | Figure): Promise<void> => {
    if (!wants(part)) return;
    process.stderr.write(`bench: ${label}…\n`);
    const t0 = nowMs();
    const out = await run();
    figures.push(...(Array.isArray(out) ? out : [out]));
    process.stderr.write(`bench: ${label} done in ${((nowMs() - t0) / 1000).toFixed(1)} s\n`);
  };

  await step('bundle', 'bundle size', () => bundleSize());
  await step('cold', `cold load (${plan.coldRuns} runs of each skill)`, () => coldLoad(plan.coldRuns));
  await step('unreachable', `cold launch with a table that never answers (${plan.unreachableRuns} runs)`, () => unreachableTable(plan.unreachableRuns));
  await step('warm', `warm LaunchRequest (${plan.warmRuns} requests)`, () => warmLaunch(plan.warmRuns));
  await step('compile', `plan compile (${plan.compileRuns} runs)`, () => planCompile(plan.compileRuns));
  await step('schedule', `scheduling error, idle (${plan.scheduleSessions} sessions, ${plan.scheduleSeconds} s)`, () => schedulingError(plan.scheduleSeconds, false, plan.scheduleSessions));
  await step('schedule', `scheduling error, a core kept busy (${plan.scheduleSessions} sessions, ${plan.scheduleSeconds} s)`, () => schedulingError(plan.scheduleSeconds, true, plan.scheduleSessions));
  await step('latency', `MQTT in → Hue out (${plan.latencySamples} sessions)`, () => mqttToHue(plan.latencySamples));
  await step('rss', `bridge memory over a ${plan.rssMinutes}-minute session`, () => bridgeRss(plan.rssMinutes));
  await step('process', `the bridge process's memory (${plan.processSeconds} s of breathing)`, () => bridgeProcessRss(plan.processSeconds));
  await step('lights', `light count scaling (${plan.lightCounts.join('/')} lights, ${plan.scaleSeconds} s each)`, () => lightScaling(plan.lightCounts, plan.scaleSeconds));

  const table = renderTable(figures);
  process.stdout.write(`\n${table}\n\n`);
  for (const f of figures.filter((x) => x.notes)) process.stdout.write(`- ${f.figure}: ${f.notes}\n`);
  const out = join(ROOT, 'bench', plan.smoke || only ? 'results.local.json' : 'results.json');
  writeResults(out, {
    generatedAt: new Date().toISOString(),
    mode: plan.smoke ? 'smoke' : 'full',
    durationS: Math.round((nowMs() - started) / 1000),
    environment: environment(ROOT),
    figures,
  });
  const failed = figures.filter((f) => f.status === 'FAIL');
  process.stdout.write(`\nwrote ${out}; ${figures.length} figures, ${failed.length} FAIL\n`);
  // A missed target is a result, not a crash: the exit code says whether the bench itself ran.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
