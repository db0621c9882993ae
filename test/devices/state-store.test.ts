import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { MAX_SEEN_IDS, StateStore } from '../../devices/state-store';
import { memoryLogger, tempDir } from './helpers';

describe('state store', () => {
  test('updateSoon changes the state at once and writes it behind, atomically; flush waits for the disk', async () => {
    const dir = tempDir();
    const { log } = memoryLogger();
    const store = new StateStore(dir.dir, log);
    store.load();
    store.updateSoon((s) => void s.seen.push(['a', 1]));
    store.updateSoon((s) => void s.seen.push(['b', 2]));
    expect(store.peek().seen).toEqual([['a', 1], ['b', 2]]);
    expect(existsSync(store.file)).toBe(false);
    await store.flush();
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    expect(new StateStore(dir.dir, log).load().seen).toEqual([['a', 1], ['b', 2]]);
    dir.remove();
  });

  test('a write behind never puts an older state over a newer synchronous one', async () => {
    const dir = tempDir();
    const { log } = memoryLogger();
    const store = new StateStore(dir.dir, log);
    store.load();
    store.updateSoon((s) => void s.seen.push(['a', 1]));
    // Let the write behind start (it has snapshotted the state), then change the state synchronously.
    await new Promise((resolve) => setImmediate(resolve));
    store.update((s) => {
      s.diffuser = { on: true, offAt: 123 };
    });
    await store.flush();
    const read = new StateStore(dir.dir, log).load();
    expect(read.diffuser).toEqual({ on: true, offAt: 123 });
    expect(read.seen).toEqual([['a', 1]]);
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    dir.remove();
  });

  test('close finishes the write behind, then writes nothing: the directory can be removed at once', async () => {
    const dir = tempDir();
    const { log } = memoryLogger();
    const store = new StateStore(dir.dir, log);
    store.load();
    store.updateSoon((s) => void s.seen.push(['a', 1]));
    await store.close();
    expect(new StateStore(dir.dir, log).load().seen).toEqual([['a', 1]]);
    dir.remove();
    store.updateSoon((s) => void s.seen.push(['b', 2]));
    store.update((s) => void s.seen.push(['c', 3]));
    await store.flush();
    expect(store.peek().seen).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(existsSync(dir.dir)).toBe(false);
  });

  test('writes atomically (no temp file left) and reads back what it wrote', () => {
    const dir = tempDir();
    const { log } = memoryLogger();
    const store = new StateStore(dir.dir, log);
    store.load();
    store.update((s) => {
      s.bedtime = { time: '22:30', diffuserMinutes: 30 };
      s.diffuser = { on: true, offAt: 1_800_000_000_000 };
    });
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    const again = new StateStore(dir.dir, log).load();
    expect(again.bedtime).toEqual({ time: '22:30', diffuserMinutes: 30 });
    expect(again.diffuser).toEqual({ on: true, offAt: 1_800_000_000_000 });
    dir.remove();
  });

  test('a damaged file is logged once and the bridge starts empty rather than crashing', () => {
    const dir = tempDir();
    const logs = memoryLogger();
    writeFileSync(`${dir.dir}/state.json`, '{"version":1,"bedtime":');
    expect(new StateStore(dir.dir, logs.log).load().session).toBeNull();
    writeFileSync(`${dir.dir}/state.json`, JSON.stringify({ version: 1, bedtime: { time: '25:99', diffuserMinutes: 30 } }));
    expect(new StateStore(dir.dir, logs.log).load().bedtime).toBeNull();
    expect(logs.warnings()).toHaveLength(2);
    dir.remove();
  });

  test('remembered message ids are bounded', () => {
    const dir = tempDir();
    const store = new StateStore(dir.dir, memoryLogger().log);
    store.load();
    for (let i = 0; i < MAX_SEEN_IDS + 50; i += 50) {
      store.update((s) => {
        for (let j = 0; j < 50; j++) s.seen.push([`id-${i + j}`, i + j]);
      });
    }
    const seen = store.get().seen;
    expect(seen).toHaveLength(MAX_SEEN_IDS);
    expect(seen.at(-1)?.[0]).toBe(`id-${MAX_SEEN_IDS + 49}`);
    dir.remove();
  });
});
