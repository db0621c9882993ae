/**
 * Real MQTT brokers for the bridge tests, on loopback: Aedes in this process, and Mosquitto when its
 * binary is installed. Both can be restarted on the same port, keeping their sessions (Aedes in
 * memory, Mosquitto through its persistence file). The shared brokers in test/support start them
 * without the restart; these add it, for the bridge's broker-restart tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Aedes } from 'aedes';
import { listenAedes, type AedesListener } from '../../local/broker';
import { freePort, mosquittoPath, stopProcess, waitForPort } from '../support/brokers';
import { tempDir } from './helpers';

export { mosquittoPath };

export interface TestBroker {
  readonly name: string;
  readonly url: string;
  /** Drops every connection and stops listening; `start` brings it back on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Aedes in this process (jest compiles it to CommonJS; see jest.config.js). `down` destroys every
 * connection and closes the listener, as a broker going away would; `up` listens again on the same
 * port with the same Aedes instance, so its sessions and queued QoS 1 messages (its in-memory
 * persistence) survive, as a broker with persistence keeps them across a restart.
 */
export async function startAedes(): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  let listener: AedesListener | null = null;
  let port = 0;
  const up = async (): Promise<void> => {
    if (listener) return;
    listener = await listenAedes(aedes, port);
    port = listener.port;
  };
  const down = async (): Promise<void> => {
    const listening = listener;
    listener = null;
    await listening?.close();
  };
  await up();
  return {
    name: 'aedes',
    url: `mqtt://127.0.0.1:${port}`,
    down,
    up,
    async close() {
      await down();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

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
    await waitForPort(port, proc);
  };
  const down = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (proc) await stopProcess(proc);
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

/** The brokers to run the shared suite over: Aedes always, Mosquitto when installed. */
export const brokerFactories: [string, () => Promise<TestBroker>][] = [['aedes', startAedes]];
if (mosquittoPath) brokerFactories.push(['mosquitto', startMosquitto]);
// Without the binary the Mosquitto half of the suite does not run: CI installs it (.ci/run).
