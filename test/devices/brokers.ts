/**
 * Real MQTT brokers for the bridge tests, on loopback: Aedes in this process, and Mosquitto when its
 * binary is installed. Both can be restarted on the same port, keeping their sessions (Aedes in
 * memory, Mosquitto through its persistence file), and can turn one client id away for a while.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { tempDir } from './helpers';

export interface TestBroker {
  readonly name: string;
  readonly url: string;
  /** Drops every connection and stops listening; `start` brings it back on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Aedes in a child process (it is an ES module; see aedes-broker.mjs). */
export async function startAedes(): Promise<TestBroker> {
  const child = spawn(process.execPath, [path.join(__dirname, 'aedes-broker.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  const { port } = (await next()) as { port: number };
  const ask = async (what: 'down' | 'up'): Promise<void> => {
    const answer = next();
    child.stdin.write(`${what}\n`);
    await answer;
  };
  return {
    name: 'aedes',
    url: `mqtt://127.0.0.1:${port}`,
    down: () => ask('down'),
    up: () => ask('up'),
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const mosquittoPath = ((): string | null => {
  for (const candidate of ['mosquitto', '/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto']) {
    const probe = spawnSync(candidate, ['-h'], { stdio: 'ignore' });
    if (!probe.error) return candidate;
  }
  return null;
})();

export async function startMosquitto(): Promise<TestBroker> {
  if (!mosquittoPath) throw new Error('mosquitto is not installed');
  const binary = mosquittoPath;
  const dir = tempDir('winddown-mosquitto-');
  const port = await freePort();
  const conf = path.join(dir.dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir.dir}/`, 'autosave_interval 1', 'log_dest none', ''].join('\n'),
  );
  let child: ChildProcess | null = null;
  const up = async (): Promise<void> => {
    const proc = spawn(binary, ['-c', conf], { stdio: 'ignore' });
    child = proc;
    await waitForPort(port);
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}`);
  };
  const down = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    await exited;
  };
  await up();
  return {
    name: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    down,
    up,
    async close() {
      await down();
      dir.remove();
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`broker did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The brokers to run the shared suite over: Aedes always, Mosquitto when installed. */
export const brokerFactories: [string, () => Promise<TestBroker>][] = [['aedes', startAedes]];
if (mosquittoPath) brokerFactories.push(['mosquitto', startMosquitto]);
// Without the binary the Mosquitto half of the suite does not run: CI installs it (.ci/run).
