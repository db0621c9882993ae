import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { emptyState, StateStore } from '../../devices/state/state-store';
import { memoryLogger, tempDir } from './helpers';

/** A loaded store in a directory of its own (removed after the test). */
function openedStore(): { dir: ReturnType<typeof tempDir>; log: ReturnType<typeof memoryLogger>['log']; store: StateStore } {
  const dir = tempDir();
  const { log } = memoryLogger();
  const store = new StateStore(dir.dir, log);
  store.load();
  return { dir, log, store };
}

describe('state store', () => {
  test('updateSoon changes the state at once and writes it behind, atomically; flush waits for the disk', async () => {
    const { dir, log, store } = openedStore();
    store.updateSoon((s) => void s.seen.push(['a', 1]));
    store.updateSoon((s) => void s.seen.push(['b', 2]));
    expect(store.peek().seen).toEqual([['a', 1], ['b', 2]]);
    expect(existsSync(store.file)).toBe(false);
    await store.flush();
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    expect(new StateStore(dir.dir, log).load().seen).toEqual([['a', 1], ['b', 2]]);
  });

  test('a write behind never puts an older state over a newer synchronous one', async () => {
    const { dir, log, store } = openedStore();
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
  });

  test('close finishes the write behind, then writes nothing: the directory can be removed at once', async () => {
    const { dir, log, store } = openedStore();
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
    const { dir, log, store } = openedStore();
    store.update((s) => {
      s.bedtime = { time: '22:30', diffuserMinutes: 30 };
      s.diffuser = { on: true, offAt: 1_800_000_000_000 };
    });
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    const again = new StateStore(dir.dir, log).load();
    expect(again.bedtime).toEqual({ time: '22:30', diffuserMinutes: 30 });
    expect(again.diffuser).toEqual({ on: true, offAt: 1_800_000_000_000 });
  });

  test('a damaged file is logged once and the bridge starts empty rather than crashing', () => {
    const dir = tempDir();
    const logs = memoryLogger();
    writeFileSync(`${dir.dir}/state.json`, '{"version":1,"bedtime":');
    expect(new StateStore(dir.dir, logs.log).load().session).toBeNull();
    writeFileSync(`${dir.dir}/state.json`, JSON.stringify({ version: 1, bedtime: { time: '25:99', diffuserMinutes: 30 } }));
    expect(new StateStore(dir.dir, logs.log).load().bedtime).toBeNull();
    expect(logs.warnings()).toHaveLength(2);
  });

  test('a damaged file is moved aside and kept (state.json.corrupt-<time>), not silently discarded', () => {
    const dir = tempDir();
    const logs = memoryLogger();
    writeFileSync(`${dir.dir}/state.json`, 'garbage\u0000');
    expect(new StateStore(dir.dir, logs.log).load()).toEqual(emptyState());
    const aside = readdirSync(dir.dir).filter((f) => f.startsWith('state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(`${dir.dir}/${aside[0] ?? ''}`, 'utf8')).toBe('garbage\u0000');
    expect(existsSync(`${dir.dir}/state.json`)).toBe(false);
    expect(logs.warnings().at(-1)).toMatchObject({ msg: 'state file damaged: moved aside, starting empty', keptAs: `${dir.dir}/${aside[0] ?? ''}` });
  });

  test('a disk that refuses writes: the state stays in memory, one error line per kind, and it is written when the disk is back', async () => {
    const dir = tempDir();
    const logs = memoryLogger();
    const stateDir = `${dir.dir}/state`;
    const store = new StateStore(stateDir, logs.log);
    store.load();
    // Root ignores permissions: a file where the directory should be fails for everyone.
    writeFileSync(stateDir, 'not a directory');
    for (let i = 0; i < 3; i++) {
      expect(() => store.update((s) => void (s.diffuser = { on: true, offAt: 1000 + i }))).not.toThrow();
      store.updateSoon((s) => void s.seen.push([`id-${i}`, i]));
    }
    await store.flush();
    expect(store.get().diffuser).toEqual({ on: true, offAt: 1002 });
    const errors = logs.lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'could not write the state file: keeping the state in memory and trying again', code: 'EEXIST' });
    rmSync(stateDir);
    store.update((s) => void (s.bedtime = { time: '22:00', diffuserMinutes: 10 }));
    expect(new StateStore(stateDir, logs.log).load()).toMatchObject({ diffuser: { on: true, offAt: 1002 }, bedtime: { time: '22:00' }, seen: [['id-0', 0], ['id-1', 1], ['id-2', 2]] });
    expect(logs.lines.at(-1)).toMatchObject({ msg: 'state file written again' });
  });
});
