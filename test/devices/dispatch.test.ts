/**
 * When the scheduler hands each step to the lights, on a fake clock with a recording Lights: early by
 * the lights' measured dispatch lead, so the command lands on its deadline; and nothing (no state read,
 * no disk write) on the way to the first command.
 */
import { existsSync } from 'node:fs';
import { EventBus } from '../../devices/events';
import type { LightTarget, Lights, SavedLight } from '../../devices/lights/types';
import { SessionScheduler } from '../../devices/session/scheduler';
import { FakeClock, flushAsync } from '../support/fake-clock';
import { StateStore } from '../../devices/state/state-store';
import { breathing, closeStores, memoryLogger, openStore, sessionStart, T0, tempDir } from './helpers';

const LEAD = 8;

class RecordingLights implements Lights {
  readonly sets: { at: number; target: LightTarget; stateFileWritten: boolean }[] = [];
  readonly restores: { at: number; saved: SavedLight[] }[] = [];
  captures = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly file: string,
    readonly dispatchLeadMs = LEAD,
  ) {}
  capture(): Promise<SavedLight[]> {
    this.captures += 1;
    return Promise.resolve([{ id: 1, on: true, bri: 120, colormode: 'ct', ct: 300 }]);
  }
  set(target: LightTarget): Promise<void> {
    this.sets.push({ at: this.clock.now(), target, stateFileWritten: existsSync(this.file) });
    return Promise.resolve();
  }
  restore(saved: SavedLight[]): Promise<void> {
    this.restores.push({ at: this.clock.now(), saved });
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('dispatch timing', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await closeStores();
    dir.remove();
  });

  function setup(lead = LEAD): { clock: FakeClock; lights: RecordingLights; scheduler: SessionScheduler; store: StateStore } {
    const clock = new FakeClock(T0);
    const { log } = memoryLogger();
    const store = openStore(dir.dir, log);
    const lights = new RecordingLights(clock, store.file, lead);
    const scheduler = new SessionScheduler({ lights, clock, log, store, events: new EventBus(log) });
    return { clock, lights, scheduler, store };
  }

  test('each step is handed over the lead before its deadline, chosen and timed by its true deadline', async () => {
    const { clock, lights, scheduler } = setup();
    expect(scheduler.leadMs).toBe(LEAD);
    const msg = sessionStart(T0, { lights: { ...breathing(2), end: 'fade-off' } });
    scheduler.start(msg);
    const deadlines = msg.lights.steps.map(([atMs]) => msg.startAt + atMs);
    // Just before the first lead: nothing yet.
    await clock.advanceTo((deadlines[0] as number) - LEAD - 1);
    expect(lights.sets).toHaveLength(0);
    await clock.advanceTo(msg.startAt + msg.lights.totalMs - 1);
    expect(lights.sets.map((s) => s.at)).toEqual(deadlines.map((d) => d - LEAD));
    // The whole transition of each step (it lands on the deadline), and each step once.
    expect(lights.sets.map((s) => [s.target.bri, s.target.transitionMs])).toEqual(msg.lights.steps.map(([, bri, t]) => [bri, t]));
    expect(scheduler.active).toBe(true);
    // The end of the plan is on its true time, not early.
    await clock.advanceTo(msg.startAt + msg.lights.totalMs);
    await flushAsync();
    expect(scheduler.active).toBe(false);
    expect(lights.sets.at(-1)).toMatchObject({ at: msg.startAt + msg.lights.totalMs, target: { on: false } });
  });

  test('a rejoin within the lead of the next step sends that step, not the one ending', async () => {
    const { clock, lights, scheduler } = setup();
    const msg = sessionStart(T0, { startAt: T0 - 4000 + 3 }); // the exhale (at 4 s) is due in 3 ms
    scheduler.start(msg);
    await flushAsync();
    expect(lights.sets[0]).toMatchObject({ at: T0, target: { bri: 30, transitionMs: 6000 } });
    await clock.advance(1000);
    expect(lights.sets).toHaveLength(1);
    await scheduler.stop('cancel');
  });

  test('no lead: at the deadline', async () => {
    const { clock, lights, scheduler } = setup(0);
    const msg = sessionStart(T0);
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt + 4000);
    expect(lights.sets.map((s) => s.at)).toEqual([msg.startAt, msg.startAt + 4000]);
    await scheduler.stop('cancel');
  });

  test('a step due at once leaves before the state file is written; the session is on disk right after', async () => {
    const { lights, scheduler, store } = setup();
    const msg = sessionStart(T0, { startAt: T0 });
    scheduler.start(msg);
    await flushAsync();
    expect(lights.captures).toBe(1);
    expect(lights.sets).toHaveLength(1);
    expect(lights.sets[0]?.stateFileWritten).toBe(false);
    await store.flush();
    const persisted = new StateStore(dir.dir, memoryLogger().log).load().session;
    expect(persisted?.start.sessionId).toBe(msg.sessionId);
    expect(persisted?.saved).toEqual([{ id: 1, on: true, bri: 120, colormode: 'ct', ct: 300 }]);
    await scheduler.stop('cancel');
  });
});
