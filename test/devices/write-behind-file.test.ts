/**
 * The one atomic, write-behind file under the bridge's state and the local run's skill attributes:
 * changes share a write, only the newest content lands, a synchronous write is never overwritten by an
 * older one, failures are reported with no temporary file left, and after `close` nothing is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WriteBehindFile } from '../../devices/state/write-behind-file';
import { tempDir } from './helpers';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WriteBehindFile', () => {
  test('changes made in one turn share one write of the newest content, in a directory it makes', async () => {
    const file = path.join(dir.dir, 'nested', 'state.json');
    const disk = new WriteBehindFile(file);
    const rendered: string[] = [];
    let value = 'first';
    for (const next of ['first', 'second', 'third']) {
      value = next;
      disk.writeSoon(() => {
        rendered.push(value);
        return value;
      });
    }
    expect(existsSync(file)).toBe(false);
    await disk.flush();
    expect(rendered).toEqual(['third']);
    expect(readFileSync(file, 'utf8')).toBe('third');
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  test('a change asked for while a write runs is written after it; flush waits for both', async () => {
    const file = path.join(dir.dir, 'state.json');
    const disk = new WriteBehindFile(file);
    disk.writeSoon(() => 'one');
    await nextTurn(); // the first write has started
    disk.writeSoon(() => 'two');
    await disk.flush();
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
  });

  test('a synchronous write is on disk at once and a write behind that started before it never replaces it', async () => {
    const file = path.join(dir.dir, 'state.json');
    const disk = new WriteBehindFile(file);
    disk.writeSoon(() => 'older');
    await nextTurn(); // rendered "older" and is writing it
    disk.writeNow('newer');
    expect(readFileSync(file, 'utf8')).toBe('newer');
    await disk.flush();
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
  });

  test('null removes the file, behind or at once', async () => {
    const file = path.join(dir.dir, 'state.json');
    const disk = new WriteBehindFile(file);
    disk.writeNow('{}');
    disk.writeSoon(() => null);
    await disk.flush();
    expect(existsSync(file)).toBe(false);
    disk.writeNow('{}');
    disk.writeNow(null);
    expect(existsSync(file)).toBe(false);
  });

  test('a directory that cannot be made is reported, and a synchronous write throws', async () => {
    const blocked = path.join(dir.dir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const errors: unknown[] = [];
    const disk = new WriteBehindFile(path.join(blocked, 'state.json'), { onError: (error) => errors.push(error) });
    disk.writeSoon(() => 'lost');
    await disk.flush();
    expect(errors).toHaveLength(1);
    expect((errors[0] as { code?: string }).code).toMatch(/^(EEXIST|ENOTDIR)$/);
    expect(() => disk.writeNow('also lost')).toThrow();
    expect(readdirSync(dir.dir)).toEqual(['blocked']);
  });

  test('a write that fails at the rename is reported and leaves no temporary file; the next one tries again', async () => {
    const file = path.join(dir.dir, 'state.json');
    // A directory with something in it where the file should be: the rename over it fails.
    mkdirSync(file);
    writeFileSync(path.join(file, 'inside'), '');
    const errors: unknown[] = [];
    const disk = new WriteBehindFile(file, { onError: (error) => errors.push(error) });
    disk.writeSoon(() => 'lost');
    await disk.flush();
    expect(errors).toHaveLength(1);
    expect(() => disk.writeNow('also lost')).toThrow();
    expect(readdirSync(dir.dir)).toEqual(['state.json']);
    rmSync(file, { recursive: true });
    disk.writeSoon(() => 'written');
    await disk.flush();
    expect(readFileSync(file, 'utf8')).toBe('written');
  });

  test('a directory removed after the first write is made again', async () => {
    const sub = path.join(dir.dir, 'sub');
    const disk = new WriteBehindFile(path.join(sub, 'state.json'));
    disk.writeNow('one');
    dir.remove();
    disk.writeSoon(() => 'two');
    await disk.flush();
    expect(readFileSync(path.join(sub, 'state.json'), 'utf8')).toBe('two');
  });

  test('after close nothing touches the directory, so it can be removed at once', async () => {
    const file = path.join(dir.dir, 'state.json');
    const disk = new WriteBehindFile(file);
    disk.writeSoon(() => 'kept');
    await disk.close();
    expect(readFileSync(file, 'utf8')).toBe('kept');
    dir.remove();
    disk.writeSoon(() => 'ignored');
    disk.writeNow('ignored');
    await nextTurn();
    await disk.flush();
    expect(existsSync(dir.dir)).toBe(false);
  });
});
