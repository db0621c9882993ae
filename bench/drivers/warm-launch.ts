/**
 * Warm LaunchRequests in one process, the way a warm Lambda container answers them: the bundled skill
 * is required once, a few requests warm it up (and open its MQTT connection), then each measured
 * request is timed from the handler call to its response.
 *
 *   node warm-launch.cjs <bundle.js> <runs>
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchRequest } from '../lib/envelope';
import { startSettingsApi } from '../lib/settings-api';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const WARMUP = 20;
/** Requests to a real skill come seconds apart; a short gap keeps one request's tail out of the next. */
const GAP_MS = 3;

async function main(): Promise<void> {
  const bundle = process.argv[2];
  const runs = Number(process.argv[3] ?? '200');
  if (!bundle) throw new Error('usage: warm-launch <bundle.js> <runs>');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(bundle) as { handler: Handler };
  const context = { functionName: 'bench', awsRequestId: 'warm', getRemainingTimeInMillis: () => 8000 };
  const samples: number[] = [];
  const settings = await startSettingsApi();
  for (let i = 0; i < WARMUP + runs; i++) {
    const envelope = launchRequest(i, settings.url);
    const t0 = performance.now();
    const response = await handler(envelope, context);
    const t1 = performance.now();
    if (!JSON.stringify(response).includes('outputSpeech')) throw new Error('LaunchRequest answered without speech');
    if (i >= WARMUP) samples.push(t1 - t0);
    await sleep(GAP_MS);
  }
  process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ samples, published: WARMUP + runs })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
