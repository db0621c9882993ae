/**
 * One home bridge in a process of its own, configured from the environment exactly as `winddown bridge`
 * is (WINDDOWN_MQTT_URL, WINDDOWN_HUE_URL, ...), on the real clock. It prints `BENCH_READY` once
 * subscribed; on SIGTERM (or stdin closing) it stops gracefully and prints its memory use.
 */
import '../../devices/process/young-generation';
import { startBridge } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';

async function main(): Promise<void> {
  const config = loadConfig({ env: process.env });
  const handle = await startBridge(config);
  await handle.connected;
  process.stdout.write('\nBENCH_READY\n');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(3), 10_000);
    handle
      .stop()
      .then(() => {
        clearTimeout(timer);
        const { rss, heapUsed } = process.memoryUsage();
        process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ rss, heapUsed })}\n`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
