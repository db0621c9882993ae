/**
 * One cold start, in a fresh node process: require a bundled skill and answer one LaunchRequest (or,
 * with `question`, one AskQuestionIntent), then print how long each took as one JSON line and exit.
 * Imports nothing but node built-ins and the envelope, so the driver itself costs the same for every
 * skill it loads.
 *
 *   node cold-launch.cjs <bundle.js> [launch|question]
 */
import { performance } from 'node:perf_hooks';
import { launchRequest, questionRequest } from '../lib/envelope';
import { startSettingsApi } from '../lib/settings-api';

type Callback = (error: unknown, result?: unknown) => void;
type AnyHandler = (event: unknown, context: unknown, callback: Callback) => unknown;

async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: cold-launch <bundle.js>');
  const settings = await startSettingsApi();
  const envelope = process.argv[3] === 'question' ? questionRequest(1, settings.url) : launchRequest(1, settings.url);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(bundle) as { handler: AnyHandler };
  const t1 = performance.now();
  const response = await new Promise<unknown>((resolve, reject) => {
    const returned = handler(envelope, { functionName: 'bench', awsRequestId: 'cold', getRemainingTimeInMillis: () => 8000 }, (error, result) => (error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve(result)));
    if (returned instanceof Promise) returned.then(resolve, reject);
  });
  const t2 = performance.now();
  const speech = JSON.stringify(response).includes('outputSpeech');
  process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ loadMs: t1 - t0, launchMs: t2 - t1, totalMs: t2 - t0, bootMs: t0, speech })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
