import mqtt from 'mqtt';
import { startBridge } from '../../devices/bridge';
import type { BridgeHandle } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { EventBus } from '../../devices/events';
import { FakeClock } from '../support/fake-clock';
import { SimulatedZigbeePlug } from '../../local/simulators/plugs';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { memoryLogger, T0, tempDir } from './helpers';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { until } from '../support/until';

describe('Home Assistant discovery', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => {
    await broker.close();
  });

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
    await until(() => configs.length === 2, 'discovery configs');
    expect(configs.map((c) => c.topic).sort()).toEqual(['homeassistant/sensor/winddown_ha-home/session/config', 'homeassistant/switch/winddown_ha-home/diffuser/config']);
    const sw = JSON.parse(configs.find((c) => c.topic.includes('/switch/'))?.payload ?? '{}') as Record<string, unknown>;
    expect(sw).toMatchObject({ state_topic: homeTopics('ha-home').diffuserState, availability_topic: homeTopics('ha-home').availability, command_topic: 'winddown/ha-home/ha/diffuser/set' });

    await until(() => logs.warnings().some((l) => l.msg.includes('(retained)')), 'the retained ON dropped');
    expect(plug.on).toBe(false);
    // Only the OFF every start sends when no deadline is on record.
    await until(() => plug.received.length === 1, 'the OFF sent at start');
    expect(plug.received.map((r) => r.payload)).toEqual(['{"state":"OFF"}']);
    await ha.publishAsync(sw.command_topic as string, '', { qos: 1, retain: true }); // clears it

    await ha.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await until(() => configs.length === 4, 'configs re-published');

    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await until(() => plug.on, 'switched on from Home Assistant');
    await ha.publishAsync(sw.command_topic as string, 'OFF', { qos: 1 });
    await until(() => !plug.on, 'switched off from Home Assistant');

    // Switched on from Home Assistant, it still goes off at the maximum run time.
    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await until(() => plug.on, 'on again');
    await clock.advance(30 * 60_000 - 1);
    expect(plug.on).toBe(true);
    await clock.advance(1);
    await until(() => !plug.on, 'off at the maximum run time');

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
    await until(() => plug.received.filter((r) => r.payload.includes('OFF')).length === 3, 'two start-up OFFs and the switch OFF');
    expect(plug.history.some((h) => h.on)).toBe(false);
    await second.stop();
    await ha.endAsync(true);
    await plug.stop();
    state.remove();
  });
});

describe('event bus', () => {
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
