/**
 * The skill's settings: defaults, every variable, and what a bad value does (its default applies, the
 * home link stays off, and the problem is named without repeating a secret).
 */
import { readConfig } from '../../lambda/config';
import type { ReadText } from '../../src/config/mqtt';
import { TEST_HOME_KEY_HEX } from '../support/signing';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const readFile: ReadText = (file) => {
  if (file === '/certs/ca.pem') return PEM;
  throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
};

describe('the skill settings', () => {
  test('nothing set: voice only, hosted (no home id), with the documented defaults', () => {
    expect(readConfig({}, readFile)).toEqual({
      voiceLatencyMs: 1500,
      publishTimeoutMs: 1500,
      diffuserMinutes: 30,
      maxSpeechChars: 7600,
      problems: [],
    });
  });

  test('every variable lands where the skill reads it', () => {
    const config = readConfig(
      {
        WINDDOWN_MQTT_URL: ' mqtts://iot.example:8883 ',
        WINDDOWN_MQTT_USERNAME: 'skill',
        WINDDOWN_MQTT_PASSWORD: 'pw',
        WINDDOWN_MQTT_CA: '/certs/ca.pem',
        WINDDOWN_MQTT_CERT: PEM.replace(/\n/g, '\\n'),
        WINDDOWN_MQTT_KEY: PEM.replace(/\n/g, '\\n'),
        WINDDOWN_HOME_ID: 'flat-2',
        WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX.toUpperCase(),
        WINDDOWN_SKILL_ID: 'amzn1.ask.skill.ours',
        WINDDOWN_DYNAMODB_TABLE: 'winddown',
        WINDDOWN_VOICE_LATENCY_MS: '0',
        WINDDOWN_PUBLISH_TIMEOUT_MS: '5000',
        WINDDOWN_DIFFUSER_MINUTES: '240',
        WINDDOWN_MAX_SPEECH_CHARS: '1000',
      },
      readFile,
    );
    expect(config).toEqual({
      mqtt: { url: 'mqtts://iot.example:8883', username: 'skill', password: 'pw', ca: PEM, cert: PEM, key: PEM },
      homeId: 'flat-2',
      homeKey: TEST_HOME_KEY_HEX,
      skillId: 'amzn1.ask.skill.ours',
      dynamoTable: 'winddown',
      voiceLatencyMs: 0,
      publishTimeoutMs: 5000,
      diffuserMinutes: 240,
      maxSpeechChars: 1000,
      problems: [],
    });
  });

  test('bad values: each named, its default used, the home link off, no secret repeated', () => {
    const config = readConfig(
      {
        WINDDOWN_MQTT_URL: 'mqtt://skill-user-5:skill-pass-5@broker:1883',
        WINDDOWN_MQTT_PASSWORD: 'pass-5',
        WINDDOWN_MQTT_CERT: '/certs/missing.pem',
        WINDDOWN_MQTT_KEY: 'key-5',
        WINDDOWN_HOME_ID: 'not a home!',
        WINDDOWN_VOICE_LATENCY_MS: 'soon',
        WINDDOWN_MAX_SPEECH_CHARS: '9000',
        WINDDOWN_DIFFUSER_MINUTES: '45',
      },
      readFile,
    );
    expect(config.problems).toEqual([
      'WINDDOWN_MQTT_CERT: expected a readable file of PEM text, or the PEM text itself (got "/certs/missing.pem")',
      'WINDDOWN_MQTT_KEY: expected a readable file of PEM text, or the PEM text itself',
      `WINDDOWN_HOME_ID: expected this home's id (letters, digits, _ and -, up to 64; not a name the topics use: pairing, cmd, paired, availability, state, ha, skill, winddown) (got "not a home!")`,
      'WINDDOWN_VOICE_LATENCY_MS: expected a whole number of milliseconds from 0 to 10000 (got "soon")',
      'WINDDOWN_MAX_SPEECH_CHARS: expected a whole number of characters from 1000 to 7600 (got "9000")',
    ]);
    // A bad home id is not a home: the link is off, and no user's commands go anywhere.
    expect(config.homeId).toBeUndefined();
    expect(config).toMatchObject({ mqtt: undefined, voiceLatencyMs: 1500, maxSpeechChars: 7600, diffuserMinutes: 45 });
    expect(config.problems.join('\n')).not.toMatch(/skill-user-5|skill-pass-5|pass-5|key-5/);
  });

  test('with a broker, the home key is required: without it the home link is off and the problem names it, never a value', () => {
    const config = readConfig({ WINDDOWN_MQTT_URL: 'mqtt://broker:1883', WINDDOWN_HOME_ID: 'flat-2', WINDDOWN_HOME_KEY: 'not-a-key-7' }, readFile);
    expect(config.mqtt).toBeUndefined();
    expect(config.problems).toEqual([expect.stringMatching(/^WINDDOWN_HOME_KEY: expected this home's key: 64 hex digits/)]);
    expect(config.problems.join('\n')).not.toContain('not-a-key-7');
    expect(readConfig({ WINDDOWN_MQTT_URL: 'mqtt://broker:1883', WINDDOWN_HOME_ID: 'flat-2' }, readFile)).toMatchObject({
      mqtt: undefined,
      problems: [expect.stringMatching(/^WINDDOWN_HOME_KEY: is required with WINDDOWN_MQTT_URL and WINDDOWN_HOME_ID/)],
    });
  });

  test('a weak or published home key is refused by name and the home link is off; the key is never repeated', () => {
    const config = readConfig({ WINDDOWN_MQTT_URL: 'mqtt://broker:1883', WINDDOWN_HOME_ID: 'flat-2', WINDDOWN_HOME_KEY: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' }, readFile);
    expect(config.mqtt).toBeUndefined();
    expect(config.problems).toEqual(['WINDDOWN_HOME_KEY: expected a key made at random (`npx winddown key` prints one), not the published test vector from docs/protocol.md']);
    expect(readConfig({ WINDDOWN_MQTT_URL: 'mqtt://broker:1883', WINDDOWN_HOME_ID: 'flat-2', WINDDOWN_HOME_KEY: '00'.repeat(32) }, readFile).problems).toEqual([
      'WINDDOWN_HOME_KEY: expected a key made at random (`npx winddown key` prints one), not one byte repeated',
    ]);
  });

  test('a broker URL the bridge would accept, the skill accepts too (tcp and ssl included)', () => {
    for (const url of ['tcp://broker:1883', 'ssl://broker:8883', 'ws://broker/mqtt', 'wss://broker/mqtt']) {
      expect(readConfig({ WINDDOWN_MQTT_URL: url, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX }, readFile)).toMatchObject({ mqtt: { url }, problems: [] });
    }
  });
});
