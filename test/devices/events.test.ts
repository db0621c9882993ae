/** The bridge's typed event bus: a listener that fails never stops the others, nor the bridge. */
import { EventBus } from '../../devices/events';
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
