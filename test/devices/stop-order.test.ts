/**
 * After a stop, the last thing every light hears is the end of the session (the fade-off or the
 * restore), never a breath step that was still on its way: the scheduler with the real Hue adapter
 * (node-hue-api and its queues) against the Hue emulator, on a fake clock, with the stop arriving at
 * the awkward moments: while the lamps are still being read before the first step, inside the
 * dispatch lead of a step, in the middle of a step's fan-out to three lamps, and while a failed step
 * waits for its retry.
 */
import type { HueCommand } from '../../local/simulators/hue-emulator';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import { EventBus } from '../../devices/events';
import { HUE_DISPATCH_LEAD_MS, HueLights } from '../../devices/lights/hue/hue';
import { SessionScheduler } from '../../devices/session/scheduler';
import { FakeClock, flushAsync } from '../support/fake-clock';
import type { Choreography } from '../../src/protocol/messages';
import { breathing, closeStores, memoryLogger, openStore, sessionStart, T0, tempDir } from './helpers';
import { until } from '../support/until';
import { startEmulator } from '../support/hue';

const LAMPS = ['1', '2', '3'];
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<[string, Choreography['end']]>([
  ['fade-off', 'fade-off'],
  ['restore', 'restore'],
])('a stop, then nothing but the end (%s)', (_name, end) => {
  let clock: FakeClock;
  let emulator: HueEmulator;
  let dir: ReturnType<typeof tempDir>;
  let scheduler: SessionScheduler;
  let lights: HueLights;

  beforeEach(async () => {
    clock = new FakeClock(T0);
    emulator = await startEmulator({ clock });
    dir = tempDir();
    const { log } = memoryLogger();
    const store = openStore(dir.dir, log);
    const url = new URL(emulator.url);
    lights = new HueLights({ log, settings: { url: emulator.url, host: url.hostname, port: emulator.port, secure: false, username: emulator.username, lights: [1, 2, 3], group: null } });
    scheduler = new SessionScheduler({ lights, clock, log, store, events: new EventBus(log) });
  });
  afterEach(async () => {
    await scheduler.shutdown();
    await lights.close();
    await closeStores();
    dir.remove();
  });

  const isEnd = (c: HueCommand): boolean => (end === 'fade-off' ? c.body.on === false : c.body.bri === 180 && c.body.ct === 366);

  /** Every lamp's last command is the end command, and nothing at all comes after it (waited for in real time). */
  async function expectEndLast(): Promise<void> {
    await until(() => LAMPS.every((id) => emulator.lightCommands(id).some(isEnd)), 'the end command at every lamp');
    const before = emulator.commands.length;
    // node-hue-api spaces light commands 60 ms apart: anything still queued would show within this.
    await realSleep(400);
    await clock.advance(30_000);
    await realSleep(100);
    expect(emulator.commands.length).toBe(before);
    for (const id of LAMPS) {
      const mine = emulator.lightCommands(id);
      const last = mine.at(-1);
      expect({ lamp: id, last: last?.body }).toMatchObject({ lamp: id, last: end === 'fade-off' ? { on: false } : { on: true, bri: 180, ct: 366 } });
      expect(mine.filter(isEnd)).toHaveLength(1);
    }
  }

  test('stopped while the lamps are still being read before the first step: that step never goes out', async () => {
    // The first step is due now: it is handed over at once, and waits for the read of the lamps.
    const msg = sessionStart(clock.now(), { startAt: clock.now(), lights: { ...breathing(2), end } });
    scheduler.start(msg);
    await scheduler.stop('stop');
    // The read finished and the lamps were never told anything: they stay as the person left them
    // (before, the end went out first and the step after it, leaving the lamps lit after the stop).
    await realSleep(400);
    await clock.advance(30_000);
    await realSleep(100);
    expect(emulator.requests.some((r) => r.method === 'GET' && r.path.endsWith('/lights'))).toBe(true);
    expect(emulator.commands).toEqual([]);
  });

  test('stopped while the first step is being sent and the lamps were read: the end follows the step', async () => {
    const msg = sessionStart(clock.now(), { startAt: clock.now(), lights: { ...breathing(2), end } });
    scheduler.start(msg);
    // The read is done and the first lamp has its step; the others are in node-hue-api's queue.
    await until(() => emulator.commands.length >= 1, 'the first step under way');
    await scheduler.stop('stop');
    await expectEndLast();
  });

  test('stopped inside the dispatch lead of a step: the step that left lands first, the end after it', async () => {
    const msg = sessionStart(clock.now(), { lights: { ...breathing(2), end } });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 3, 'first step at the three lamps');
    // The second step is handed over HUE_DISPATCH_LEAD_MS early; the stop comes 2 ms before its deadline.
    const second = msg.startAt + (msg.lights.steps[1]?.[0] ?? 0);
    await clock.advanceTo(second - 2);
    expect(HUE_DISPATCH_LEAD_MS).toBeGreaterThan(2);
    await scheduler.stop('stop');
    await expectEndLast();
  });

  test('stopped in the middle of a step\'s fan-out to three lamps: the end is queued behind it', async () => {
    const msg = sessionStart(clock.now(), { lights: { ...breathing(2), end } });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 3, 'first step at the three lamps');
    const second = msg.startAt + (msg.lights.steps[1]?.[0] ?? 0);
    await clock.advanceTo(second);
    // One lamp has the second step, the others are still in node-hue-api's light queue.
    await until(() => emulator.commands.length >= 4, 'the second step under way');
    expect(emulator.commands.length).toBeLessThan(6);
    await scheduler.stop('stop');
    await expectEndLast();
  });

  test('stopped while a failed step waits for its retry: the retry never goes out', async () => {
    const msg = sessionStart(clock.now(), { lights: { ...breathing(2), end } });
    scheduler.start(msg);
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 3, 'first step at the three lamps');
    emulator.setFault('http503');
    const second = msg.startAt + (msg.lights.steps[1]?.[0] ?? 0);
    const requests = emulator.requests.length;
    await clock.advanceTo(second);
    await until(() => emulator.requests.length > requests, 'the second step refused');
    await realSleep(200);
    await flushAsync();
    emulator.setFault(null);
    await scheduler.stop('stop');
    await expectEndLast();
  });
});
