/**
 * The pieces every program's settings are built from: the broker URL rule, the TLS file rule, the MQTT
 * settings schema, the client-options builder and the plain-words problems.
 */
import * as z from 'zod/mini';
import { MQTT_SCHEMES, mqttScheme, mqttSettings, mqttVariables, type MqttSettings, type ReadText } from '../../src/config/mqtt';
import { CONNECT_TIMEOUT_MS, mqttClientOptions } from '../../src/config/mqtt-options';
import { ConfigError, describeIssues, gather, redactUrl, SETTINGS_DOC, variableAt, type Variables } from '../../src/config/problems';
import { flag, optional, required, wholeNumber, withDefault, text } from '../../src/config/setting';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/certs/ca.pem': PEM, '/certs/not-pem.der': 'binary' };
const readFile: ReadText = (file) => {
  const content = files[file];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  return content;
};

const schema = mqttSettings(readFile);
const VARIABLES: Variables = mqttVariables('WINDDOWN_MQTT', 'mqtt', { tls: true, clientId: true });
const wrapped = z.object({ mqtt: z.optional(schema) });

function problems(env: Record<string, string>): string[] {
  const parsed = wrapped.safeParse(gather(env, VARIABLES), { reportInput: true });
  return parsed.success ? [] : describeIssues(parsed.error.issues, VARIABLES);
}

describe('the broker URL rule', () => {
  test('one list of schemes, each with a host', () => {
    expect(MQTT_SCHEMES).toEqual(['mqtt', 'mqtts', 'tcp', 'ssl', 'ws', 'wss']);
    for (const scheme of MQTT_SCHEMES) expect(mqttScheme(`${scheme}://broker.example:1234`)).toBe(scheme);
    for (const url of ['http://broker', 'mqtt:broker', 'mqtt://', 'broker:1883', 'not a url']) expect(mqttScheme(url)).toBeNull();
  });
});

describe('the MQTT settings schema', () => {
  test('a TLS setting is the PEM text itself (with \\n for line breaks) or the path of a PEM file', () => {
    const parsed = schema.parse({ url: 'mqtts://b:8883', ca: '/certs/ca.pem', cert: PEM.replace(/\n/g, '\\n'), key: PEM });
    expect(parsed).toEqual({ url: 'mqtts://b:8883', ca: PEM, cert: PEM, key: PEM.trim() });
  });

  test('a missing or non-PEM file, a certificate without its key: each named by its variable', () => {
    expect(problems({ WINDDOWN_MQTT_URL: 'mqtts://b', WINDDOWN_MQTT_CA: '/certs/missing.pem', WINDDOWN_MQTT_CERT: '/certs/not-pem.der' })).toEqual([
      'WINDDOWN_MQTT_CA: expected a readable file of PEM text, or the PEM text itself (got "/certs/missing.pem")',
      'WINDDOWN_MQTT_CERT: expected a readable file of PEM text, or the PEM text itself (got "/certs/not-pem.der")',
      'WINDDOWN_MQTT_KEY: is required with the client certificate: both or neither',
    ]);
  });

  test('credentials in the settings and a bad URL are reported without the secrets', () => {
    const found = problems({
      WINDDOWN_MQTT_URL: 'http://alice:url-pass-1@broker:1883',
      WINDDOWN_MQTT_USERNAME: ' ',
      WINDDOWN_MQTT_PASSWORD: 'pw-2',
      WINDDOWN_MQTT_KEY: 'key-material-3',
      WINDDOWN_MQTT_CLIENT_ID: 'bad id!',
    });
    expect(found.map((p) => p.split(':')[0])).toEqual(['WINDDOWN_MQTT_URL', 'WINDDOWN_MQTT_KEY', 'WINDDOWN_MQTT_CLIENT_ID', 'WINDDOWN_MQTT_CERT']);
    // The URL is shown without its user-info, so it can be recognised and fixed.
    expect(found[0]).toBe('WINDDOWN_MQTT_URL: expected a broker URL such as mqtt://host:1883 or mqtts://host:8883 (schemes: mqtt, mqtts, tcp, ssl, ws, wss) (got http://broker:1883/)');
    expect(found.join('\n')).not.toMatch(/alice|url-pass-1|pw-2|key-material-3/);
  });

  test('a URL that cannot be read as one is not repeated at all', () => {
    const found = problems({ WINDDOWN_MQTT_URL: 'mqtts://bob:secret-4@[broker:8883' });
    expect(found).toEqual(['WINDDOWN_MQTT_URL: expected a broker URL such as mqtt://host:1883 or mqtts://host:8883 (schemes: mqtt, mqtts, tcp, ssl, ws, wss)']);
  });
});

describe('mqttClientOptions', () => {
  const settings: MqttSettings = { url: 'mqtts://b:8883', username: 'u', password: 'p', ca: PEM, cert: PEM, key: PEM };

  test("the bridge's habits: a kept session under a fixed id, its own reconnects, a retained last will", () => {
    expect(mqttClientOptions(settings, { clientId: 'winddown-bridge-home', clean: false, keepaliveSeconds: 30, reconnectPeriodMs: 1000, will: { topic: 't', payload: 'offline' } })).toEqual({
      clientId: 'winddown-bridge-home',
      clean: false,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: CONNECT_TIMEOUT_MS,
      protocolVersion: 4,
      resubscribe: true,
      username: 'u',
      password: 'p',
      ca: PEM,
      cert: PEM,
      key: PEM,
      will: { topic: 't', payload: 'offline', qos: 1, retain: true },
    });
  });

  test('MQTT 5 when asked: the largest packet the broker may send, and how long it keeps a session that is not clean', () => {
    const habits = { clientId: 'winddown-bridge-home', keepaliveSeconds: 30, reconnectPeriodMs: 1000, mqtt5: { maximumPacketBytes: 66_560, sessionExpirySeconds: 3600 } };
    expect(mqttClientOptions({ url: 'mqtt://b' }, { ...habits, clean: false })).toMatchObject({ protocolVersion: 5, properties: { maximumPacketSize: 66_560, sessionExpiryInterval: 3600 } });
    // A clean session ends with its connection, as asked.
    expect(mqttClientOptions({ url: 'mqtt://b' }, { ...habits, clean: true }).properties).toEqual({ maximumPacketSize: 66_560 });
  });

  test("the skill's habits: a clean session, no reconnect of its own, nothing unset passed on", () => {
    expect(mqttClientOptions({ url: 'mqtt://b' }, { clientId: 'winddown-skill-1', clean: true, keepaliveSeconds: 60, reconnectPeriodMs: 0 })).toEqual({
      clientId: 'winddown-skill-1',
      clean: true,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      protocolVersion: 4,
      resubscribe: true,
    });
  });
});

describe('problems in plain words', () => {
  const VARS: Variables = {
    WINDDOWN_A: { path: 'group.a', shown: 'value' },
    WINDDOWN_B: { path: 'group.b' },
    WINDDOWN_N: { path: 'n', shown: 'value' },
    WINDDOWN_F: { path: 'f', shown: 'value' },
  };
  const s = z.object({
    group: z.prefault(z.object({ a: required('a word', text), b: optional('a secret', text) }), {} as never),
    n: withDefault('a whole number from 1 to 5', wholeNumber(1, 5), 3),
    f: withDefault('1 or 0', flag, false),
  });

  test('every problem at once, each naming its variable; defaults fill the rest', () => {
    const parsed = s.safeParse(gather({ WINDDOWN_N: '9', WINDDOWN_F: 'maybe', WINDDOWN_B: 'hidden-value' }, VARS), { reportInput: true });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!.issues, VARS)).toEqual([
      'WINDDOWN_A: is required: a word',
      'WINDDOWN_N: expected a whole number from 1 to 5 (got "9")',
      'WINDDOWN_F: expected 1 or 0 (got "maybe")',
    ]);
    expect(s.parse(gather({ WINDDOWN_A: ' x ', WINDDOWN_F: 'yes', WINDDOWN_N: '' }, VARS))).toEqual({ group: { a: 'x' }, n: 3, f: true });
  });

  test('a problem about a whole group goes to its first variable; the error points to the settings table', () => {
    expect(variableAt(['group'], VARS)).toBe('WINDDOWN_A');
    expect(variableAt(['group', 'b', 0], VARS)).toBe('WINDDOWN_B');
    const error = new ConfigError(['WINDDOWN_A: is required: a word']);
    expect(error.message).toContain(SETTINGS_DOC);
    expect(error.message).toContain('\n  - WINDDOWN_A: is required: a word');
  });

  test('redactUrl drops user name and password', () => {
    expect(redactUrl('mqtts://user:pass@broker:8883')).toBe('mqtts://broker:8883');
    expect(redactUrl('nonsense')).toBeNull();
  });
});
