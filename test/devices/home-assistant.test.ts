/**
 * Home Assistant against a real broker: the bridge announces its diffuser switch and session sensor,
 * takes ON/OFF from the switch, never acts on an ON it was not there to hear, holds a repeated ON to
 * the run's maximum, and does none of it unless asked, nor ever on the hosted broker.
 */
import mqtt from 'mqtt';
import type { BridgeHandle } from '../../devices/bridge';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { startHome } from '../support/home';
import { closedAtTeardown, onTeardown } from '../support/teardown';
import { until } from '../support/until';
import { T0, messageId } from './helpers';
import { hostedBroker } from '../../devices/mqtt/home-assistant';
import { createIdentity } from '../../devices/pairing/identity';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { signed, TEST_HOME_KEY_HEX } from '../support/signing';

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

    // Switched on from Home Assistant, it still goes off at the maximum run time, however often ON is repeated.
    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await until(() => plug.on, 'on again');
    await clock.advance(20 * 60_000);
    const sent = plug.received.length;
    await ha.publishAsync(sw.command_topic as string, 'ON', { qos: 1 });
    await until(() => plug.received.length === sent + 1, 'the repeated ON');
    expect(plug.received.at(-1)?.payload).toBe('{"state":"ON","on_time":600}');
    await clock.advance(10 * 60_000 - 1);
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

describe('Home Assistant control is opt-in and local', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
  });

  /**
   * A bridge with a Zigbee plug, and someone publishing an unsigned ON (and Home Assistant's "online")
   * as Home Assistant would. Then a signed OFF from the same client: once it has switched the plug,
   * the ON before it would have been acted on too, had the bridge listened.
   */
  async function unsignedOn(homeId: string, env: Record<string, string>, before: (stateDir: string) => void = () => undefined) {
    const home = await startHome({ broker, startAt: T0, plug: { kind: 'zigbee2mqtt', id: `plug-${homeId}` }, lights: null, env: { WINDDOWN_HOME_ID: homeId, TZ: 'UTC', ...env }, deps: { lights: null }, bridge: false });
    before(home.stateDir);
    await home.startBridge();
    const outsider = await homeAssistant(broker, `outsider-${homeId}`);
    const discovery: string[] = [];
    outsider.on('message', (topic) => void discovery.push(topic));
    // This home's configs only: the broker keeps other tests' homes' retained ones.
    await outsider.subscribeAsync(`homeassistant/+/winddown_${homeId}/+/config`, { qos: 1 });
    await until(() => home.plug.received.length === 1, 'the OFF sent at start');
    await outsider.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await outsider.publishAsync(`winddown/${homeId}/ha/diffuser/set`, 'ON', { qos: 1 });
    const off = { v: PROTOCOL_VERSION, id: messageId(), homeId, issuedAt: home.clock.now(), type: 'diffuser.set', on: false };
    await outsider.publishAsync(homeTopics(homeId).command, signed(off), { qos: 1 });
    await until(() => home.plug.received.length === 2, 'the signed OFF');
    return { history: home.plug.history, discovery, warnings: home.logs.warnings().map((l) => l.msg) };
  }

  test('without WINDDOWN_HA_DISCOVERY an unsigned ON is not obeyed and nothing is announced', async () => {
    const seen = await unsignedOn('ha-off', {});
    expect(seen.history.some((h) => h.on)).toBe(false);
    expect(seen.discovery).toEqual([]);
  });

  test('on the hosted broker (a home paired with `winddown pair`) it is refused, with a warning saying why', async () => {
    const seen = await unsignedOn('ha-paired', { WINDDOWN_HA_DISCOVERY: '1' }, (dir) => void createIdentity(dir, { homeId: 'ha-paired', key: TEST_HOME_KEY_HEX }));
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
