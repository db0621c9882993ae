import { readdirSync, writeFileSync } from 'node:fs';
import { MAX_SEEN_IDS, StateStore } from '../../devices/state-store';
import { memoryLogger, tempDir } from './helpers';

describe('state store', () => {
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
