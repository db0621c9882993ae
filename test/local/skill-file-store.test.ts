/**
 * The local store: requests read and save in memory, the disk follows behind, one atomic write at a
 * time with the newest attributes, and `flush()` waits for it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestEnvelope } from 'ask-sdk-model';
import { FileStore } from '../../local/skill-file-store';

const envelopeOf = (userId: string): RequestEnvelope =>
  ({ context: { System: { user: { userId } } }, request: { type: 'LaunchRequest' } }) as unknown as RequestEnvelope;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'winddown-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const jsonFiles = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('FileStore', () => {
  it('answers from memory at once and writes the newest attributes behind, atomically', async () => {
    const store = new FileStore(dir);
    const user = envelopeOf('amzn1.ask.account.A');
    expect(await store.getAttributes(user)).toEqual({});
    for (let i = 1; i <= 20; i++) await store.saveAttributes(user, { n: i });
    expect(await store.getAttributes(user)).toEqual({ n: 20 });
    await store.flush();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1); // no temporary file left behind
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.json$/); // the user id never appears on disk
    expect(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'))).toEqual({ n: 20 });
  });

  it('hands out copies: changing what was read does not change what is stored', async () => {
    const store = new FileStore(dir);
    const user = envelopeOf('amzn1.ask.account.B');
    const saved = { session: { id: 'one' } };
    await store.saveAttributes(user, saved);
    saved.session.id = 'changed';
    const read = await store.getAttributes(user);
    (read.session as { id: string }).id = 'also changed';
    expect(await store.getAttributes(user)).toEqual({ session: { id: 'one' } });
  });

  it('a second store on the same directory sees what the first saved before it reached the disk', async () => {
    const user = envelopeOf('amzn1.ask.account.C');
    await new FileStore(dir).saveAttributes(user, { bedtime: '22:30' });
    const other = new FileStore(dir);
    expect(await other.getAttributes(user)).toEqual({ bedtime: '22:30' });
    await other.flush();
    expect(jsonFiles()).toHaveLength(1);
  });

  it('reads what an earlier run left on disk, and treats a damaged file as empty', async () => {
    const writer = new FileStore(join(dir, 'run'));
    await writer.saveAttributes(envelopeOf('amzn1.ask.account.D'), { bedtime: '23:00' });
    await writer.flush();
    const [file] = readdirSync(join(dir, 'run'));
    // Other directories, so nothing of this process's memory applies: only the disk.
    mkdirSync(join(dir, 'earlier'));
    copyFileSync(join(dir, 'run', file!), join(dir, 'earlier', file!));
    expect(await new FileStore(join(dir, 'earlier')).getAttributes(envelopeOf('amzn1.ask.account.D'))).toEqual({ bedtime: '23:00' });
    mkdirSync(join(dir, 'damaged'));
    writeFileSync(join(dir, 'damaged', file!), '{"bedtime": "22');
    expect(await new FileStore(join(dir, 'damaged')).getAttributes(envelopeOf('amzn1.ask.account.D'))).toEqual({});
  });

  it('makes the directory again if it was removed, and deletes on request', async () => {
    const store = new FileStore(dir);
    const user = envelopeOf('amzn1.ask.account.E');
    await store.saveAttributes(user, { a: 1 });
    await store.flush();
    rmSync(dir, { recursive: true, force: true });
    await store.saveAttributes(user, { a: 2 });
    await store.flush();
    expect(jsonFiles()).toHaveLength(1);
    await store.deleteAttributes(user);
    expect(await store.getAttributes(user)).toEqual({});
    await store.flush();
    expect(jsonFiles()).toHaveLength(0);
  });

  it('reports a write that failed and keeps the attributes in memory', async () => {
    const errors: unknown[] = [];
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the directory should be');
    const store = new FileStore(blocked, { onWriteError: (e) => errors.push(e) });
    const user = envelopeOf('amzn1.ask.account.F');
    await store.saveAttributes(user, { a: 1 });
    await store.flush();
    expect(errors).toHaveLength(1);
    expect(await store.getAttributes(user)).toEqual({ a: 1 });
  });
});
