import { Inbox, SEEN_RETENTION_MS } from '../../devices/inbox/inbox';
import { FakeClock } from '../support/fake-clock';
import { HueEmulator } from '../../local/simulators/hue-emulator';
import { StateStore } from '../../devices/state/state-store';
import { MAX_MESSAGE_AGE_MS, PROTOCOL_VERSION } from '../../src/protocol/messages';
import { memoryLogger, messageId, T0, tempDir } from './helpers';
import { signed, TEST_HOME_KEY } from '../support/signing';

describe('input gate', () => {
  test('staleness is judged on the bridge clock: 120 s old passes, a millisecond more does not', async () => {
    const dir = tempDir();
    const clock = new FakeClock(T0);
    const logs = memoryLogger();
    const store = new StateStore(dir.dir, logs.log);
    store.load();
    const inbox = new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store, log: logs.log });
    const msg = (issuedAt: number) => signed({ v: PROTOCOL_VERSION, id: messageId(), homeId: 'home-1', issuedAt, type: 'diffuser.set', on: false });
    expect(inbox.accept(msg(T0 - MAX_MESSAGE_AGE_MS), 't')).not.toBeNull();
    expect(inbox.accept(msg(T0 - MAX_MESSAGE_AGE_MS - 1), 't')).toBeNull();
    expect(inbox.accept(msg(T0 + 30_000), 't')).not.toBeNull();
    expect(inbox.accept(msg(T0 + 30_001), 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['stale', 'future']);
    // Seen ids survive a restart of the gate (they live in the state file).
    const replay = msg(T0);
    expect(inbox.accept(replay, 't')).not.toBeNull();
    // Remembered at once (a replay right away is a duplicate).
    expect(inbox.accept(replay, 't')).toBeNull();
    await store.flush();
    const reloaded = new StateStore(dir.dir, logs.log);
    reloaded.load();
    const again = new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store: reloaded, log: logs.log });
    expect(again.accept(replay, 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['stale', 'future', 'duplicate', 'duplicate']);
    dir.remove();
  });

  const diffuserOff = (id: string, issuedAt: number) => signed({ v: PROTOCOL_VERSION, id, homeId: 'home-1', issuedAt, type: 'diffuser.set', on: false });

  test('a command acted on is on disk before it is acted on: a crash right after does not let it through again', () => {
    const dir = tempDir();
    const clock = new FakeClock(T0);
    const logs = memoryLogger();
    const store = new StateStore(dir.dir, logs.log);
    store.load();
    const command = diffuserOff('just-before-the-crash', T0);
    expect(new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store, log: logs.log }).accept(command, 't')).not.toBeNull();
    // No flush, no write behind: the process is gone. The broker delivers the command again.
    const restarted = new StateStore(dir.dir, logs.log);
    restarted.load();
    expect(new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store: restarted, log: logs.log }).accept(command, 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['duplicate']);
    dir.remove();
  });

  test('ids are remembered by time, not by count: a burst of 1,500 commands does not push out one that can still be replayed', async () => {
    const dir = tempDir();
    const clock = new FakeClock(T0);
    const logs = memoryLogger();
    const seeded = new StateStore(dir.dir, logs.log);
    seeded.load();
    // A burst in the last minute, written as the bridge would have.
    seeded.update((s) => void (s.seen = Array.from({ length: 1500 }, (_, i): [string, number] => [`burst-id-${i}`, T0 - 60_000 + i])));
    const store = new StateStore(dir.dir, logs.log);
    store.load();
    const inbox = new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store, log: logs.log });
    expect(inbox.accept(diffuserOff('one-more-id', T0), 't')).not.toBeNull();
    // The first of the burst, replayed while it would still pass the staleness check.
    expect(inbox.accept(diffuserOff('burst-id-0', T0 - 60_000), 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['duplicate']);
    // Long after the staleness limit, old ids are let go (a replay of them is stale anyway).
    await clock.advance(SEEN_RETENTION_MS);
    expect(inbox.accept(diffuserOff('later-one', clock.now()), 't')).not.toBeNull();
    expect(store.peek().seen.map(([id]) => id)).toEqual(['later-one']);
    dir.remove();
  });
});

describe('Hue emulator', () => {
  test('applies transitions over time, so a UI can draw each lamp', async () => {
    const clock = new FakeClock(T0);
    const emulator = new HueEmulator({ clock });
    await emulator.start();
    const res = await fetch(`${emulator.url}/api/${emulator.username}/lights/1/state`, { method: 'PUT', body: JSON.stringify({ bri: 20, transitiontime: 40 }) });
    expect(await res.json()).toEqual([{ success: { '/lights/1/state/bri': 20 } }, { success: { '/lights/1/state/transitiontime': 40 } }]);
    expect(emulator.brightnessAt('1', T0)).toBe(180);
    expect(emulator.brightnessAt('1', T0 + 2000)).toBe(100);
    expect(emulator.brightnessAt('1', T0 + 4000)).toBe(20);
    await fetch(`${emulator.url}/api/${emulator.username}/lights/1/state`, { method: 'PUT', body: JSON.stringify({ on: false, transitiontime: 10 }) });
    expect(emulator.brightnessAt('1', T0 + 1000)).toBe(0);
    const unauthorised = (await (await fetch(`${emulator.url}/api/nobody/lights`)).json()) as unknown[];
    expect(unauthorised[0]).toMatchObject({ error: { type: 1 } });
    await emulator.stop();
  });
});
