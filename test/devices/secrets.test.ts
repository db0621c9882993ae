/**
 * Secrets never reach a log line or an error message. The bridge runs with known secrets (an MQTT
 * password in its URL, the Hue username) against a real broker and the Hue emulator, through Hue
 * faults and bad settings; everything its logger writes and every error it throws is searched for them.
 */
import mqtt from 'mqtt';
import { startBridge } from '../../devices/bridge';
import { BRIDGE_VARIABLES, ConfigError, loadConfig } from '../../devices/config';
import { HueLights } from '../../devices/lights/hue/hue';
import { createLogger, REDACT_PATHS } from '../../devices/process/log';
import { redactUrl } from '../../src/config/problems';
import { hideSecrets, scrubSecrets, SECRET_SETTINGS, secretsFromEnv, secretsOf } from '../../devices/process/secrets';
import { homeTopics } from '../../src/protocol/topics';
import { breathing, sessionStart, T0 } from './helpers';
import { signed, TEST_HOME_KEY_HEX } from '../support/signing';
import { until } from '../support/until';
import { startHome } from '../support/home';

const MQTT_PASSWORD = 'Mqtt-S3cret-Passw0rd';

/** What a logger would print of an error: its message, stack and every property of its own. */
function everythingOf(error: unknown): string {
  const e = error as Error;
  return [String(e.message), String(e.stack), JSON.stringify(e), JSON.stringify(Object.getOwnPropertyNames(e).map((k) => (e as unknown as Record<string, unknown>)[k]))].join('\n');
}

describe('secrets', () => {
  test('scrubbing: each secret, JSON-escaped or URL-encoded, and any URL user-info', () => {
    const secrets = ['pa"ss/word', 'abcd1234'];
    expect(scrubSecrets('a pa"ss/word b', secrets)).toBe('a [redacted] b');
    expect(scrubSecrets(JSON.stringify({ m: 'x pa"ss/word y' }), secrets)).toBe('{"m":"x [redacted] y"}');
    expect(scrubSecrets('GET /api/abcd1234/lights', secrets)).toBe('GET /api/[redacted]/lights');
    expect(scrubSecrets('mqtts://bob:hunter2@broker:8883 and http://u@h', [])).toBe('mqtts://[redacted]@broker:8883 and http://[redacted]@h');
    expect(redactUrl(`mqtt://bridge:${MQTT_PASSWORD}@host:1883`)).toBe('mqtt://host:1883');
  });

  test("the home key is a secret: scrubbed from log lines, and a malformed one is never echoed", () => {
    const config = loadConfig({ env: { WINDDOWN_HOME_ID: 'h', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX.toUpperCase(), WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883' } });
    expect(scrubSecrets(`key ${TEST_HOME_KEY_HEX} end`, secretsOf(config))).toBe('key [redacted] end');
    expect(secretsFromEnv({ WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX })).toContain(TEST_HOME_KEY_HEX);
    let thrown: unknown;
    try {
      loadConfig({ env: { WINDDOWN_HOME_ID: 'h', WINDDOWN_HOME_KEY: `${TEST_HOME_KEY_HEX}zz`, WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(everythingOf(thrown)).toContain('WINDDOWN_HOME_KEY: expected');
    expect(everythingOf(thrown)).not.toContain(TEST_HOME_KEY_HEX);
  });

  test('one list of secret settings: the settings check, the scrubber and the log redaction all follow it', () => {
    for (const [name, { path: at }] of Object.entries(SECRET_SETTINGS)) {
      // Known to the settings check, at the same place, and never shown in a problem.
      expect(BRIDGE_VARIABLES[name]).toEqual({ path: at });
      expect(REDACT_PATHS).toEqual(expect.arrayContaining([name, `*.${name}`, at, `*.${at}`]));
    }
    // Every dotted redaction path is a place the settings really have (no path left from an old layout).
    const places = new Set(Object.values(BRIDGE_VARIABLES).map((v) => v.path));
    for (const dotted of REDACT_PATHS.map((p) => p.replace(/^\*\./, '')).filter((p) => p.includes('.') && !p.includes('*'))) expect(places).toContain(dotted);
    // The parsed settings and the raw environment give the same secrets to look for.
    const env = { WINDDOWN_HOME_ID: 'h', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_MQTT_URL: 'mqtt://u:url-Secret-1@127.0.0.1:1883', WINDDOWN_MQTT_PASSWORD: 'mqtt-Secret-2', WINDDOWN_HUE_URL: 'http://127.0.0.1:8080', WINDDOWN_HUE_USERNAME: 'hue-Secret-3', WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_DIFFUSER: 'tasmota:d', WINDDOWN_DIFFUSER_MQTT_URL: 'mqtt://127.0.0.1:1884', WINDDOWN_DIFFUSER_MQTT_PASSWORD: 'plug-Secret-4' };
    const fromConfig = secretsOf(loadConfig({ env }));
    expect([...fromConfig].sort()).toEqual([...secretsFromEnv(env)].sort());
    expect(fromConfig).toEqual(expect.arrayContaining([TEST_HOME_KEY_HEX, 'url-Secret-1', 'mqtt-Secret-2', 'hue-Secret-3', 'plug-Secret-4']));
    expect(() => hideSecrets({ WINDDOWN_MQTT_PASSWORD: { path: 'mqtt.pass' } })).toThrow(/WINDDOWN_MQTT_PASSWORD/);
  });

  test('a config error about a malformed URL does not echo it', () => {
    const env = { WINDDOWN_HOME_ID: 'h', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_MQTT_URL: `mqtt://bridge:${MQTT_PASSWORD}@host:99999999`, WINDDOWN_HUE_URL: `https://u:${MQTT_PASSWORD}@10.0.0.2/path`, WINDDOWN_HUE_USERNAME: 'HueUser-0123456789' };
    let thrown: unknown;
    try {
      loadConfig({ env });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = everythingOf(thrown);
    expect(text).toContain('WINDDOWN_MQTT_URL');
    expect(text).not.toContain(MQTT_PASSWORD);
    expect(text).not.toContain('HueUser-0123456789');
  });

  test('a whole run with known secrets, through Hue errors: no log line and no error carries the password or the Hue username', async () => {
    const homeId = 'home-secrets';
    // The bridge is started here, with a logger that knows this home's secrets.
    const home = await startHome({ startAt: T0, env: { WINDDOWN_HOME_ID: homeId, WINDDOWN_DIFFUSER: undefined, WINDDOWN_LOG_LEVEL: 'debug', TZ: 'UTC' }, bridge: false });
    const { broker, clock, emulator } = home;
    const port = new URL(broker.url).port;
    const config = loadConfig({ env: { ...home.env, WINDDOWN_MQTT_URL: `mqtt://bridge:${MQTT_PASSWORD}@127.0.0.1:${port}` } });
    const secrets = [MQTT_PASSWORD, emulator.username];
    expect(secretsOf(config)).toEqual(expect.arrayContaining(secrets));
    const written: string[] = [];
    const log = createLogger({ level: 'debug', format: 'json', secrets: secretsOf(config), destination: { write: (line: string) => void written.push(line) } });
    const bridge = await startBridge(config, { clock, log });
    await bridge.connected;
    const skill = await mqtt.connectAsync(broker.url, { clientId: 'skill-secrets' });
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(2) });
    await skill.publishAsync(homeTopics(homeId).command, signed(msg), { qos: 1 });
    await until(() => written.some((l) => l.includes('session starts')), 'session accepted');
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    // The Hue bridge fails, both ways: error bodies that name the request's address, and HTTP 503s.
    emulator.setFault('error');
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => written.some((l) => l.includes('lights command failed')), 'a failed step logged');
    emulator.setFault('http503');
    await clock.advance(2000);
    await until(() => written.filter((l) => l.includes('lights command failed')).length >= 2, 'a second failure logged');
    emulator.setFault(null);

    // Errors thrown at the Hue adapter's edge, as a caller would log them with `{ err }`.
    const thrown: string[] = [];
    const url = new URL(emulator.url);
    const lights = new HueLights({ settings: { url: emulator.url, host: url.hostname, port: Number(url.port), secure: false, username: emulator.username, lights: [1], group: null }, log });
    await lights.capture();
    for (const fault of ['error', 'http503'] as const) {
      emulator.setFault(fault);
      await lights.set({ bri: 100, transitionMs: 1000 }).catch((error: unknown) => void thrown.push(everythingOf(error)));
      log.error({ err: await lights.capture().catch((error: unknown) => error) }, 'as a caller would log it');
    }
    emulator.setFault(null);
    expect(thrown).toHaveLength(2);
    expect(thrown[0]).toContain('Internal error, 500');

    await skill.endAsync(true);
    await bridge.stop();

    const everything = [...written, ...thrown].join('\n');
    expect(written.length).toBeGreaterThan(10);
    // The broker was logged, without its user name and password.
    expect(everything).toContain(`"url":"mqtt://127.0.0.1:${port}`);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
