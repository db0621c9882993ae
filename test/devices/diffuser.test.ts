import { Diffuser } from '../../devices/diffuser';
import { EventBus } from '../../devices/events';
import type { Plug } from '../../devices/plugs/types';
import { FakeClock } from '../support/fake-clock';
import { StateStore } from '../../devices/state-store';
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
    const diffuser = new Diffuser({ plug, clock, log: logs.log, store, events, maxMinutes: 60, timeZone: 'Europe/London', onBedtime: (b) => void bedtimes.push(b) });
    return { diffuser, store };
  }

  test('on always has a deadline, capped at the maximum, and the bridge switches off at it', async () => {
    const { diffuser, store } = make();
    await diffuser.start();
    await diffuser.on(90, 'voice');
    expect(plug.calls).toEqual([{ at: T, on: true, autoOffSeconds: 3600 }]);
    expect(store.get().diffuser).toEqual({ on: true, offAt: T + 3_600_000 });
    await clock.advance(3_600_000);
    expect(plug.calls.at(-1)).toEqual({ at: T + 3_600_000, on: false, autoOffSeconds: undefined });
    expect(states.at(-1)).toMatchObject({ on: false, reason: 'auto-off' });
    expect(store.get().diffuser).toEqual({ on: false, offAt: null });
  });

  test('the deadline survives a restart: re-armed if ahead, acted on at once if it passed', async () => {
    const first = make();
    await first.diffuser.start();
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
    await clock.advanceTo(Date.UTC(2025, 2, 29, 23, 0));
    expect(plug.calls).toEqual([{ at: Date.UTC(2025, 2, 29, 23, 0), on: true, autoOffSeconds: 3600 }]);
    second.diffuser.stop();
  });
});
