import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../devices/process/clock';
import { Diffuser } from '../../devices/diffuser/diffuser';
import { EventBus } from '../../devices/events';
import type { Plug } from '../../devices/plugs/types';
import { FakeClock } from '../support/fake-clock';
import { StateStore } from '../../devices/state/state-store';
import type { BedtimeState, DiffuserState } from '../../src/protocol/messages';
import { memoryLogger, tempDir } from './helpers';

class RecordingPlug implements Plug {
  readonly kind = 'recording';
  readonly hasOwnTimer = true;
  readonly calls: { at: number; on: boolean; autoOffSeconds: number | undefined }[] = [];
  constructor(private readonly clock: FakeClock) {}
  set(on: boolean, autoOffSeconds?: number): Promise<void> {
    this.calls.push({ at: this.clock.now(), on, autoOffSeconds });
    return Promise.resolve();
  }
  describe(): string {
    return 'recording';
  }
}

describe('diffuser', () => {
  const T = Date.UTC(2025, 2, 29, 12, 0); // Saturday before the UK clocks go forward
  let dir: ReturnType<typeof tempDir>;
  let clock: FakeClock;
  let plug: RecordingPlug;
  const logs = memoryLogger();
  const states: DiffuserState[] = [];
  const bedtimes: BedtimeState[] = [];

  beforeEach(() => {
    dir = tempDir();
    clock = new FakeClock(T);
    plug = new RecordingPlug(clock);
    states.length = 0;
    bedtimes.length = 0;
  });
  afterEach(() => dir.remove());

  function make(): { diffuser: Diffuser; store: StateStore } {
    const store = new StateStore(dir.dir, logs.log);
    store.load();
    const events = new EventBus(logs.log);
    events.on('diffuser.state', (s) => void states.push(s));
    events.on('bedtime.state', (b) => void bedtimes.push(b));
    const diffuser = new Diffuser({ plug, clock, log: logs.log, store, events, maxMinutes: 60, timeZone: 'Europe/London' });
    return { diffuser, store };
  }

  /** With no deadline on record, a start tells the plug OFF (a bridge that died may have left it on). */
  const startupOff = (at = T) => ({ at, on: false, autoOffSeconds: undefined });

  test('on always has a deadline, capped at the maximum, and the bridge switches off at it', async () => {
    const { diffuser, store } = make();
    await diffuser.start();
    expect(plug.calls.splice(0)).toEqual([startupOff()]);
    await diffuser.on(90, 'voice');
    expect(plug.calls).toEqual([{ at: T, on: true, autoOffSeconds: 3600 }]);
    expect(store.get().diffuser).toEqual({ on: true, offAt: T + 3_600_000, capAt: T + 3_600_000 });
    await clock.advance(3_600_000);
    expect(plug.calls.at(-1)).toEqual({ at: T + 3_600_000, on: false, autoOffSeconds: undefined });
    expect(states.at(-1)).toMatchObject({ on: false, reason: 'auto-off' });
    expect(store.get().diffuser).toEqual({ on: false, offAt: null, capAt: null });
  });

  test('repeating ON moves the deadline but never past the maximum from the first ON', async () => {
    const { diffuser, store } = make();
    await diffuser.start();
    plug.calls.length = 0;
    await diffuser.on(undefined, 'manual');
    // An automation that says ON again every 10 minutes, as Home Assistant's could.
    for (let i = 1; i <= 5; i++) {
      await clock.advance(10 * 60_000);
      await diffuser.on(undefined, 'manual');
      expect(store.get().diffuser).toEqual({ on: true, offAt: T + 3_600_000, capAt: T + 3_600_000 });
      // The plug's own timer is told only what is left of the run.
      expect(plug.calls.at(-1)).toEqual({ at: T + i * 600_000, on: true, autoOffSeconds: 3600 - i * 600 });
    }
    // A shorter run asked for meanwhile still shortens it.
    await clock.advance(5 * 60_000);
    await diffuser.on(1, 'voice');
    expect(store.get().diffuser).toMatchObject({ on: true, offAt: T + 56 * 60_000 });
    await diffuser.on(30, 'voice');
    expect(store.get().diffuser).toMatchObject({ on: true, offAt: T + 3_600_000 });
    await clock.advance(5 * 60_000 - 1);
    expect(plug.calls.at(-1)?.on).toBe(true);
    await clock.advance(1);
    expect(plug.calls.at(-1)).toEqual({ at: T + 3_600_000, on: false, autoOffSeconds: undefined });
    expect(states.at(-1)).toMatchObject({ on: false, reason: 'auto-off' });
    // Off, the next ON is a new run with a maximum of its own.
    await diffuser.on(undefined, 'manual');
    expect(store.get().diffuser).toEqual({ on: true, offAt: T + 7_200_000, capAt: T + 7_200_000 });
  });

  test('a restart keeps the run\'s maximum: an ON after it cannot extend the run either', async () => {
    const first = make();
    await first.diffuser.start();
    await first.diffuser.on(undefined, 'manual');
    first.diffuser.stop();
    await clock.advance(40 * 60_000);
    const second = make();
    await second.diffuser.start();
    await second.diffuser.on(undefined, 'manual');
    expect(second.store.get().diffuser).toEqual({ on: true, offAt: T + 3_600_000, capAt: T + 3_600_000 });
    await clock.advance(20 * 60_000);
    expect(plug.calls.at(-1)).toEqual({ at: T + 3_600_000, on: false, autoOffSeconds: undefined });
    second.diffuser.stop();
  });

  test('the deadline survives a restart: re-armed if ahead, acted on at once if it passed', async () => {
    const first = make();
    await first.diffuser.start();
    expect(plug.calls.splice(0)).toEqual([startupOff()]);
    await first.diffuser.on(20, 'voice');
    first.diffuser.stop(); // the process goes away
    await clock.advance(5 * 60_000);
    const second = make();
    await second.diffuser.start();
    expect(plug.calls).toHaveLength(1);
    await clock.advance(15 * 60_000);
    expect(plug.calls.at(-1)).toMatchObject({ at: T + 20 * 60_000, on: false });

    await second.diffuser.on(10, 'voice');
    second.diffuser.stop();
    await clock.advance(60 * 60_000); // down for an hour: the deadline passed meanwhile
    const third = make();
    await third.diffuser.start();
    expect(plug.calls.at(-1)).toMatchObject({ at: clock.now(), on: false });
    expect(states.at(-1)).toMatchObject({ on: false, reason: 'auto-off' });
  });

  test('bedtime turns it on at 22:30 local on both sides of the spring clock change', async () => {
    const { diffuser } = make();
    await diffuser.start();
    expect(plug.calls.splice(0)).toEqual([startupOff()]);
    diffuser.setBedtime('22:30', 30);
    expect(bedtimes.at(-1)).toEqual({ time: '22:30', timeZone: 'Europe/London', nextAt: Date.UTC(2025, 2, 29, 22, 30), diffuserMinutes: 30 });
    await clock.advanceTo(Date.UTC(2025, 2, 31, 12));
    const ons = plug.calls.filter((c) => c.on);
    expect(ons).toEqual([
      { at: Date.UTC(2025, 2, 29, 22, 30), on: true, autoOffSeconds: 1800 }, // 22:30 GMT
      { at: Date.UTC(2025, 2, 30, 21, 30), on: true, autoOffSeconds: 1800 }, // 22:30 BST
    ]);
    expect(plug.calls.filter((c) => !c.on).map((c) => c.at)).toEqual([Date.UTC(2025, 2, 29, 23, 0), Date.UTC(2025, 2, 30, 22, 0)]);
    diffuser.setBedtime(null, undefined);
    await clock.advanceTo(Date.UTC(2025, 3, 2, 12));
    expect(plug.calls.filter((c) => c.on)).toHaveLength(2);
    diffuser.stop();
  });

  test('bedtime persists across a restart', async () => {
    const first = make();
    await first.diffuser.start();
    first.diffuser.setBedtime('23:00', undefined);
    first.diffuser.stop();
    const second = make();
    await second.diffuser.start();
    expect(plug.calls.splice(0)).toEqual([startupOff(), startupOff()]);
    await clock.advanceTo(Date.UTC(2025, 2, 29, 23, 0));
    expect(plug.calls).toEqual([{ at: Date.UTC(2025, 2, 29, 23, 0), on: true, autoOffSeconds: 3600 }]);
    second.diffuser.stop();
  });

  test('a disk that refuses the write mid-run: the plug still goes off at its deadline, and one error is logged', async () => {
    const { diffuser, store } = make();
    await diffuser.start();
    await diffuser.on(30, 'voice');
    // The state directory becomes a file (root ignores permissions, so chmod would not do).
    rmSync(dir.dir, { recursive: true, force: true });
    writeFileSync(dir.dir, 'not a directory');
    const errorsBefore = logs.lines.filter((l) => l.level === 50).length;
    await clock.advance(30 * 60_000);
    expect(plug.calls.at(-1)).toEqual({ at: T + 30 * 60_000, on: false, autoOffSeconds: undefined });
    expect(states.at(-1)).toMatchObject({ on: false, reason: 'auto-off' });
    // It keeps obeying: on and off again, with the state in memory.
    await diffuser.on(10, 'voice');
    await diffuser.off('voice');
    expect(plug.calls.slice(-2).map((c) => c.on)).toEqual([true, false]);
    expect(store.get().diffuser).toEqual({ on: false, offAt: null, capAt: null });
    expect(logs.lines.filter((l) => l.level === 50).length - errorsBefore).toBe(1);
    diffuser.stop();
    rmSync(dir.dir);
    mkdirSync(dir.dir);
  });

  test('a persisted deadline further ahead than the maximum is cut back to now + the maximum at start', async () => {
    const store = new StateStore(dir.dir, logs.log);
    store.load();
    store.update((s) => void (s.diffuser = { on: true, offAt: T + 10 * 3_600_000 }));
    const { diffuser } = make();
    await diffuser.start();
    expect(states.at(-1)).toMatchObject({ on: true, offAt: T + 60 * 60_000, reason: 'startup' });
    await clock.advance(60 * 60_000);
    expect(plug.calls).toEqual([{ at: T + 60 * 60_000, on: false, autoOffSeconds: undefined }]);
    diffuser.stop();
  });

  test('a state file that is garbage: the plug is sent OFF at start and the file is kept aside', async () => {
    writeFileSync(path.join(dir.dir, 'state.json'), '{"version":1,"diffuser":{"on":tr');
    const { diffuser } = make();
    await diffuser.start();
    expect(plug.calls).toEqual([startupOff()]);
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('state.json.corrupt-'))).toHaveLength(1);
    diffuser.stop();
  });
});

describe('diffuser on the system clock', () => {
  afterEach(() => jest.useRealTimers());

  test('a wall clock set back an hour mid-run does not lengthen the run: off after 30 minutes of elapsed time', async () => {
    jest.useFakeTimers({ now: Date.UTC(2025, 0, 15, 21, 0) });
    const dir = tempDir();
    const { log } = memoryLogger();
    const store = new StateStore(dir.dir, log);
    store.load();
    const calls: boolean[] = [];
    const plug: Plug = { kind: 'recording', hasOwnTimer: false, set: (on) => Promise.resolve(void calls.push(on)), describe: () => 'recording' };
    const diffuser = new Diffuser({ plug, clock: systemClock, log, store, events: new EventBus(log), maxMinutes: 60, timeZone: 'UTC' });
    await diffuser.start();
    await diffuser.on(30, 'voice');
    jest.advanceTimersByTime(10 * 60_000);
    jest.setSystemTime(Date.now() - 3_600_000); // NTP, or a dead clock battery
    jest.advanceTimersByTime(20 * 60_000);
    await Promise.resolve();
    expect(calls).toEqual([false, true, false]);
    diffuser.stop();
    dir.remove();
  });
});
