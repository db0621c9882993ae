import mqtt from 'mqtt';
import { startBridge } from '../../devices/bridge';
import type { BridgeHandle } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { EventBus } from '../../devices/events';
import { FakeClock } from '../support/fake-clock';
import { SimulatedZigbeePlug } from '../../local/simulators/plugs';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from './brokers';
import { startAedes } from './brokers';
import { memoryLogger, messageId, T0, tempDir, waitFor } from './helpers';
import { signed, TEST_HOME_KEY_HEX } from '../support/signing';
import { hostedBroker } from '../../devices/mqtt/home-assistant';
import { TopicRoutes } from '../../devices/mqtt/routes';
import { createIdentity } from '../../devices/pairing/identity';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await broker.close();
});

describe('Home Assistant discovery', () => {

  test('publishes retained configs, again when Home Assistant comes online, and takes ON/OFF from its switch', async () => {
    const clock = new FakeClock(T0);
    const state = tempDir();
    const logs = memoryLogger();
    const plug = new SimulatedZigbeePlug('diffuser', broker.url, clock);
    await plug.start();
    const ha = await mqtt.connectAsync(broker.url, { clientId: 'home-assistant' });
    const configs: { topic: string; payload: string }[] = [];
    ha.on('message', (topic, payload) => topic.endsWith('/config') && configs.push({ topic, payload: payload.toString() }));
    await ha.subscribeAsync('homeassistant/#', { qos: 1 });
    // A retained ON left on the switch's command topic must not switch the plug on when the bridge starts.
    await ha.publishAsync('winddown/ha-home/ha/diffuser/set', 'ON', { qos: 1, retain: true });
    const config = loadConfig({
      env: { WINDDOWN_DIFFUSER_MAX_MINUTES: '30', WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: 'ha-home', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_DIFFUSER: 'zigbee2mqtt:diffuser', WINDDOWN_STATE_DIR: state.dir, WINDDOWN_HA_DISCOVERY: '1', TZ: 'UTC' },
    });
    const bridge: BridgeHandle = await startBridge(config, { clock, log: logs.log, lights: null });
    await bridge.connected;
    await waitFor(() => configs.length === 2, 'discovery configs');
    expect(configs.map((c) => c.topic).sort()).toEqual(['homeassistant/sensor/winddown_ha-home/session/config', 'homeassistant/switch/winddown_ha-home/diffuser/config']);
    const sw = JSON.parse(configs.find((c) => c.topic.includes('/switch/'))?.payload ?? '{}') as Record<string, unknown>;
    expect(sw).toMatchObject({ state_topic: homeTopics('ha-home').diffuserState, availability_topic: homeTopics('ha-home').availability, command_topic: 'winddown/ha-home/ha/diffuser/set' });

    await waitFor(() => logs.warnings().some((l) => l.msg.includes('(retained)')), 'the retained ON dropped');
    expect(plug.on).toBe(false);
    // Only the OFF every start sends when no deadline is on record.
    await waitFor(() => plug.received.length === 1, 'the OFF sent at start');
    expect(plug.received.map((r) => r.payload)).toEqual(['{"state":"OFF"}']);
    await ha.publishAsync(sw.command_topic as string, '', { qos: 1, retain: true }); // clears it

    await ha.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await waitFor(() => configs.length === 4, 'configs re-published');

    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await waitFor(() => plug.on, 'switched on from Home Assistant');
    await ha.publishAsync(sw.command_topic as string, 'OFF', { qos: 1 });
    await waitFor(() => !plug.on, 'switched off from Home Assistant');

    // Switched on from Home Assistant, it still goes off at the maximum run time, however often ON is repeated.
    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await waitFor(() => plug.on, 'on again');
    await clock.advance(20 * 60_000);
    const sent = plug.received.length;
    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await waitFor(() => plug.received.length === sent + 1, 'the repeated ON');
    expect(plug.received.at(-1)?.payload).toBe('{"state":"ON","on_time":600}');
    await clock.advance(10 * 60_000 - 1);
    expect(plug.on).toBe(true);
    await clock.advance(1);
    await waitFor(() => !plug.on, 'off at the maximum run time');

    await bridge.stop();
    await ha.endAsync(true);
    await plug.stop();
    state.remove();
  });

  test('an ON sent to the switch while the bridge was away is not acted on when it comes back', async () => {
    const clock = new FakeClock(T0);
    const state = tempDir();
    const logs = memoryLogger();
    const plug = new SimulatedZigbeePlug('diffuser-away', broker.url, clock);
    await plug.start();
    const ha = await mqtt.connectAsync(broker.url, { clientId: 'home-assistant-away' });
    const config = loadConfig({
      env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: 'ha-away', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_DIFFUSER: 'zigbee2mqtt:diffuser-away', WINDDOWN_STATE_DIR: state.dir, WINDDOWN_HA_DISCOVERY: '1', TZ: 'UTC' },
    });
    const first: BridgeHandle = await startBridge(config, { clock, log: logs.log, lights: null });
    await first.connected;
    await first.stop({ graceful: false });
    // Hours ago, as the bridge sees it: a QoS 1, not retained ON that a persistent session would queue.
    await ha.publishAsync('winddown/ha-away/ha/diffuser/set', 'ON', { qos: 1 });
    const second: BridgeHandle = await startBridge(config, { clock, log: logs.log, lights: null });
    await second.connected;
    await ha.publishAsync('winddown/ha-away/ha/diffuser/set', 'OFF', { qos: 1 });
    // The OFF sent now arrives; the ON queued before it never did.
    await waitFor(() => plug.received.filter((r) => r.payload.includes('OFF')).length === 3, 'two start-up OFFs and the switch OFF');
    expect(plug.history.some((h) => h.on)).toBe(false);
    await second.stop();
    await ha.endAsync(true);
    await plug.stop();
    state.remove();
  });
});

describe('Home Assistant control is opt-in and local', () => {
  /**
   * A bridge with a Zigbee plug and someone publishing an unsigned ON (and Home Assistant's "online")
   * as Home Assistant would. Then a signed OFF from the same client: once it has switched the plug,
   * the ON before it would have been acted on too, had the bridge listened.
   */
  async function unsignedOn(homeId: string, env: Record<string, string>, prepare: (stateDir: string) => void = () => undefined) {
    const clock = new FakeClock(T0);
    const state = tempDir();
    prepare(state.dir);
    const logs = memoryLogger();
    const plug = new SimulatedZigbeePlug(`plug-${homeId}`, broker.url, clock);
    await plug.start();
    const config = loadConfig({ env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_DIFFUSER: `zigbee2mqtt:plug-${homeId}`, WINDDOWN_STATE_DIR: state.dir, TZ: 'UTC', ...env } });
    const bridge = await startBridge(config, { clock, log: logs.log, lights: null });
    await bridge.connected;
    const outsider = await mqtt.connectAsync(broker.url, { clientId: `outsider-${homeId}` });
    const discovery: string[] = [];
    outsider.on('message', (topic) => void discovery.push(topic));
    // This home's configs only: the broker keeps other tests' homes' retained ones.
    await outsider.subscribeAsync(`homeassistant/+/winddown_${config.homeId}/+/config`, { qos: 1 });
    await waitFor(() => plug.received.length === 1, 'the OFF sent at start');
    await outsider.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await outsider.publishAsync(`winddown/${config.homeId}/ha/diffuser/set`, 'ON', { qos: 1 });
    const off = { v: PROTOCOL_VERSION, id: messageId(), homeId: config.homeId, issuedAt: clock.now(), type: 'diffuser.set', on: false };
    await outsider.publishAsync(homeTopics(config.homeId).command, signed(off), { qos: 1 });
    await waitFor(() => plug.received.length === 2, 'the signed OFF');
    const result = { history: plug.history, discovery, warnings: logs.warnings().map((l) => l.msg) };
    await bridge.stop();
    await outsider.endAsync(true);
    await plug.stop();
    state.remove();
    return result;
  }

  test('without WINDDOWN_HA_DISCOVERY an unsigned ON is not obeyed and nothing is announced', async () => {
    const seen = await unsignedOn('ha-off', { WINDDOWN_HOME_ID: 'ha-off', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX });
    expect(seen.history.some((h) => h.on)).toBe(false);
    expect(seen.discovery).toEqual([]);
  });

  test('on the hosted broker (a home paired with `winddown pair`) it is refused, with a warning saying why', async () => {
    let homeId = '';
    const seen = await unsignedOn('ha-paired', { WINDDOWN_HA_DISCOVERY: '1' }, (dir) => void (homeId = createIdentity(dir, { key: TEST_HOME_KEY_HEX }).homeId));
    expect(homeId).not.toBe('');
    expect(seen.history.some((h) => h.on)).toBe(false);
    expect(seen.discovery).toEqual([]);
    expect(seen.warnings).toContainEqual(expect.stringContaining('WINDDOWN_HA_DISCOVERY ignored'));
  });

  test('what counts as the hosted broker', () => {
    expect(hostedBroker({ url: 'mqtts://a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com:8883' }, false)).toMatch(/AWS IoT Core/);
    expect(hostedBroker({ url: 'mqtts://a1b2c3.iot.cn-north-1.amazonaws.com.cn' }, false)).toMatch(/AWS IoT Core/);
    expect(hostedBroker({ url: 'mqtt://192.168.1.5:1883' }, true)).toMatch(/paired/);
    expect(hostedBroker({ url: 'mqtt://192.168.1.5:1883' }, false)).toBeNull();
    expect(hostedBroker({ url: 'mqtts://broker.example.org:8883' }, false)).toBeNull();
    // A name that merely contains the words is not AWS.
    expect(hostedBroker({ url: 'mqtt://iot.amazonaws.com.home.lan' }, false)).toBeNull();
  });
});

describe('topic routes', () => {
  test('each topic has one owner, and a message goes only to its own', () => {
    const routes = new TopicRoutes();
    const got: string[] = [];
    routes.add({ topic: 'a/command', qos: 1, handle: (p) => void got.push(`a ${p.toString()}`) }, { topic: 'b/set', qos: 0, handle: (p, retained) => void got.push(`b ${p.toString()} ${retained}`) });
    expect(() => routes.add({ topic: 'a/command', qos: 1, handle: () => undefined })).toThrow(/two handlers for a\/command/);
    expect(routes.subscriptions()).toEqual({ 'a/command': { qos: 1 }, 'b/set': { qos: 0 } });
    expect(routes.dispatch('b/set', Buffer.from('ON'), true)).toBe(true);
    expect(routes.dispatch('c/other', Buffer.from('x'), false)).toBe(false);
    expect(got).toEqual(['b ON true']);
  });
});

describe('event bus', () => {
  test("the plug's own broker reports its connection as the diffuser's", async () => {
    const [main, plugBroker] = await Promise.all([startAedes(), startAedes()]);
    const state = tempDir();
    const config = loadConfig({
      env: { WINDDOWN_MQTT_URL: main.url, WINDDOWN_HOME_ID: 'two-brokers', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_DIFFUSER: 'tasmota:diffuser', WINDDOWN_DIFFUSER_MQTT_URL: plugBroker.url, WINDDOWN_STATE_DIR: state.dir, TZ: 'UTC' },
    });
    const bridge = await startBridge(config, { clock: new FakeClock(T0), log: memoryLogger().log, lights: null, reconnectMinMs: 50, reconnectMaxMs: 50 });
    const seen: string[] = [];
    bridge.events.on('mqtt.connected', ({ broker }) => void seen.push(`up ${broker}`));
    bridge.events.on('mqtt.disconnected', ({ broker }) => void seen.push(`down ${broker}`));
    await waitFor(() => seen.includes('up diffuser') && seen.includes('up main'), 'both brokers connected');
    await plugBroker.down();
    await waitFor(() => seen.includes('down diffuser'), 'the plug broker gone');
    await plugBroker.up();
    await waitFor(() => seen.filter((e) => e === 'up diffuser').length === 2, 'the plug broker back');
    expect(seen).not.toContain('down main');
    await bridge.stop();
    await Promise.all([main.close(), plugBroker.close()]);
    state.remove();
  });

  test('a listener that throws or rejects is logged and the others still run', async () => {
    const logs = memoryLogger();
    const bus = new EventBus(logs.log);
    const seen: string[] = [];
    bus.on('mqtt.connected', () => {
      throw new Error('boom');
    });
    bus.on('mqtt.connected', () => Promise.reject(new Error('async boom')));
    bus.on('mqtt.connected', ({ broker }) => void seen.push(broker));
    bus.emit('mqtt.connected', { broker: 'main' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['main']);
    expect(logs.lines.filter((l) => l.msg === 'event listener failed')).toHaveLength(2);
  });
});
