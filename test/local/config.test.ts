/**
 * The local run's settings: defaults, every variable, every problem at once (the bridge's included,
 * before anything starts), and a start banner that shows a configured broker without its secrets.
 */
import path from 'node:path';
import { bridgeEnvFor, loadLocalConfig } from '../../local/config';
import { startAedes } from '../support/brokers';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { problemsOf } from '../support/config-problems';
import { closedAtTeardown } from '../support/teardown';
import { startLocal } from '../support/local-run';

const problems = (env: NodeJS.ProcessEnv): string[] => problemsOf(() => loadLocalConfig(env));

describe('the local run settings', () => {
  test('nothing set: everything simulated, on 127.0.0.1:8787', () => {
    expect(loadLocalConfig({})).toEqual({
      homeId: 'home',
      stateDir: path.join('.winddown', 'local'),
      logLevel: 'info',
      logFormat: 'auto',
      voiceLatencyMs: 300,
      alexaVerify: 'remote',
      host: '127.0.0.1',
      port: 8787,
    });
  });

  test('every variable it reads', () => {
    const config = loadLocalConfig({
      WINDDOWN_MQTT_URL: 'mqtt://192.168.1.5:1883',
      WINDDOWN_MQTT_USERNAME: 'me',
      WINDDOWN_MQTT_PASSWORD: 'pw',
      WINDDOWN_HOME_ID: 'flat',
      WINDDOWN_HUE_URL: 'https://192.168.1.20',
      WINDDOWN_HUE_USERNAME: 'hue-user',
      WINDDOWN_HUE_GROUP: 'Bedroom',
      WINDDOWN_DIFFUSER: 'tasmota:diffuser',
      WINDDOWN_STATE_DIR: '/tmp/wd',
      WINDDOWN_LOG_LEVEL: 'warn',
      WINDDOWN_LOG_FORMAT: 'json',
      WINDDOWN_VOICE_LATENCY_MS: '900',
      WINDDOWN_ALEXA_VERIFY: 'always',
      WINDDOWN_LOCAL_HOST: '0.0.0.0',
      WINDDOWN_LOCAL_PORT: '9000',
      WINDDOWN_LOCAL_URL: 'http://127.0.0.1:9000/',
    });
    expect(config).toEqual({
      mqtt: { url: 'mqtt://192.168.1.5:1883', username: 'me', password: 'pw' },
      homeId: 'flat',
      hueUrl: 'https://192.168.1.20',
      diffuser: 'tasmota:diffuser',
      stateDir: '/tmp/wd',
      logLevel: 'warn',
      logFormat: 'json',
      voiceLatencyMs: 900,
      alexaVerify: 'always',
      host: '0.0.0.0',
      port: 9000,
      url: 'http://127.0.0.1:9000',
    });
  });

  test("every problem at once, the bridge's included, each variable once, no secret repeated", () => {
    const found = problems({
      WINDDOWN_MQTT_URL: 'http://local-user-3:local-pass-3@broker',
      WINDDOWN_MQTT_PASSWORD: 'pw-3',
      WINDDOWN_HUE_URL: 'https://10.0.0.2',
      WINDDOWN_LOCAL_PORT: 'eighty',
      WINDDOWN_ALEXA_VERIFY: 'sometimes',
      WINDDOWN_DIFFUSER_MAX_MINUTES: '0',
    });
    expect(found.map((p) => p.split(':')[0])).toEqual([
      'WINDDOWN_MQTT_URL',
      'WINDDOWN_ALEXA_VERIFY',
      'WINDDOWN_LOCAL_PORT',
      'WINDDOWN_HUE_USERNAME',
      'WINDDOWN_HUE_LIGHTS',
      'WINDDOWN_DIFFUSER_MAX_MINUTES',
    ]);
    expect(found.join('\n')).not.toMatch(/local-user-3|local-pass-3|pw-3/);
  });

  test("the bridge is given the simulators where nothing real is configured, and the run's state directory", () => {
    const config = loadLocalConfig({ WINDDOWN_STATE_DIR: '/tmp/wd' });
    const env = bridgeEnvFor({ WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_DIFFUSER_MQTT_URL: 'mqtt://x' }, config, {
      homeKey: TEST_HOME_KEY_HEX,
      mqttUrl: 'mqtt://127.0.0.1:1883',
      hue: { url: 'http://127.0.0.1:8000', username: 'sim' },
      plugTopic: 'winddown-diffuser',
    });
    expect(env).toEqual({
      WINDDOWN_HOME_ID: 'home',
      WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX,
      WINDDOWN_STATE_DIR: path.join('/tmp/wd', 'bridge'),
      WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883',
      WINDDOWN_HUE_URL: 'http://127.0.0.1:8000',
      WINDDOWN_HUE_USERNAME: 'sim',
      WINDDOWN_HUE_GROUP: 'Bedroom',
      WINDDOWN_DIFFUSER: 'tasmota:winddown-diffuser',
    });
  });

  test('the start banner shows a real broker without its user name or password', async () => {
    const broker = await closedAtTeardown(startAedes());
    const url = `mqtt://banner-user-4:banner-pass-4@127.0.0.1:${broker.port}`;
    const system = await startLocal({ env: { WINDDOWN_MQTT_URL: url, WINDDOWN_MQTT_PASSWORD: 'banner-pass-5', WINDDOWN_HOME_ID: 'banner-home' }, stateDirPrefix: 'winddown-local-config-' });
    expect(system.parts[0]).toEqual({ name: 'MQTT broker', where: `mqtt://127.0.0.1:${broker.port}`, simulated: false });
    expect(JSON.stringify(system.parts)).not.toMatch(/banner-user-4|banner-pass-4|banner-pass-5/);
  });
});
