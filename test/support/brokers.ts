/**
 * Real MQTT brokers for the tests, on loopback: Aedes in the test process, and Mosquitto as a child
 * process when its binary is installed (CI installs it from Debian's packages), optionally with TLS
 * (certificates made for the test with the openssl command) and WebSocket listeners.
 *
 * Every broker has one shape, `TestBroker`: it can also go away and come back on the same port,
 * keeping its sessions (Aedes in memory; Mosquitto through its persistence file when asked for), for
 * the bridge's broker-restart tests.
 *
 * Jest compiles Aedes to CommonJS (see jest.config.js), so it runs in-process and the tests can watch
 * it directly; Mosquitto is watched through a subscriber on its plain listener.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import { listenAedes, type AedesListener } from '../../local/broker';

export interface TestBroker {
  readonly name: 'aedes' | 'mosquitto';
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  /** Drops every connection and stops listening; `up` brings it back on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface AedesBroker extends TestBroker {
  readonly port: number;
  /** The broker itself, for the tests that watch what passes through it. */
  readonly aedes: Aedes;
}

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Aedes in this process, served by the local run's own listener. `down` destroys every connection and
 * closes the listener, as a broker going away would; `up` listens again on the same port with the same
 * Aedes instance, so its sessions and queued QoS 1 messages (its in-memory persistence) survive, as a
 * broker with persistence keeps them across a restart.
 */
export async function startAedes(): Promise<AedesBroker> {
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
    port,
    aedes,
    down,
    up,
    async close() {
      await down();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

function findBinary(candidates: string[], probeArgs: string[]): string | null {
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, probeArgs, { stdio: 'ignore' });
    if (!probe.error) return candidate;
  }
  return null;
}

/** The Mosquitto binary, or null when it is not installed. */
export const mosquittoPath = findBinary(['mosquitto', '/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'], ['-h']);
/** The openssl command, or null (node alone cannot issue X.509 certificates). */
export const opensslPath = findBinary(['openssl', '/usr/bin/openssl'], ['version']);

/** PEM files of a test certificate authority, a server certificate for 127.0.0.1/localhost, and a client certificate. */
export interface TestCerts {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The files' contents, as the skill's WINDDOWN_MQTT_CA/CERT/KEY may carry them inline. */
  ca: string;
  clientCert: string;
  clientKey: string;
}

/**
 * Issues a fresh CA and two certificates signed by it (P-256 keys, one day), the way AWS IoT Core
 * gives each thing a certificate and key and the client checks the server against a CA file.
 */
export function makeCerts(dir: string, commonName = 'winddown-test'): TestCerts {
  if (!opensslPath) throw new Error('openssl is not installed');
  const openssl = (...args: string[]): void => {
    const run = spawnSync(opensslPath, args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', `/CN=${commonName} CA`);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    openssl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${commonName} ${who}`);
    openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', `${who}.ext`);
  }
  const file = (name: string): string => path.join(dir, name);
  // Started as root, Mosquitto drops to its own user before it reads these: let it. They are throwaway test keys.
  chmodSync(dir, 0o755);
  for (const name of ['ca.key', 'server.key', 'client.key']) chmodSync(file(name), 0o644);
  return {
    dir,
    caFile: file('ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    clientCert: readFileSync(file('client.pem'), 'utf8'),
    clientKey: readFileSync(file('client.key'), 'utf8'),
  };
}

export interface MosquittoOptions {
  /** Also listen with TLS (mqtts://), with certificates made by `makeCerts`. */
  tls?: boolean;
  /** With `tls`: refuse clients without a certificate signed by the CA (as AWS IoT Core does). */
  requireClientCert?: boolean;
  /** Also listen for MQTT over WebSocket (ws://). */
  websockets?: boolean;
  /** Also listen for MQTT over WebSocket with TLS (wss://); needs `tls`' certificates, made either way. */
  secureWebsockets?: boolean;
  /** Keep sessions in a persistence file, so that `down` and `up` lose nothing (autosaved every second). */
  persistent?: boolean;
}

export interface MosquittoBroker extends TestBroker {
  /** mqtts://127.0.0.1:<port>, when asked for. */
  readonly tlsUrl?: string;
  /** ws://127.0.0.1:<port>, when asked for. */
  readonly wsUrl?: string;
  /** wss://127.0.0.1:<port>, when asked for. */
  readonly wssUrl?: string;
  readonly certs?: TestCerts;
}

/**
 * Mosquitto with a plain listener (always: the tests' own clients use it) and the listeners asked for,
 * from a temporary config. Mosquitto 2 refuses anonymous clients on configured listeners unless told.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  if (!mosquittoPath) throw new Error('mosquitto is not installed');
  const binary = mosquittoPath;
  const dir = mkdtempSync(path.join(tmpdir(), 'winddown-mosquitto-'));
  const needCerts = options.tls === true || options.secureWebsockets === true;
  let child: ChildProcess | null = null;
  try {
    const certs = needCerts ? makeCerts(dir) : undefined;
    const port = await freePort();
    const persistence = options.persistent ? ['persistence true', `persistence_location ${dir}/`, 'autosave_interval 1'] : ['persistence false'];
    const lines = ['allow_anonymous true', ...persistence, 'log_dest none', `listener ${port} 127.0.0.1`];
    const urls: { tlsUrl?: string; wsUrl?: string; wssUrl?: string } = {};
    const tlsLines = (c: TestCerts): string[] => [`cafile ${c.caFile}`, `certfile ${c.serverCertFile}`, `keyfile ${c.serverKeyFile}`];
    const ports = [port];
    if (options.tls && certs) {
      const tlsPort = await freePort();
      ports.push(tlsPort);
      lines.push(`listener ${tlsPort} 127.0.0.1`, ...tlsLines(certs));
      if (options.requireClientCert) lines.push('require_certificate true');
      urls.tlsUrl = `mqtts://127.0.0.1:${tlsPort}`;
    }
    if (options.websockets) {
      const wsPort = await freePort();
      ports.push(wsPort);
      lines.push(`listener ${wsPort} 127.0.0.1`, 'protocol websockets');
      urls.wsUrl = `ws://127.0.0.1:${wsPort}`;
    }
    if (options.secureWebsockets && certs) {
      const wssPort = await freePort();
      ports.push(wssPort);
      lines.push(`listener ${wssPort} 127.0.0.1`, 'protocol websockets', ...tlsLines(certs));
      urls.wssUrl = `wss://127.0.0.1:${wssPort}`;
    }
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    let stderr = '';
    const up = async (): Promise<void> => {
      if (child) return;
      const proc = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      for (const p of ports) await waitForPort(p, proc, () => stderr);
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
      ...urls,
      ...(certs ? { certs } : {}),
      down,
      up,
      close: async () => {
        await down();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const started: ChildProcess | null = child;
    if (started) await stopProcess(started);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops a broker's process and waits for it to exit. */
export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  await exited;
}

/** Waits until `proc` listens on `port` on loopback; fails when it exits or after 5 s, with what it wrote to stderr. */
export async function waitForPort(port: number, proc: ChildProcess, stderr: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The brokers to run a shared suite over: Aedes always, Mosquitto (keeping its sessions) when installed. */
export const brokerFactories: [string, () => Promise<TestBroker>][] = [['aedes', startAedes]];
if (mosquittoPath) brokerFactories.push(['mosquitto', () => startMosquitto({ persistent: true })]);
// Without the binary the Mosquitto half of a suite does not run: CI installs it (.ci/run).
