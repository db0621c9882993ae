import { EventBus } from '../../devices/events';
import { HUE_DISPATCH_LEAD_MS, HueLights } from '../../devices/lights/hue/hue';
import { SessionScheduler } from '../../devices/session/scheduler';
import { FakeClock } from '../support/fake-clock';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import type { StateStore } from '../../devices/state/state-store';
import type { SessionStartV1 } from '../../src/protocol/earlier-versions';
import { breathing, closeStores, memoryLogger, openStore, sessionStart, T0, tempDir } from './helpers';
import { until } from '../support/until';
import { startEmulator } from '../support/hue';

describe('session scheduler against the Hue emulator', () => {
  let clock: FakeClock;
  let emulator: HueEmulator;
  let dir: ReturnType<typeof tempDir>;
  let logs: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    clock = new FakeClock(T0);
    emulator = await startEmulator({ clock });
    dir = tempDir();
    logs = memoryLogger();
  });
  afterEach(async () => {
    await closeStores();
    dir.remove();
  });

  function makeScheduler(lightIds: number[] | null = [1, 2], group: string | null = null, timeoutMs?: number): { scheduler: SessionScheduler; store: StateStore } {
    const store = openStore(dir.dir, logs.log);
    const lights = new HueLights({
      log: logs.log,
      ...(timeoutMs ? { timeoutMs } : {}),
      settings: { url: emulator.url, host: '127.0.0.1', port: emulator.port, secure: false, username: emulator.username, lights: lightIds, group },
    });
    const scheduler = new SessionScheduler({ lights, clock, log: logs.log, store, events: new EventBus(logs.log) });
    return { scheduler, store };
  }

  test('sends exactly one command per light per breath step, at its deadline, with its brightness and transition', async () => {
    const { scheduler } = makeScheduler();
    const msg = sessionStart(T0, { lights: breathing(2) });
    scheduler.start(msg);
    const deadlines = msg.lights.steps.map(([atMs]) => msg.startAt + atMs);
    for (const [i, deadline] of deadlines.entries()) {
      await clock.advanceTo(deadline);
      await until(() => emulator.lightCommands().length === (i + 1) * 2, `step ${i}`);
    }
    const byLight = (id: string) => emulator.lightCommands(id);
    for (const id of ['1', '2']) {
      const cmds = byLight(id);
      expect(cmds.map((c) => c.at)).toEqual(deadlines);
      expect(cmds.map((c) => c.body.bri)).toEqual(msg.lights.steps.map((s) => s[1]));
      expect(cmds.map((c) => c.body.transitiontime)).toEqual(msg.lights.steps.map((s) => s[2] / 100));
      expect(cmds[0]?.body).toEqual({ on: true, bri: 200, ct: 454, transitiontime: 40 });
      expect(cmds[1]?.body).toEqual({ bri: 30, transitiontime: 60 });
    }
    expect(emulator.lightCommands('3')).toHaveLength(0);

    // The end of the plan restores what the lights were before (ct mode, 180).
    await clock.advanceTo(msg.startAt + msg.lights.totalMs);
    await until(() => emulator.lightCommands().length === deadlines.length * 2 + 2, 'restore');
    const restore = emulator.lightCommands('1').at(-1);
    expect(restore?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
    expect(scheduler.active).toBe(false);
  });

  test('a group setting sends one group command per step', async () => {
    const { scheduler } = makeScheduler(null, 'Bedroom');
    const msg = sessionStart(T0, { lights: { ...breathing(1), end: 'fade-off' } });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first group step');
    expect(emulator.commands[0]).toMatchObject({ kind: 'group', id: '1', at: msg.startAt, body: { on: true, bri: 200, ct: 454, transitiontime: 40 } });
    await scheduler.stop('stop');
    expect(emulator.commands.at(-1)).toMatchObject({ kind: 'group', id: '1', body: { on: false, transitiontime: 20 } });
    expect(emulator.lightCommands()).toHaveLength(0);
  });

  test('many lights: a group holding exactly them is used, or created once', async () => {
    await emulator.stop();
    emulator = await startEmulator({ clock, lamps: ['a', 'b', 'c', 'd', 'e'] });
    const { scheduler } = makeScheduler([1, 2, 3, 4]);
    const msg = sessionStart(T0, { lights: { ...breathing(1), end: 'fade-off' } });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    const created = [...emulator.groups].find(([, g]) => g.name === 'Wind Down');
    expect(created?.[1]).toMatchObject({ type: 'LightGroup', lights: ['1', '2', '3', '4'] });
    expect(emulator.commands[0]).toMatchObject({ kind: 'group', id: created?.[0], at: msg.startAt, body: { bri: 200 } });
    await scheduler.stop('stop');
    const again = makeScheduler([4, 3, 2, 1]).scheduler;
    again.start(sessionStart(clock.now(), { sessionId: 'sess-0002', lights: { ...breathing(1), end: 'fade-off' } }));
    await clock.advance(1000);
    await until(() => emulator.commands.length === 3, 'second session');
    expect([...emulator.groups.values()].filter((g) => g.name === 'Wind Down')).toHaveLength(1);
    expect(emulator.commands[2]).toMatchObject({ kind: 'group', id: created?.[0] });
    await again.stop('stop');
  });

  test('stop ends the breathing at once: the end command leaves at the stop, nothing follows', async () => {
    const { scheduler } = makeScheduler([1]);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => emulator.commands.length === 2, 'two steps');
    const stopAt = msg.startAt + 5000;
    await clock.advanceTo(stopAt);
    await scheduler.stop('stop');
    expect(emulator.commands.at(-1)).toMatchObject({ at: stopAt, body: { on: true, bri: 180, ct: 366, transitiontime: 20 } });
    const count = emulator.commands.length;
    await clock.advance(60_000);
    expect(emulator.commands).toHaveLength(count);
    expect(clock.pending()).toEqual([]);
  });

  test('shutdown mid-session restores the lights even when the plan fades off; completing fades off', async () => {
    const { scheduler } = makeScheduler([1]);
    const sleep = { ...breathing(1), end: 'fade-off' as const };
    const msg = sessionStart(T0, { lights: sleep });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    await scheduler.shutdown();
    expect(emulator.commands.at(-1)?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
    expect(scheduler.active).toBe(false);

    const again = makeScheduler([1]).scheduler;
    const next = sessionStart(clock.now(), { sessionId: 'sess-0002', lights: sleep });
    again.start(next);
    // The first step reaches the lamp (the lamps are read first, over the network), then the plan runs out.
    await clock.advanceTo(next.startAt);
    await until(() => emulator.commands.at(-1)?.body.bri === 200, 'first step of the second session');
    await clock.advanceTo(next.startAt + sleep.totalMs);
    await until(() => !again.active && emulator.commands.at(-1)?.body.on === false, 'fade-off at the end');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: false, transitiontime: 20 });
  });

  test('a session stopped before its first step gives back the lamps it only greeted, as they were', async () => {
    const { scheduler } = makeScheduler([1]);
    scheduler.start(sessionStart(T0, { startAt: T0 + 5000, lights: { ...breathing(1), end: 'fade-off' } }));
    // The room answers at once: the lamp that is on glides to the first level, without waiting for it.
    await until(() => emulator.commands.length === 1, 'greeting');
    expect(emulator.commands[0]).toMatchObject({ at: T0, body: { bri: 200, ct: 454 } });
    expect(emulator.commands[0]?.body).not.toHaveProperty('on');
    await scheduler.stop('cancel');
    await clock.advance(60_000);
    // Not faded off: nobody asked for sleep yet, so the lamp returns to how it was.
    expect(emulator.commands.slice(1)).toEqual([expect.objectContaining({ body: { on: true, bri: 180, ct: 366, transitiontime: 20 } })]);
  });

  test('joining late sends the current step with what is left of its transition', async () => {
    const { scheduler } = makeScheduler([1]);
    const msg = sessionStart(T0, { startAt: T0 - 11_500 }); // 1.5 s into breath 2's inhale (4 s)
    scheduler.start(msg);
    await until(() => emulator.commands.length === 1, 'join');
    expect(emulator.commands[0]).toMatchObject({ at: T0, body: { on: true, bri: 200, ct: 454, transitiontime: 25 } });
    await clock.advanceTo(msg.startAt + 14_000);
    await until(() => emulator.commands.length === 2, 'next step');
    expect(emulator.commands[1]).toMatchObject({ at: msg.startAt + 14_000, body: { bri: 30, transitiontime: 60 } });
    await scheduler.stop('cancel');
  });

  test('a Hue outage is retried with the step that is current when the bridge answers again, not a late replay', async () => {
    const { scheduler } = makeScheduler([1]);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    emulator.setFault('http503');
    await clock.advanceTo(msg.startAt + 4000); // exhale: fails
    await until(() => logs.warnings().some((l) => l.msg.includes('lights command failed')), 'failure logged');
    await clock.advanceTo(msg.startAt + 4500); // retry: fails again
    await until(() => logs.warnings().filter((l) => l.msg.includes('lights command failed')).length === 2, 'second failure');
    emulator.setFault(null);
    await clock.advanceTo(msg.startAt + 5500); // retry after 1 s backoff: succeeds with the exhale's remaining 4.5 s
    await until(() => emulator.commands.length === 2, 'recovered');
    expect(emulator.commands[1]).toMatchObject({ at: msg.startAt + 5500, body: { on: true, bri: 30, ct: 454, transitiontime: 45 } });
    await clock.advanceTo(msg.startAt + 10_000);
    await until(() => emulator.commands.length === 3, 'next inhale on time');
    expect(emulator.commands[2]).toMatchObject({ at: msg.startAt + 10_000, body: { bri: 200, transitiontime: 40 } });
    await scheduler.stop('stop');
  });

  test('an outage that outlasts a step skips it: the retry targets the step current by then', async () => {
    const { scheduler } = makeScheduler([1]);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    emulator.setFault('error');
    const failures = () => logs.warnings().filter((l) => l.msg.includes('lights command failed')).length;
    for (const [i, t] of [4000, 4500, 5500, 7500].entries()) {
      await clock.advanceTo(msg.startAt + t);
      await until(() => failures() === i + 1, `failure ${i + 1}`);
    }
    // The next step, handed over its dispatch lead early; the retry (at 11.5 s) comes after it.
    expect(clock.pending()).toEqual([msg.startAt + 10_000 - HUE_DISPATCH_LEAD_MS]);
    emulator.setFault(null);
    await clock.advanceTo(msg.startAt + 10_000);
    await until(() => emulator.commands.length === 2, 'recovered');
    expect(emulator.commands[1]).toMatchObject({ at: msg.startAt + 10_000, body: { on: true, bri: 200, transitiontime: 40 } });
    await clock.advanceTo(msg.startAt + 12_000); // the pending retry was superseded: nothing is replayed
    expect(emulator.commands).toHaveLength(2);
    await scheduler.stop('stop');
  });

  test('a Hue bridge that stops answering times out, and the retry re-targets the current step', async () => {
    const { scheduler } = makeScheduler([1], null, 150);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    emulator.setFault('hang');
    await clock.advanceTo(msg.startAt + 4000);
    // node-hue-api's client times out (150 ms of real time here) and the scheduler hears of it.
    await until(() => logs.warnings().some((l) => l.msg.includes('lights command failed')), 'timeout');
    emulator.setFault(null);
    await clock.advanceTo(msg.startAt + 4500);
    await until(() => emulator.commands.length === 2, 'retried');
    expect(emulator.commands[1]).toMatchObject({ at: msg.startAt + 4500, body: { on: true, bri: 30, ct: 454, transitiontime: 55 } });
    await scheduler.stop('stop');
  });

  test('a non-final part holds at its end and ends after the hold timeout', async () => {
    const { scheduler, store } = makeScheduler([1]);
    const msg = sessionStart(T0, { untilMs: 10_000, final: false });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => emulator.commands.length === 2, 'two steps');
    await clock.advanceTo(msg.startAt + 10_000);
    expect(scheduler.state().status).toBe('holding');
    expect(store.get().session?.status).toBe('holding');
    expect(emulator.commands).toHaveLength(2);
    await clock.advanceTo(msg.startAt + 10_000 + 5 * 60_000);
    await until(() => emulator.commands.length === 3, 'restore after hold');
    expect(scheduler.active).toBe(false);
    expect(store.get().session).toBeNull();
  });

  test('the next part of a session continues it and keeps the state saved before the first', async () => {
    const { scheduler } = makeScheduler([1]);
    const part1 = sessionStart(T0, { untilMs: 10_000, final: false });
    scheduler.start(part1);
    await clock.advanceTo(part1.startAt);
    await until(() => emulator.commands.length === 1, 'part 1');
    emulator.lamps.get('1')!.state.bri = 77; // what a capture now would (wrongly) save
    const part2Start = T0 + 20_000;
    await clock.advanceTo(part2Start - 1000);
    scheduler.start(sessionStart(clock.now(), { startAt: part2Start, fromMs: 10_000, untilMs: 30_000, final: true }));
    await clock.advanceTo(part2Start);
    await until(() => emulator.commands.length === 3, 'part 2 first step');
    expect(emulator.commands[2]).toMatchObject({ at: part2Start, body: { bri: 200, transitiontime: 40 } });
    await scheduler.stop('stop');
    expect(emulator.commands.at(-1)?.body).toMatchObject({ bri: 180 });
  });

  test('the state names the phase of the step last sent, as the message says it', async () => {
    const { scheduler } = makeScheduler([1]);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    expect(scheduler.state()).toMatchObject({ status: 'running', phase: null });
    await clock.advanceTo(msg.startAt);
    await until(() => scheduler.state().bri === 200, 'first step');
    expect(scheduler.state()).toMatchObject({ phase: 'inhale', bri: 200 });
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => scheduler.state().bri === 30, 'second step');
    expect(scheduler.state()).toMatchObject({ phase: 'exhale', bri: 30 });
    await scheduler.stop('stop');
  });

  test('a session that a version-1 bridge saved rejoins after the update, its phase unknown', async () => {
    const first = makeScheduler([1]);
    const msg = sessionStart(T0);
    const v1: SessionStartV1 = { ...msg, v: 1, lights: { ...msg.lights, steps: msg.lights.steps.map(([at, bri, t]) => [at, bri, t] as [number, number, number]) } };
    first.store.update((s) => {
      s.session = { start: v1, saved: [{ id: 1, on: true, bri: 180, colormode: 'ct', ct: 366 }], status: 'running', holdUntil: null };
    });
    await first.store.flush();
    await clock.advanceTo(msg.startAt + 12_000);
    const second = makeScheduler([1]);
    expect(second.store.get().session?.start).toEqual(v1);
    second.scheduler.resume();
    await until(() => emulator.commands.length === 1, 'rejoined');
    expect(emulator.commands[0]).toMatchObject({ at: msg.startAt + 12_000, body: { on: true, bri: 200, transitiontime: 20 } });
    await until(() => second.scheduler.state().bri === 200, 'confirmed');
    expect(second.scheduler.state()).toMatchObject({ status: 'running', phase: null });
    await second.scheduler.stop('stop');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
  });

  test('a bridge restart mid-session rejoins at the right phase from the persisted state', async () => {
    const first = makeScheduler([1]);
    const msg = sessionStart(T0);
    first.scheduler.start(msg);
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => emulator.commands.length === 2, 'two steps');
    first.scheduler.detach(); // the process dies
    await clock.advanceTo(msg.startAt + 12_000);
    const second = makeScheduler([1]);
    second.scheduler.resume();
    await until(() => emulator.commands.length === 3, 'rejoined');
    expect(emulator.commands[2]).toMatchObject({ at: msg.startAt + 12_000, body: { on: true, bri: 200, transitiontime: 20 } });
    await second.scheduler.stop('stop');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
  });
});
