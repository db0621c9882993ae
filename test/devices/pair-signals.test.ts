/**
 * `winddown pair` run as a person runs it, in a process of its own (the bridge's CLI, bundled with
 * esbuild as the package ships it), stopped by each signal a person or a service manager sends: Ctrl-C
 * (SIGINT), a closed terminal (SIGHUP) and a service stop (SIGTERM). The offer it published must be gone
 * from the broker afterwards, and the process must end by itself.
 *
 * Also: where the broker speaks MQTT 5 (Mosquitto), the offer carries a message expiry, so a pair killed
 * outright (SIGKILL, nothing runs) leaves nothing readable once the expiry has passed; Aedes speaks only
 * MQTT 3.1.1, and `winddown pair` falls back to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import mqtt from 'mqtt';
import { connectEither } from '../../devices/pairing/pair';
import { mosquittoPath, startAedes, startMosquitto, type TestBroker } from '../support/brokers';
import { PAIRING_ROOT } from '../../src/protocol/pairing';
import { retainedOffers } from '../support/offers';
import { onTeardown } from '../support/teardown';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '../..');
const OUT = path.join(ROOT, 'node_modules/.cache/winddown-test/pair-signals');
let cli = '';

beforeAll(() => {
  mkdirSync(OUT, { recursive: true });
  cli = path.join(OUT, 'winddown-bridge.cjs');
  // Packages stay outside, resolved from this repository's node_modules, as an installed package's are.
  buildSync({ entryPoints: [path.join(ROOT, 'devices/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'error' });
});

interface PairProcess {
  child: ChildProcess;
  /** Resolves once it has printed the code (its offer is then on the broker). */
  offered: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startPair(url: string): PairProcess {
  const state = mkdtempSync(path.join(tmpdir(), 'winddown-pair-signal-'));
  onTeardown(() => rmSync(state, { recursive: true, force: true }));
  const child = spawn(process.execPath, [cli, 'pair'], {
    env: { PATH: process.env.PATH, WINDDOWN_MQTT_URL: url, WINDDOWN_STATE_DIR: path.join(state, 'home'), TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const offered = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/Say: "Alexa, ask Wind Down to pair with code \d{3} \d{3} \d{3}"/.test(stdout)) resolve();
    });
    child.once('exit', () => reject(new Error(`pair exited before offering: ${stderr}`)));
  });
  offered.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  onTeardown(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  return { child, offered, exited };
}

describe.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)('`winddown pair` stopped by %s', (signal) => {
  test('withdraws its offer and exits by itself', async () => {
    const broker = await startAedes();
    onTeardown(() => broker.close());
    const run = startPair(broker.url);
    await run.offered;
    expect(await retainedOffers(broker.url)).toHaveLength(1);
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit.code).toBe(130);
    expect(exit.stderr).toContain(`Stopped (${signal}); the code was withdrawn.`);
    expect(await retainedOffers(broker.url)).toEqual([]);
  });
});

describe('message expiry', () => {
  test('Aedes refuses MQTT 5, and `winddown pair` speaks 3.1.1 to it', async () => {
    const broker = await startAedes();
    onTeardown(() => broker.close());
    const { client, v5 } = await connectEither(broker.url, { clientId: 'probe-aedes', reconnectPeriod: 0 });
    await client.endAsync();
    expect(v5).toBe(false);
  });

  (mosquittoPath ? test : test.skip)('on Mosquitto the offer carries the code lifetime as its MQTT 5 message expiry', async () => {
    const broker: TestBroker = await startMosquitto();
    onTeardown(() => broker.close());
    const run = startPair(broker.url);
    await run.offered;
    const reader = await mqtt.connectAsync(broker.url, { clientId: 'reader-v5', protocolVersion: 5, reconnectPeriod: 0 });
    onTeardown(() => reader.endAsync(true));
    const expiries: (number | undefined)[] = [];
    reader.on('message', (_t, payload, packet) => void (payload.length > 0 && expiries.push(packet.properties?.messageExpiryInterval)));
    await reader.subscribeAsync(`${PAIRING_ROOT}/#`, { qos: 1 });
    await reader.unsubscribeAsync(`${PAIRING_ROOT}/barrier`);
    // Mosquitto passes on what is left of the interval: at most the code's ten minutes.
    expect(expiries).toHaveLength(1);
    expect(expiries[0]).toBeGreaterThan(590);
    expect(expiries[0]).toBeLessThanOrEqual(600);
    // Killed outright, nothing runs: the broker's expiry is what removes the offer then.
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await retainedOffers(broker.url)).toHaveLength(1);
  });
});
