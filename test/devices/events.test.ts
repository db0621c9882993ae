/**
 * The bridge's typed event bus: a listener that fails never stops the others, nor the bridge; and
 * each broker the bridge uses reports its connection on it.
 */
import { EventBus } from '../../devices/events';
import { startAedes } from '../support/brokers';
import { startHome } from '../support/home';
import { closedAtTeardown } from '../support/teardown';
import { until } from '../support/until';
import { memoryLogger } from './helpers';

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

describe('connections on the bus', () => {
  test("the plug's own broker reports its connection as the diffuser's, apart from the main one", async () => {
    const plugBroker = await closedAtTeardown(startAedes());
    const home = await startHome({ lights: null, deps: { lights: null }, env: { WINDDOWN_DIFFUSER_MQTT_URL: plugBroker.url }, bridge: false });
    const bridge = await home.startBridge();
    const seen: string[] = [];
    bridge.events.on('mqtt.connected', ({ broker }) => void seen.push(`up ${broker}`));
    bridge.events.on('mqtt.disconnected', ({ broker }) => void seen.push(`down ${broker}`));
    await plugBroker.down();
    await until(() => seen.includes('down diffuser'), 'the plug broker gone');
    await plugBroker.up();
    await until(() => seen.includes('up diffuser'), 'the plug broker back');
    expect(seen).not.toContain('down main');
  });
});
