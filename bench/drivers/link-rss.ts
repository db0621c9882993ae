/**
 * One broker connection receiving one very large message, and how much the process grew for it. With
 * `link`, the bridge's own connection (MQTT 5 with a maximum packet size, or 3.1.1 behind the
 * PacketCap); with `plain`, mqtt.js on 3.1.1 as it is, which is how the bridge connected before.
 * It reports when the sender's closing `done` arrives, so everything sent before it has been read.
 * `lazy` leaves garbage to V8, as a running bridge does (the peak a small machine must have room for);
 * `collect` forces a GC at every sample, so the peak is what the process really held.
 *
 *   node --expose-gc link-rss.cjs <broker-url> <link|plain> <topic> <lazy|collect>
 */
import mqtt from 'mqtt';
import pino from 'pino';
import { connectLink } from '../../devices/mqtt/link';
import { mqttClientOptions } from '../../src/config/mqtt-options';

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const [url, mode, topic, gc] = process.argv.slice(2);
  if (!url || (mode !== 'link' && mode !== 'plain') || !topic || (gc !== 'lazy' && gc !== 'collect')) throw new Error('usage: link-rss <broker-url> <link|plain> <topic> <lazy|collect>');
  const clientId = `bench-link-${mode}-${process.pid}`;
  const client =
    mode === 'link'
      ? connectLink({ settings: { url, clientId }, log: pino({ level: 'silent' }) })
      : mqtt.connect(url, mqttClientOptions({ url }, { clientId, clean: false, keepaliveSeconds: 30, reconnectPeriodMs: 1000, writeCache: false }));
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(topic, { qos: 1 });
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, gc === 'collect' ? rss() : process.memoryUsage().rss)), 5);
  const received: number[] = [];
  client.on('message', (_topic, payload) => {
    if (payload.toString() !== 'done') {
      received.push(payload.length);
      return;
    }
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`BENCH_RESULT ${JSON.stringify({ mqtt: client.options.protocolVersion === 5 ? '5' : '3.1.1', beforeRss: before, peakRss: peak, received })}`);
    client.end(true, () => process.exit(0));
  });
  console.log('READY');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
