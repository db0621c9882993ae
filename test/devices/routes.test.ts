/** The bridge's topic table: one owner per topic, and a message only to its own. */
import { TopicRoutes } from '../../devices/mqtt/routes';

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
