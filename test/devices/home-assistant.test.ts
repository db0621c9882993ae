/**
 * Home Assistant discovery against a real broker: the bridge announces its diffuser switch and session
 * sensor, takes ON/OFF from the switch, and never acts on an ON it was not there to hear.
 */
import mqtt from 'mqtt';
import type { BridgeHandle } from '../../devices/bridge';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { startHome } from '../support/home';
import { closedAtTeardown, onTeardown } from '../support/teardown';
import { until } from '../support/until';
import { T0 } from './helpers';

/** A home with a Zigbee2MQTT plug, no lamps, and discovery on; its bridge started by the test. */
async function haHome(broker: TestBroker, homeId: string, plugName: string): ReturnType<typeof startHome<'zigbee2mqtt'>> {
  const env = { WINDDOWN_HOME_ID: homeId, WINDDOWN_HA_DISCOVERY: '1', TZ: 'UTC' };
  return startHome({ broker, startAt: T0, plug: { kind: 'zigbee2mqtt', id: plugName }, lights: null, env, deps: { lights: null }, bridge: false });
}

/** A client on the broker as Home Assistant, disconnected after the test. */
async function homeAssistant(broker: TestBroker, clientId: string): Promise<mqtt.MqttClient> {
  const ha = await mqtt.connectAsync(broker.url, { clientId });
  onTeardown(() => ha.endAsync(true));
  return ha;
}

describe('Home Assistant discovery', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
  });

  test('publishes retained configs, again when Home Assistant comes online, and takes ON/OFF from its switch', async () => {
    const home = await haHome(broker, 'ha-home', 'diffuser');
    const { clock, logs, plug } = home;
    const ha = await homeAssistant(broker, 'home-assistant');
    const configs: { topic: string; payload: string }[] = [];
    ha.on('message', (topic, payload) => topic.endsWith('/config') && configs.push({ topic, payload: payload.toString() }));
    await ha.subscribeAsync('homeassistant/#', { qos: 1 });
    // A retained ON left on the switch's command topic must not switch the plug on when the bridge starts.
    await ha.publishAsync('winddown/ha-home/ha/diffuser/set', 'ON', { qos: 1, retain: true });
    const bridge: BridgeHandle = await home.startBridge({ WINDDOWN_DIFFUSER_MAX_MINUTES: '30' });
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
  });

  test('an ON sent to the switch while the bridge was away is not acted on when it comes back', async () => {
    const home = await haHome(broker, 'ha-away', 'diffuser-away');
    const { plug } = home;
    const ha = await homeAssistant(broker, 'home-assistant-away');
    const first: BridgeHandle = await home.startBridge();
    await first.stop({ graceful: false });
    // Hours ago, as the bridge sees it: a QoS 1, not retained ON that a persistent session would queue.
    await ha.publishAsync('winddown/ha-away/ha/diffuser/set', 'ON', { qos: 1 });
    const second: BridgeHandle = await home.startBridge();
    await ha.publishAsync('winddown/ha-away/ha/diffuser/set', 'OFF', { qos: 1 });
    // The OFF sent now arrives; the ON queued before it never did.
    await until(() => plug.received.filter((r) => r.payload.includes('OFF')).length === 3, 'two start-up OFFs and the switch OFF');
    expect(plug.history.some((h) => h.on)).toBe(false);
    await second.stop();
  });
});
