/**
 * `node bench/run.mjs oversized [megabytes]`: what one oversized publish to a bridge's command topic
 * (60 MB unless told) costs the process that receives it, on the embedded Aedes (MQTT 3.1.1 only) and
 * on Mosquitto (MQTT 5) when installed; mqtt.js as it is beside the bridge's own link. The figure is
 * the receiving process's peak RSS over what it held before, sampled every 5 ms: with garbage left to
 * V8 as in a running bridge, and with a GC at every sample (what it really held).
 */
import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { startAedes } from '../local/broker';
import { mosquittoPath, startMosquitto } from '../test/support/brokers';
import { driverPath } from './lib/proc';

const TOPIC = 'winddown/bench-oversized/command';
const MB = 1024 * 1024;

interface Result {
  mqtt: string;
  beforeRss: number;
  peakRss: number;
  received: number[];
}

async function receive(url: string, mode: 'link' | 'plain', gc: 'lazy' | 'collect', bytes: number): Promise<Result> {
  const child = spawn(process.execPath, ['--expose-gc', driverPath('link-rss'), url, mode, TOPIC, gc], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (d: string) => ((out += d), out.includes('READY') && resolve())));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await Promise.race([ready, exited]);
  const sender = await mqtt.connectAsync(url, { clientId: `bench-sender-${process.pid}` });
  await sender.publishAsync(TOPIC, Buffer.alloc(bytes, 0x41), { qos: 1 });
  await sender.publishAsync(TOPIC, 'done', { qos: 1 });
  await sender.endAsync();
  const code = await exited;
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`link-rss ${mode} failed (exit ${code})`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Result;
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? '60');
  const brokers: [string, () => Promise<{ url: string; close(): Promise<void> }>][] = [['aedes', () => startAedes()]];
  if (mosquittoPath) brokers.push(['mosquitto', () => startMosquitto()]);
  console.log(`one ${megabytes} MB publish to the command topic; receiving process's peak RSS growth`);
  console.log('broker     client  mqtt   delivered      growth    held (GC at every sample)');
  for (const [name, start] of brokers) {
    const broker = await start();
    try {
      for (const mode of ['plain', 'link'] as const) {
        const lazy = await receive(broker.url, mode, 'lazy', megabytes * MB);
        const held = await receive(broker.url, mode, 'collect', megabytes * MB);
        const delivered = lazy.received.length === 0 ? 'nothing' : lazy.received.map((n) => `${n} B`).join(', ');
        const growth = (r: Result): string => `${((r.peakRss - r.beforeRss) / MB).toFixed(1)} MB`;
        console.log(`${name.padEnd(10)} ${mode.padEnd(7)} ${lazy.mqtt.padEnd(6)} ${delivered.padEnd(14)} ${growth(lazy).padEnd(9)} ${growth(held)}`);
      }
    } finally {
      await broker.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
