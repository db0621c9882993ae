import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, parseDiffuserSpec } from '../../devices/config';
import { problemsOf } from '../support/config-problems';
import { createIdentity } from '../../devices/pairing/identity';
import { REDACT_PATHS } from '../../devices/process/log';
import { tempDir } from './helpers';
import { TEST_HOME_KEY_HEX } from '../support/signing';

const base = { WINDDOWN_MQTT_URL: 'mqtts://broker.example:8883', WINDDOWN_HOME_ID: 'home-1' , WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX};

const problems = (env: Record<string, string>, file?: string): string[] => problemsOf(() => loadConfig({ env, ...(file ? { file } : {}) }));

describe('bridge settings', () => {
  test('a full environment becomes one typed config with defaults', () => {
    const config = loadConfig({
      env: {
        ...base,
        WINDDOWN_MQTT_USERNAME: 'bridge',
        WINDDOWN_MQTT_PASSWORD: 's3cret',
        WINDDOWN_HUE_URL: 'https://192.168.1.20',
        WINDDOWN_HUE_USERNAME: 'abc',
        WINDDOWN_HUE_LIGHTS: '3, 1,2',
        WINDDOWN_DIFFUSER: 'shelly:shellyplusplugs-abc123',
        WINDDOWN_DIFFUSER_MQTT_URL: 'mqtt://192.168.1.5:1883',
        WINDDOWN_STATE_DIR: '/var/lib/winddown',
        TZ: 'Europe/London',
        WINDDOWN_HA_DISCOVERY: '1',
      },
    });
    expect(config).toMatchObject({
      homeId: 'home-1',
      mqtt: { url: 'mqtts://broker.example:8883', username: 'bridge', password: 's3cret', clientId: 'winddown-bridge-home-1' },
      hue: { host: '192.168.1.20', port: undefined, secure: true, lights: [3, 1, 2], group: null },
      diffuser: { spec: { kind: 'shelly', deviceId: 'shellyplusplugs-abc123' }, maxMinutes: 60, mqtt: { url: 'mqtt://192.168.1.5:1883' } },
      stateDir: '/var/lib/winddown',
      timeZone: 'Europe/London',
      haDiscovery: true,
      logLevel: 'info',
      sessionHoldMinutes: 5,
    });
    expect(loadConfig({ env: { ...base, WINDDOWN_SESSION_HOLD_MINUTES: '12' } }).sessionHoldMinutes).toBe(12);
    expect(loadConfig({ env: { ...base, WINDDOWN_HUE_URL: 'http://127.0.0.1:8080', WINDDOWN_HUE_USERNAME: 'u', WINDDOWN_HUE_GROUP: 'Bedroom' } }).hue).toMatchObject({ secure: false, port: 8080, group: 'Bedroom', lights: null });
  });

  test('every problem is reported at once, each naming its key and what it expected', () => {
    const found = problems({
      WINDDOWN_MQTT_URL: 'http://broker',
      WINDDOWN_HUE_URL: 'ftp://hue',
      WINDDOWN_HUE_LIGHTS: '1,two',
      WINDDOWN_DIFFUSER: 'kasa:plug',
      WINDDOWN_DIFFUSER_MAX_MINUTES: '600',
      TZ: 'Mars/Olympus',
      WINDDOWN_HA_DISCOVERY: 'maybe',
      WINDDOWN_LOG_LEVEL: 'loud',
      WINDDOWN_SESSION_HOLD_MINUTES: '0',
    });
    const keys = found.map((p) => p.split(':')[0]);
    // The Hue user name that goes with WINDDOWN_HUE_URL is missing too: settings that need each other
    // are checked in the same pass as each value on its own.
    expect(keys.sort()).toEqual(
      ['WINDDOWN_MQTT_URL', 'WINDDOWN_HOME_ID', 'WINDDOWN_HOME_KEY', 'WINDDOWN_HUE_URL', 'WINDDOWN_HUE_USERNAME', 'WINDDOWN_HUE_LIGHTS', 'WINDDOWN_DIFFUSER', 'WINDDOWN_DIFFUSER_MAX_MINUTES', 'TZ', 'WINDDOWN_HA_DISCOVERY', 'WINDDOWN_LOG_LEVEL', 'WINDDOWN_SESSION_HOLD_MINUTES'].sort(),
    );
    expect(found.find((p) => p.startsWith('WINDDOWN_MQTT_URL'))).toMatch(/expected a broker URL such as mqtt:\/\/host:1883/);
    expect(found.find((p) => p.startsWith('WINDDOWN_HOME_ID'))).toMatch(/required/);
    expect(found.find((p) => p.startsWith('WINDDOWN_HOME_KEY'))).toMatch(/required \(or stored by `npx winddown pair`\): this home's key: 64 hex digits \(`npx winddown key` prints a new one\)/);
    expect(found.find((p) => p.startsWith('WINDDOWN_DIFFUSER:'))).toMatch(/tasmota:<topic>/);
    expect(found.find((p) => p.startsWith('WINDDOWN_SESSION_HOLD_MINUTES'))).toMatch(/expected whole minutes from 1 to 60/);
  });

  test('settings that need each other', () => {
    expect(problems({ ...base, WINDDOWN_HUE_URL: 'https://10.0.0.2' })).toEqual([
      expect.stringMatching(/^WINDDOWN_HUE_USERNAME: is required/),
      expect.stringMatching(/^WINDDOWN_HUE_LIGHTS: expected light ids/),
    ]);
    expect(problems({ ...base, WINDDOWN_HUE_URL: 'https://10.0.0.2', WINDDOWN_HUE_USERNAME: 'u', WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_HUE_GROUP: '2' })).toEqual([expect.stringMatching(/^WINDDOWN_HUE_GROUP: expected either/)]);
    expect(problems({ ...base, WINDDOWN_MQTT_CA: '/nonexistent/ca.pem' })).toEqual([expect.stringMatching(/^WINDDOWN_MQTT_CA: expected a readable file/)]);
  });

  test('secrets are never echoed in errors', () => {
    const found = problems({ WINDDOWN_MQTT_URL: 'mqtt://x', WINDDOWN_MQTT_PASSWORD: 's3cret-value', WINDDOWN_HOME_ID: 'bad id!' , WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX});
    expect(found.join('\n')).not.toContain('s3cret-value');
  });

  test('with only WINDDOWN_HUE_URL set and a bad broker URL, both are reported in one go', () => {
    const found = problems({ WINDDOWN_HOME_ID: 'home-1', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_MQTT_URL: 'http://broker', WINDDOWN_HUE_URL: 'https://10.0.0.2' });
    expect(found.map((p) => p.split(':')[0])).toEqual(['WINDDOWN_MQTT_URL', 'WINDDOWN_HUE_USERNAME', 'WINDDOWN_HUE_LIGHTS']);
    expect(found[1]).toBe('WINDDOWN_HUE_USERNAME: is required with WINDDOWN_HUE_URL: the user `winddown hue pair` printed');
  });

  test('no problem repeats a password, a user name, URL user-info or a key', () => {
    const secrets = ['url-user-7', 'url-pass-7', 'mqtt-user-7', 'mqtt-pass-7', 'hue-user-7', 'plug-user-7', 'plug-pass-7', 'key-text-7'];
    const dir = tempDir();
    const file = path.join(dir.dir, 'bridge.json');
    const settings = {
      WINDDOWN_MQTT_URL: 'http://url-user-7:url-pass-7@broker:1883',
      WINDDOWN_MQTT_USERNAME: 'mqtt-user-7',
      WINDDOWN_MQTT_PASSWORD: 'mqtt-pass-7',
      WINDDOWN_MQTT_KEY: 'key-text-7',
      WINDDOWN_HUE_USERNAME: 'hue-user-7',
      WINDDOWN_DIFFUSER_MQTT_URL: 'mqtt://url-user-7:url-pass-7@[plug',
      WINDDOWN_DIFFUSER_MQTT_USERNAME: 'plug-user-7',
      WINDDOWN_DIFFUSER_MQTT_PASSWORD: 'plug-pass-7',
    };
    const messages: string[] = [];
    const collect = (load: () => unknown): void => {
      try {
        load();
      } catch (error) {
        messages.push(error instanceof Error ? error.message : String(error));
      }
    };
    collect(() => loadConfig({ env: settings }));
    writeFileSync(file, JSON.stringify(settings));
    collect(() => loadConfig({ env: {}, file }));
    // A file that is not JSON: the parser's own message would quote the text around the mistake.
    writeFileSync(file, `{"WINDDOWN_MQTT_PASSWORD": mqtt-pass-7, "WINDDOWN_HUE_USERNAME": "hue-user-7"}`);
    collect(() => loadConfig({ env: {}, file }));
    dir.remove();
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/WINDDOWN_MQTT_URL: .*\(got http:\/\/broker:1883\/\)/);
    expect(messages[2]).toMatch(/expected a readable JSON file \(it is not valid JSON\)/);
    for (const message of messages) for (const secret of secrets) expect(message).not.toContain(secret);
  });

  test('tcp:// and ssl:// are brokers too; TLS settings may be PEM text', () => {
    expect(loadConfig({ env: { ...base, WINDDOWN_MQTT_URL: 'tcp://broker:1883' } }).mqtt.url).toBe('tcp://broker:1883');
    const pem = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';
    expect(loadConfig({ env: { ...base, WINDDOWN_MQTT_URL: 'ssl://broker:8883', WINDDOWN_MQTT_CA: pem } }).mqtt.ca).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
  });

  test('a JSON config file has the same keys; the environment wins; unknown WINDDOWN_* keys are errors', () => {
    const dir = tempDir();
    const file = path.join(dir.dir, 'bridge.json');
    writeFileSync(file, JSON.stringify({ ...base, WINDDOWN_DIFFUSER_MAX_MINUTES: 30, WINDDOWN_HA_DISCOVERY: true, WINDDOWN_HUE_LIGTHS: '1' }));
    expect(problems({}, file)).toEqual([expect.stringMatching(/^WINDDOWN_HUE_LIGTHS: unknown setting/)]);
    writeFileSync(file, JSON.stringify({ ...base, WINDDOWN_DIFFUSER: 'tasmota:diffuser', WINDDOWN_DIFFUSER_MAX_MINUTES: 30, WINDDOWN_HA_DISCOVERY: true }));
    const config = loadConfig({ env: { WINDDOWN_HOME_ID: 'from-env' , WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX}, file });
    expect(config).toMatchObject({ homeId: 'from-env', diffuserMaxMinutes: 30, haDiscovery: true });
    expect(() => loadConfig({ env: {}, file: path.join(dir.dir, 'missing.json') })).toThrow(/--config .*missing\.json: expected a readable JSON file/);
    dir.remove();
  });

  test('WINDDOWN_DIFFUSER forms', () => {
    expect(parseDiffuserSpec('tasmota:diffuser')).toEqual({ kind: 'tasmota', topic: 'diffuser' });
    expect(parseDiffuserSpec('zigbee2mqtt:Bedroom diffuser')).toEqual({ kind: 'zigbee2mqtt', name: 'Bedroom diffuser' });
    expect(parseDiffuserSpec('mqtt:home/diffuser/set:on:off')).toEqual({ kind: 'mqtt', topic: 'home/diffuser/set', on: 'on', off: 'off' });
    expect(parseDiffuserSpec('mqtt:home/diffuser/set:on')).toMatch(/expected mqtt:/);
    expect(parseDiffuserSpec('tasmota:a/#')).toMatch(/expected/);
  });

  test('the logger redacts passwords and the Hue username', () => {
    const lines: string[] = [];
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, { write: (l: string) => void lines.push(l) });
    log.info({ config: { mqtt: { password: 'p4ss', url: 'mqtt://x' }, hue: { username: 'hue-user-secret' } }, WINDDOWN_MQTT_PASSWORD: 'p4ss' }, 'settings');
    expect(lines.join('')).not.toMatch(/p4ss|hue-user-secret/);
    expect(lines.join('')).toContain('mqtt://x');
  });

  test('a weak or published WINDDOWN_HOME_KEY is refused by name, with why, and never repeated', () => {
    for (const [key, why] of [
      ['0'.repeat(64), 'one byte repeated'],
      ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'the published test vector from docs/protocol.md'],
      ['DEADBEEF'.repeat(8), 'a pattern of 4 bytes repeated'],
    ]) {
      const found = problems({ ...base, WINDDOWN_HOME_KEY: key as string });
      expect(found).toEqual([`WINDDOWN_HOME_KEY: expected a key made at random (\`npx winddown key\` prints one), not ${why}`]);
      expect(found.join('\n').toLowerCase()).not.toContain((key as string).toLowerCase().slice(0, 16));
    }
  });

  test('a stored identity with a weak key is named, never used and never repeated', () => {
    const { dir, remove } = tempDir('winddown-identity-');
    try {
      writeFileSync(path.join(dir, 'identity.json'), JSON.stringify({ homeId: 'weak-home', key: '00'.repeat(32) }));
      const found = problems({ WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883', WINDDOWN_STATE_DIR: dir });
      expect(found).toContain(`WINDDOWN_STATE_DIR: ${path.join(dir, 'identity.json')} holds a weak key (one byte repeated); move it aside and run \`npx winddown pair\` again`);
      expect(found.join('\n')).not.toContain('0'.repeat(16));
    } finally {
      remove();
    }
  });

  test('the identity `winddown pair` stored fills in the home id and key; a damaged one is named, not replaced', () => {
    const { dir, remove } = tempDir('winddown-identity-');
    try {
      const env = { WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883', WINDDOWN_STATE_DIR: dir };
      const identity = createIdentity(dir);
      expect(loadConfig({ env })).toMatchObject({ homeId: identity.homeId, homeKey: identity.key });
      // Another home id set: the stored key is for another home and is not used.
      expect(() => loadConfig({ env: { ...env, WINDDOWN_HOME_ID: 'another-home' } })).toThrow(/WINDDOWN_HOME_KEY: is required/);
      expect(loadConfig({ env: { ...env, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX } }).homeKey).toBe(TEST_HOME_KEY_HEX);
      writeFileSync(path.join(dir, 'identity.json'), '{"homeId": "x"');
      expect(() => loadConfig({ env })).toThrow(/WINDDOWN_STATE_DIR: .*identity\.json is not a home identity/);
    } finally {
      remove();
    }
  });
});
