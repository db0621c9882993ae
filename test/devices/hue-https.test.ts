/**
 * A real Hue bridge is reached over HTTPS: node-hue-api's createLocal checks that the certificate's CN
 * is the bridge id before it sends anything. The emulator serves HTTPS with a self-signed certificate
 * made here with the openssl command (node's crypto can read certificates but not issue them), and
 * WINDDOWN_HUE_URL=https://127.0.0.1:<port> goes through createLocal, its certificate check included,
 * end to end. It also checks that the npm override of axios (0.35.0) is what node-hue-api runs here.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import mqtt from 'mqtt';
import { v3 } from 'node-hue-api';
import { startBridge } from '../../devices/bridge';
import { buildProgram } from '../../devices/cli';
import { loadConfig } from '../../devices/config';
import { connectHue, HueLights } from '../../devices/lights/hue/hue';
import { FakeClock } from '../support/fake-clock';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import { EMULATOR_BRIDGE_ID } from '../../local/simulators/hue-emulator';
import { homeTopics } from '../../src/protocol/topics';
import { opensslPath } from '../support/brokers';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { breathing, memoryLogger, sessionStart, T0, tempDir } from './helpers';
import { signed, TEST_HOME_KEY_HEX } from '../support/signing';
import { until } from '../support/until';
import { startEmulator } from '../support/hue';

/** A self-signed certificate and key with this CN, as a Hue bridge has (P-256, one day). */
function selfSigned(dir: string, name: string, commonName: string): { cert: Buffer; key: Buffer } {
  const run = spawnSync(
    opensslPath as string,
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${commonName}`],
    { cwd: dir, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { cert: readFileSync(path.join(dir, `${name}.pem`)), key: readFileSync(path.join(dir, `${name}.key`)) };
}

const describeWithOpenssl = opensslPath ? describe : describe.skip;

describe('node-hue-api and its axios override', () => {
  test('node-hue-api runs axios 0.35.0 (the npm override), not the 0.21.4 it asks for', () => {
    const fromHue = createRequire(require.resolve('node-hue-api'));
    expect((fromHue('axios/package.json') as { version: string }).version).toBe('0.35.0');
  });
});

describeWithOpenssl('Hue over HTTPS (createLocal, certificate CN = bridge id)', () => {
  let certs: ReturnType<typeof tempDir>;
  let good: { cert: Buffer; key: Buffer };
  let wrong: { cert: Buffer; key: Buffer };
  /** Another certificate with the bridge's own id as its name: node-hue-api's name check lets it through. */
  let impostor: { cert: Buffer; key: Buffer };
  let emulator: HueEmulator;
  let clock: FakeClock;

  beforeAll(() => {
    certs = tempDir('winddown-hue-certs-');
    good = selfSigned(certs.dir, 'bridge', EMULATOR_BRIDGE_ID.toLowerCase());
    wrong = selfSigned(certs.dir, 'other', '001788fffe999999');
    impostor = selfSigned(certs.dir, 'impostor', EMULATOR_BRIDGE_ID.toLowerCase());
  });
  afterAll(() => certs.remove());
  beforeEach(() => {
    clock = new FakeClock(T0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('connects through createLocal on the emulator\'s port and drives the lights over TLS', async () => {
    emulator = await startEmulator({ clock, tls: good });
    expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`);
    const createLocal = jest.spyOn(v3.api, 'createLocal');
    const insecure = jest.spyOn(v3.api, 'createInsecureLocal');
    const { log } = memoryLogger();
    const lights = new HueLights({ log, settings: { url: emulator.url, host: '127.0.0.1', port: emulator.port, secure: true, username: emulator.username, lights: [1], group: null } });
    const saved = await lights.capture();
    expect(saved).toEqual([expect.objectContaining({ id: 1, on: true, bri: 180, colormode: 'ct', ct: 366 })]);
    await lights.set({ on: true, bri: 90, ct: 454, transitionMs: 4000 });
    expect(createLocal).toHaveBeenCalledWith('127.0.0.1', emulator.port);
    expect(insecure).not.toHaveBeenCalled();
    // The certificate was fetched from the emulator's port (createLocal alone would have gone to 443).
    expect(emulator.requests.slice(0, 3).map((r) => r.path)).toEqual(['/api/config', '/', `/api/${emulator.username}`]);
    expect(emulator.commands).toMatchObject([{ kind: 'light', id: '1', body: { on: true, bri: 90, ct: 454, transitiontime: 40 } }]);
  });

  test('a certificate whose CN is not the bridge id is refused before anything is sent', async () => {
    emulator = await startEmulator({ clock, tls: wrong });
    await expect(connectHue({ host: '127.0.0.1', port: emulator.port, secure: true }, emulator.username)).rejects.toThrow(/certificate does not match/);
    // Only the unauthenticated /api/config that tells the bridge id, and the certificate fetch (GET /)
    // on the emulator's own port: nothing with the username.
    expect(emulator.requests.map((r) => r.path)).toEqual(['/api/config', '/']);
    expect(emulator.commands).toHaveLength(0);
  });

  test('the bridge with WINDDOWN_HUE_URL=https://127.0.0.1:<port> breathes the lamp over MQTT, end to end', async () => {
    emulator = await startEmulator({ clock, tls: good });
    const broker: TestBroker = await startAedes();
    const state = tempDir();
    const logs = memoryLogger();
    const homeId = 'https-home';
    const createLocal = jest.spyOn(v3.api, 'createLocal');
    const config = loadConfig({
      env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: homeId, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: emulator.username, WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_STATE_DIR: state.dir, TZ: 'UTC' },
    });
    expect(config.hue).toMatchObject({ secure: true, port: emulator.port });
    const bridge = await startBridge(config, { clock, log: logs.log });
    const skill = await mqtt.connectAsync(broker.url, { clientId: 'skill-https' });
    try {
      await bridge.connected;
      const msg = sessionStart(clock.now(), { homeId, lights: breathing(1) });
      await skill.publishAsync(homeTopics(homeId).command, signed(msg), { qos: 1 });
      await until(() => logs.lines.some((l) => l.msg === 'session starts'), 'session accepted');
      await clock.advanceTo(msg.startAt);
      await until(() => emulator.commands.length === 1, 'first step over HTTPS');
      await clock.advanceTo(msg.startAt + 4000);
      await until(() => emulator.commands.length === 2, 'second step over HTTPS');
      expect(emulator.commands.map((c) => c.body)).toEqual([
        { on: true, bri: 200, ct: 454, transitiontime: 40 },
        { bri: 30, transitiontime: 60 },
      ]);
      expect(createLocal).toHaveBeenCalledWith('127.0.0.1', emulator.port);
      expect(logs.lines.some((l) => String(l.msg).includes('plain HTTP'))).toBe(false);
    } finally {
      await bridge.stop();
      await skill.endAsync(true);
      await broker.close();
      state.remove();
    }
    // Stopped mid-session: the lamp is given back as it was.
    expect(emulator.commands.at(-1)?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
  });

  const fingerprintOf = (cert: Buffer): string => new X509Certificate(cert).fingerprint256;
  const settingsFor = (e: HueEmulator, fingerprint: string | null) => ({ url: e.url, host: '127.0.0.1', port: e.port, secure: true, username: e.username, lights: [1], group: null, fingerprint });

  test('`winddown hue pair` records the certificate\'s fingerprint and prints it with the other settings', async () => {
    emulator = await startEmulator({ clock, tls: good });
    emulator.pressLinkButton();
    const out: string[] = [];
    await buildProgram({ out: (t) => void out.push(t), err: (t) => void out.push(t), fail: (c) => void out.push(`exit ${c}`), env: {} }).parseAsync(['node', 'winddown', 'hue', 'pair', '--url', emulator.url]);
    expect(out).toContain(`WINDDOWN_HUE_FINGERPRINT=${fingerprintOf(good.cert)}`);
    const user = out.find((l) => l.startsWith('WINDDOWN_HUE_USERNAME='))?.split('=')[1];
    expect(user && emulator.usernames.has(user)).toBe(true);
    // The settings it printed load as they are.
    const config = loadConfig({ env: { WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1', WINDDOWN_HOME_ID: 'h', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: user, WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_HUE_FINGERPRINT: fingerprintOf(good.cert).replace(/:/g, '').toLowerCase() } });
    expect(config.hue?.fingerprint).toBe(fingerprintOf(good.cert));
  });

  test('with the recorded fingerprint the lights are driven as before', async () => {
    emulator = await startEmulator({ clock, tls: good });
    const lights = new HueLights({ log: memoryLogger().log, settings: settingsFor(emulator, fingerprintOf(good.cert)) });
    await lights.capture();
    await lights.set({ on: true, bri: 90, transitionMs: 4000 });
    expect(emulator.commands).toMatchObject([{ kind: 'light', id: '1', body: { on: true, bri: 90, transitiontime: 40 } }]);
  });

  test('a bridge whose certificate differs from the recorded one is refused with a clear message, before it hears anything', async () => {
    emulator = await startEmulator({ clock, tls: impostor });
    const lights = new HueLights({ log: memoryLogger().log, settings: settingsFor(emulator, fingerprintOf(good.cert)) });
    await expect(lights.capture()).rejects.toThrow(/presented a certificate \(SHA-256 [0-9A-F:]+\) that is not the one recorded when it was paired \(WINDDOWN_HUE_FINGERPRINT/);
    await expect(lights.set({ bri: 90, transitionMs: 4000 })).rejects.toThrow(/not the one recorded/);
    expect(emulator.requests).toEqual([]);
    expect(emulator.commands).toEqual([]);
  });

  test('a certificate that changes mid-run (another device answering for the bridge) gets no command', async () => {
    emulator = await startEmulator({ clock, tls: good });
    const port = emulator.port;
    const lights = new HueLights({ log: memoryLogger().log, settings: settingsFor(emulator, fingerprintOf(good.cert)) });
    await lights.set({ on: true, bri: 90, transitionMs: 4000 });
    expect(emulator.commands).toHaveLength(1);
    await emulator.stop();
    emulator = await startEmulator({ clock, tls: impostor }, port);
    await expect(lights.set({ bri: 30, transitionMs: 6000 })).rejects.toThrow(/not the one recorded/);
    expect(emulator.requests).toEqual([]);
  });
});
