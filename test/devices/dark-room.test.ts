/**
 * A dark room is kept dark where the light is, and the room answers at once: the bridge's scheduler
 * against the Hue emulator on a fake clock, with the session messages a dark session and an evening
 * one carry. Whatever the steps say, a dark session never switches a lamp on, never raises one, and
 * leaves a room whose lamps are off untouched.
 */
import { EventBus } from '../../devices/events';
import { HueLights } from '../../devices/lights/hue/hue';
import { keptDark } from '../../devices/session/delivery';
import { SessionScheduler } from '../../devices/session/scheduler';
import type { Choreography } from '../../src/protocol/messages';
import { breathing, openStore, sessionStart, T0, useHueBench } from './helpers';
import { until } from '../support/until';

describe('keeping a dark room dark', () => {
  const lamps = [
    { id: 1, on: false, bri: 200 },
    { id: 2, on: true, bri: 40 },
    { id: 3, on: true, bri: 90 },
  ];

  it('addresses only the lamps that were on, never switches one on, never raises one', () => {
    expect(keptDark({ on: true, bri: 200, ct: 500, transitionMs: 4000 }, lamps)).toEqual({ bri: 40, ct: 500, transitionMs: 4000, only: [2, 3] });
    expect(keptDark({ bri: 1, transitionMs: 6000 }, lamps)).toEqual({ bri: 1, transitionMs: 6000, only: [2, 3] });
  });

  it('sends nothing to a room whose lamps are all off', () => {
    expect(keptDark({ on: true, bri: 1, transitionMs: 4000 }, lamps.map((l) => ({ ...l, on: false })))).toBeNull();
  });

  it('addresses the whole room (one group command) when every lamp is on', () => {
    expect(keptDark({ on: true, bri: 5, transitionMs: 4000 }, lamps.map((l) => ({ ...l, on: true })))).toEqual({ bri: 5, transitionMs: 4000 });
  });
});

describe('the scheduler against the Hue emulator', () => {
  const bench = useHueBench();

  function scheduler(): SessionScheduler {
    const { emulator, logs, clock, dir } = bench;
    const lights = new HueLights({ log: logs.log, settings: { url: emulator.url, host: '127.0.0.1', port: emulator.port, secure: false, username: emulator.username, lights: [1, 2, 3], group: null } });
    return new SessionScheduler({ lights, clock, log: logs.log, store: openStore(dir.dir, logs.log), events: new EventBus(logs.log) });
  }

  /** Steps that would brighten (an evening breath) sent as a dark session: the bridge must not obey them. */
  const brightSteps: Choreography = { ...breathing(2, 'fade-off'), ct: 500 };

  async function runThrough(s: SessionScheduler, startAt: number, lights: Choreography, lit: boolean): Promise<void> {
    for (const [atMs] of lights.steps) {
      const before = bench.emulator.commands.length;
      await bench.clock.advanceTo(startAt + atMs);
      if (lit) await until(() => bench.emulator.commands.length > before, `the step at ${atMs}`);
    }
    await bench.clock.advanceTo(startAt + lights.totalMs + lights.endTransitionMs);
    await until(() => !s.active, 'the end of the session');
  }

  it('a dark session in a room whose lamps are off switches nothing on and sets nothing above 2', async () => {
    for (const lamp of bench.emulator.lamps.values()) lamp.state.on = false;
    const s = scheduler();
    const msg = sessionStart(T0, { startAt: T0 + 8000, lights: brightSteps, room: 'dark' });
    s.start(msg);
    await until(() => bench.emulator.requests.filter((r) => r.path.endsWith('/lights')).length >= 2, 'the lamps read');
    await runThrough(s, msg.startAt, brightSteps, false);
    expect(bench.emulator.commands.filter((c) => c.body.on === true)).toEqual([]);
    expect(bench.emulator.commands.filter((c) => typeof c.body.bri === 'number' && c.body.bri > 2)).toEqual([]);
    for (const lamp of bench.emulator.lamps.values()) expect(lamp.state.on).toBe(false);
  });

  it('a dark session dims only the lamp that is on, at once, and never above where it was', async () => {
    for (const [id, lamp] of bench.emulator.lamps) Object.assign(lamp.state, { on: id === '3', bri: 25 });
    const s = scheduler();
    const msg = sessionStart(T0, { startAt: T0 + 8000, lights: brightSteps, room: 'dark' });
    s.start(msg);
    // The room answers at once: the lamp that is on glides before any time passes; its first command is not `on`.
    await until(() => bench.emulator.commands.length === 1, 'the greeting');
    expect(bench.emulator.commands[0]).toMatchObject({ at: T0, kind: 'light', id: '3', body: { bri: 25, ct: 500 } });
    await runThrough(s, msg.startAt, brightSteps, true);
    const toLamps = bench.emulator.commands.filter((c) => c.body.on !== false);
    expect(toLamps.length).toBe(brightSteps.steps.length + 1);
    expect(toLamps.every((c) => c.kind === 'light' && c.id === '3' && c.body.on === undefined && (c.body.bri as number) <= 25)).toBe(true);
    expect(bench.emulator.lamps.get('1')?.state.on).toBe(false);
    expect(bench.emulator.lamps.get('2')?.state.on).toBe(false);
  });

  it('a dark session stopped before its first step is not raised back: it ends as its plan says', async () => {
    for (const [id, lamp] of bench.emulator.lamps) Object.assign(lamp.state, { on: id === '1', bri: 30 });
    const s = scheduler();
    s.start(sessionStart(T0, { startAt: T0 + 8000, lights: brightSteps, room: 'dark' }));
    await until(() => bench.emulator.commands.length === 1, 'the greeting');
    await s.stop('stop');
    // Faded off, each lamp on its own (three lamps need no group); none raised or switched on.
    await until(() => bench.emulator.commands.length === 4, 'the end');
    expect(bench.emulator.commands.slice(1).every((c) => c.body.on === false)).toBe(true);
    expect(bench.emulator.commands.filter((c) => c.body.on === true || (c.body.bri as number) > 30)).toEqual([]);
  });

  it('an evening session greets only the lamps that are on; the others join at the first step', async () => {
    bench.emulator.lamps.get('2')!.state.on = false;
    const s = scheduler();
    const msg = sessionStart(T0, { startAt: T0 + 20_000, lights: breathing(1, 'fade-off') });
    s.start(msg);
    await until(() => bench.emulator.commands.length === 2, 'the greeting of the two lamps that are on');
    expect(bench.emulator.commands.map((c) => [c.id, c.at, c.body.on])).toEqual([['1', T0, undefined], ['3', T0, undefined]]);
    // Gently: 180 to 200 is a small change, so the least glide (1.5 s).
    expect(bench.emulator.commands[0]?.body).toMatchObject({ bri: 200, ct: 454, transitiontime: 15 });
    await bench.clock.advanceTo(msg.startAt);
    await until(() => bench.emulator.commands.length === 5, 'the first step');
    expect(bench.emulator.commands.slice(2).every((c) => c.body.on === true && c.at === msg.startAt)).toBe(true);
    await s.stop('cancel');
  });

  it('a session whose first step is due at once is not greeted: the step itself is the first command', async () => {
    const s = scheduler();
    const msg = sessionStart(T0, { startAt: T0 + 500, lights: breathing(1, 'fade-off') });
    s.start(msg);
    await bench.clock.advanceTo(msg.startAt);
    await until(() => bench.emulator.commands.length === 3, 'the first step');
    expect(bench.emulator.commands.every((c) => c.body.on === true)).toBe(true);
    await s.stop('cancel');
  });
});
