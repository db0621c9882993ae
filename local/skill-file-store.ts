/**
 * The skill's persistent attributes in local JSON files, for the local run (the deployed skill keeps
 * them in DynamoDB). One file per user, named by a hash of the user id so ids never appear on disk.
 *
 * A request never waits for the disk after a user's first one: attributes are kept in memory (as JSON,
 * so nobody can change them by reference) and written behind the response, atomically, newest only
 * (see devices/state/write-behind-file.ts). Waiting on file-system calls per request made the warm
 * LaunchRequest's tail several times its median on a busy machine.
 *
 * The memory is per process and per file path, shared by every store on the same directory, so a
 * second handler in the same process (a later Alexa session in the tests) sees what the first saved
 * before it reached the disk. `flush()` waits until everything has been written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Persistence } from '../lambda/persistence/types';
import { userIdOf } from '../lambda/persistence/user-id';
import { WriteBehindFile } from '../devices/state/write-behind-file';

type Attributes = Record<string, unknown>;

interface FileEntry {
  /** The attributes as JSON; `null`: none (never saved, or deleted). */
  json: string | null;
  disk: WriteBehindFile;
  /** Told about a failed write: that of the store that saved last. */
  onWriteError?: (error: unknown) => void;
}

const entries = new Map<string, FileEntry>();

export interface FileStoreOptions {
  /** Told about a write that failed; the attributes stay in memory and the next save tries again. */
  onWriteError?: (error: unknown) => void;
}

export class FileStore implements Persistence {
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.dir = resolve(dir);
  }

  private fileOf(envelope: RequestEnvelope): string {
    const key = createHash('sha256').update(userIdOf(envelope)).digest('hex').slice(0, 32);
    return join(this.dir, `${key}.json`);
  }

  async getAttributes(envelope: RequestEnvelope): Promise<Attributes> {
    const file = this.fileOf(envelope);
    let entry = entries.get(file);
    if (entry === undefined) {
      const json = await readJson(file);
      // Another request may have saved while this one read: what it saved is newer.
      entry = entries.get(file) ?? this.entryOf(file, json);
    }
    return entry.json === null ? {} : (JSON.parse(entry.json) as Attributes);
  }

  saveAttributes(envelope: RequestEnvelope, attributes: Attributes): Promise<void> {
    this.queue(this.fileOf(envelope), JSON.stringify(attributes));
    return Promise.resolve();
  }

  deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    this.queue(this.fileOf(envelope), null);
    return Promise.resolve();
  }

  /** Waits until every attribute saved under this store's directory is on disk. */
  async flush(): Promise<void> {
    const prefix = join(this.dir, '/');
    const mine = [...entries].filter(([file]) => file.startsWith(prefix));
    await Promise.all(mine.map(([, entry]) => entry.disk.flush()));
  }

  private entryOf(file: string, json: string | null): FileEntry {
    const entry: FileEntry = { json, disk: new WriteBehindFile(file, { onError: (error) => entry.onWriteError?.(error) }) };
    entries.set(file, entry);
    return entry;
  }

  private queue(file: string, json: string | null): void {
    const entry = entries.get(file) ?? this.entryOf(file, null);
    entry.json = json;
    entry.onWriteError = this.options.onWriteError;
    // Rendered when the write starts: saves made meanwhile share one write of the newest.
    entry.disk.writeSoon(() => entry.json);
  }
}

async function readJson(file: string): Promise<string | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? JSON.stringify(parsed) : null;
  } catch (error) {
    // Checked by shape: errors from node's fs are not always instances of this realm's Error.
    if ((error as { code?: unknown } | null)?.code === 'ENOENT') return null;
    // A damaged file must not stop someone's session: start again from nothing.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}
