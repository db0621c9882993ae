import { Inbox, SEEN_RETENTION_MS } from '../../devices/inbox/inbox';
import { FakeClock } from '../support/fake-clock';
import { StateStore } from '../../devices/state/state-store';
import { MAX_MESSAGE_AGE_MS, PROTOCOL_VERSION } from '../../src/protocol/messages';
import { memoryLogger, messageId, T0, tempDir } from './helpers';
import { signed, TEST_HOME_KEY } from '../support/signing';
import { onTeardown } from '../support/teardown';

/** A state directory (removed after the test), a logger and a clock at T0. */
function parts(): { dir: ReturnType<typeof tempDir>; clock: FakeClock; logs: ReturnType<typeof memoryLogger> } {
  const dir = tempDir();
  onTeardown(() => dir.remove());
  return { dir, clock: new FakeClock(T0), logs: memoryLogger() };
}

/** The state file in `dir` as a bridge (re)starting reads it. */
function loaded(dir: string, logs: ReturnType<typeof memoryLogger>): StateStore {
  const store = new StateStore(dir, logs.log);
  store.load();
  return store;
}

describe('inbox', () => {
  test('staleness is judged on the bridge clock: 120 s old passes, a millisecond more does not', async () => {
    const { dir, clock, logs } = parts();
    const store = loaded(dir.dir, logs);
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
    const reloaded = loaded(dir.dir, logs);
    const again = new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store: reloaded, log: logs.log });
    expect(again.accept(replay, 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['stale', 'future', 'duplicate', 'duplicate']);
  });

  const diffuserOff = (id: string, issuedAt: number) => signed({ v: PROTOCOL_VERSION, id, homeId: 'home-1', issuedAt, type: 'diffuser.set', on: false });

  test('a command acted on is on disk before it is acted on: a crash right after does not let it through again', () => {
    const { dir, clock, logs } = parts();
    const store = loaded(dir.dir, logs);
    const command = diffuserOff('just-before-the-crash', T0);
    expect(new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store, log: logs.log }).accept(command, 't')).not.toBeNull();
    // No flush, no write behind: the process is gone. The broker delivers the command again.
    const restarted = loaded(dir.dir, logs);
    expect(new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store: restarted, log: logs.log }).accept(command, 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['duplicate']);
  });

  test('ids are remembered by time, not by count: a burst of 1,500 commands does not push out one that can still be replayed', async () => {
    const { dir, clock, logs } = parts();
    const seeded = loaded(dir.dir, logs);
    // A burst in the last minute, written as the bridge would have.
    seeded.update((s) => void (s.seen = Array.from({ length: 1500 }, (_, i): [string, number] => [`burst-id-${i}`, T0 - 60_000 + i])));
    const store = loaded(dir.dir, logs);
    const inbox = new Inbox({ homeId: 'home-1', key: TEST_HOME_KEY, clock, store, log: logs.log });
    expect(inbox.accept(diffuserOff('one-more-id', T0), 't')).not.toBeNull();
    // The first of the burst, replayed while it would still pass the staleness check.
    expect(inbox.accept(diffuserOff('burst-id-0', T0 - 60_000), 't')).toBeNull();
    expect(logs.warnings().map((l) => l.reason)).toEqual(['duplicate']);
    // Long after the staleness limit, old ids are let go (a replay of them is stale anyway).
    await clock.advance(SEEN_RETENTION_MS);
    expect(inbox.accept(diffuserOff('later-one', clock.now()), 't')).not.toBeNull();
    expect(store.peek().seen.map(([id]) => id)).toEqual(['later-one']);
  });
});
