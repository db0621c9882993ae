import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { publisherFor } from '../../devices/mqtt/link';
import { startBridge } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { createPlug, DIFFUSER_EXPECTED, parseDiffuserSpec, PLUG_KINDS } from '../../devices/plugs';
import { homeTopics } from '../../src/protocol/topics';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { shellySwitchSet } from '../../devices/plugs/shelly';
import { tasmotaPulseTime } from '../../devices/plugs/tasmota';
import { FakeClock } from '../support/fake-clock';
import { SimulatedPlainPlug, SimulatedShelly, SimulatedTasmota, SimulatedZigbeePlug } from '../../local/simulators/plugs';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { memoryLogger, T0, tempDir } from './helpers';
import { until } from '../support/until';
import { closedAtTeardown } from '../support/teardown';

describe('plug timers', () => {
  test('Tasmota PulseTime: tenths of a second up to 111, then value − 100 seconds, capped at 64900', () => {
    expect(tasmotaPulseTime(0.5)).toBe(5);
    expect(tasmotaPulseTime(11.1)).toBe(111);
    expect(tasmotaPulseTime(12)).toBe(112);
    expect(tasmotaPulseTime(60)).toBe(160);
    expect(tasmotaPulseTime(60 * 60)).toBe(3700);
    expect(tasmotaPulseTime(24 * 3600)).toBe(64_900);
    expect(tasmotaPulseTime(0)).toBe(0);
  });

  test('Shelly Switch.Set carries toggle_after only when switching on', () => {
    expect(shellySwitchSet(7, 'winddown-bridge-home-1', true, 1800)).toEqual({ id: 7, src: 'winddown-bridge-home-1', method: 'Switch.Set', params: { id: 0, on: true, toggle_after: 1800 } });
    expect(shellySwitchSet(8, 'winddown-bridge-home-1', false)).toEqual({ id: 8, src: 'winddown-bridge-home-1', method: 'Switch.Set', params: { id: 0, on: false } });
  });
});

describe('plugs over a real broker, against fakes that behave like their firmware', () => {
  let broker: TestBroker;
  let client: MqttClient;
  let clock: FakeClock;
  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
  });
  beforeEach(async () => {
    clock = new FakeClock(T0);
    client = await mqtt.connectAsync(broker.url, { clientId: `bridge-${Math.random().toString(36).slice(2)}` });
  });
  afterEach(async () => {
    await client.endAsync(true);
  });

  test('Tasmota switches itself off after PulseTime even if the bridge never sends OFF', async () => {
    const fake = new SimulatedTasmota('diffuser', broker.url, clock);
    await fake.start();
    await createPlug('tasmota:diffuser', publisherFor(client)).set(true, 30 * 60);
    await until(() => fake.on, 'on');
    expect(fake.pulseTime).toBe(1900);
    await clock.advance(30 * 60_000 - 1);
    expect(fake.on).toBe(true);
    await clock.advance(1);
    expect(fake.history.at(-1)).toEqual({ at: T0 + 30 * 60_000, on: false, by: 'timer' });
    await fake.stop();
  });

  test('Shelly Gen2 honours toggle_after and replies to the caller', async () => {
    const fake = new SimulatedShelly('shellyplusplugs-abc', broker.url, clock);
    await fake.start();
    const replies: string[] = [];
    client.on('message', (_t, p) => replies.push(p.toString()));
    await client.subscribeAsync('winddown-test/rpc', { qos: 1 });
    await createPlug('shelly:shellyplusplugs-abc', publisherFor(client), 'winddown-test').set(true, 600);
    await until(() => fake.on && replies.length === 1, 'on and replied');
    expect(fake.lastToggleAfter).toBe(600);
    expect(JSON.parse(replies[0] ?? '{}')).toMatchObject({ id: 1, src: 'shellyplusplugs-abc', result: { was_on: false } });
    await clock.advance(600_000);
    expect(fake.history.at(-1)).toEqual({ at: T0 + 600_000, on: false, by: 'timer' });
    await fake.stop();
  });

  test('Zigbee2MQTT and plain-topic plugs switch on and off', async () => {
    const zigbee = new SimulatedZigbeePlug('Diffuser plug', broker.url, clock);
    const plain = new SimulatedPlainPlug('home/diffuser/set', 'on', 'off', broker.url, clock);
    await Promise.all([zigbee.start(), plain.start()]);
    const z = createPlug('zigbee2mqtt:Diffuser plug', publisherFor(client));
    const p = createPlug('mqtt:home/diffuser/set:on:off', publisherFor(client));
    await Promise.all([z.set(true, 60), p.set(true, 60)]);
    await until(() => zigbee.on && plain.on, 'both on');
    // Every ON carries Zigbee2MQTT's on_time, the plug's own off timer where its firmware has one.
    expect(zigbee.received[0]).toMatchObject({ topic: 'zigbee2mqtt/Diffuser plug/set', payload: '{"state":"ON","on_time":60}' });
    await Promise.all([z.set(false), p.set(false)]);
    await until(() => !zigbee.on && !plain.on, 'both off');
    await Promise.all([zigbee.stop(), plain.stop()]);
  });

  test('Zigbee2MQTT: the plug switches itself off after on_time even if the bridge never sends OFF', async () => {
    const zigbee = new SimulatedZigbeePlug('Diffuser plug', broker.url, clock);
    await zigbee.start();
    await createPlug('zigbee2mqtt:Diffuser plug', publisherFor(client)).set(true, 20 * 60);
    await until(() => zigbee.on, 'on');
    await clock.advance(20 * 60_000);
    expect(zigbee.history.at(-1)).toEqual({ at: T0 + 20 * 60_000, on: false, by: 'timer' });
    await zigbee.stop();
  });

  test("the bridge's retained state says who switches each kind off, as the registry does", async () => {
    for (const kind of Object.values(PLUG_KINDS)) {
      const state = tempDir();
      const homeId = `offby-${kind.kind}`;
      const config = loadConfig({ env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: homeId, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_DIFFUSER: kind.usage.replace(/<[^>]+>/g, 'x'), WINDDOWN_STATE_DIR: state.dir, TZ: 'UTC' } });
      const bridge = await startBridge(config, { clock, log: memoryLogger().log, lights: null });
      await bridge.connected;
      const capabilities = new Promise<unknown>((resolve) => client.once('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
      await client.subscribeAsync(homeTopics(homeId).bridgeState, { qos: 1 });
      expect(await capabilities).toMatchObject({ diffuser: true, diffuserOffBy: kind.timesItself ? 'plug' : 'bridge' });
      await client.unsubscribeAsync(homeTopics(homeId).bridgeState);
      await bridge.stop();
      state.remove();
    }
  });

  test('commands to one plug go out in order: an OFF cannot slip between PulseTime and a Tasmota ON', async () => {
    const fake = new SimulatedTasmota('diffuser', broker.url, clock);
    await fake.start();
    // The broker answers the first publish (PulseTime) slowly, as a busy one would.
    const real = publisherFor(client);
    let first = true;
    const slow = {
      async publish(topic: string, payload: string, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void> {
        if (first) {
          first = false;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await real.publish(topic, payload, options);
      },
    };
    const plug = createPlug('tasmota:diffuser', slow);
    await Promise.all([plug.set(true, 600), plug.set(false)]);
    await until(() => fake.received.length === 3, 'three commands');
    expect(fake.received.map((r) => `${r.topic.split('/').at(-1) ?? ''} ${r.payload}`)).toEqual(['PulseTime 700', 'POWER ON', 'POWER OFF']);
    expect(fake.on).toBe(false);
    await fake.stop();
  });
});

describe('the plug registry', () => {
  const kinds = Object.values(PLUG_KINDS);

  test('every kind is named in the usage text, and its plugs carry its own "times itself" flag', () => {
    for (const kind of kinds) {
      expect(DIFFUSER_EXPECTED).toContain(kind.usage);
      const example = kind.usage.replace(/<[^>]+>/g, 'x');
      expect(parseDiffuserSpec(example)).toMatchObject({ kind: kind.kind });
      const plug = createPlug(example, { publish: () => Promise.resolve() });
      expect({ kind: plug.kind, hasOwnTimer: plug.hasOwnTimer }).toEqual({ kind: kind.kind, hasOwnTimer: kind.timesItself });
    }
    expect(parseDiffuserSpec('constructor:x')).toBe(`expected ${DIFFUSER_EXPECTED}`);
    expect(parseDiffuserSpec('zigbee2mqtt:plug/#')).toBe(`expected ${DIFFUSER_EXPECTED}`);
  });

  test("devices/README.md's plug table says what the registry says", () => {
    const readme = readFileSync(path.join(__dirname, '../../devices/README.md'), 'utf8');
    for (const kind of kinds) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${kind.usage}\``));
      expect(row).toBeDefined();
      expect(row?.trim().endsWith(kind.timesItself ? '| yes |' : '| no |')).toBe(true);
    }
  });

  test('nothing outside devices/plugs/ asks which kind a plug is', () => {
    const names = kinds.map((k) => k.kind).join('|');
    // A kind compared, or a switch over the unmistakable names ('mqtt' is also a URL scheme).
    const unmistakable = kinds.map((k) => k.kind).filter((k) => k !== 'mqtt').join('|');
    const asks = new RegExp(`kind\\s*[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==\\s*[\\w.?]*kind\\b|case '(${unmistakable})'`);
    const root = path.join(__dirname, '../..');
    const offenders: string[] = [];
    for (const dir of ['devices', 'local', 'lambda', 'src']) {
      for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.startsWith(`plugs${path.sep}`)) continue;
        if (asks.test(readFileSync(path.join(root, dir, file), 'utf8'))) offenders.push(`${dir}/${file}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
