/**
 * Persistent attributes in local JSON files, for running the skill off Lambda (the local run, tests).
 * One file per user, named by a hash of the user id so ids never appear on disk.
 *
 * A request never waits for the disk after a user's first one: attributes are kept in memory (as JSON,
 * so nobody can change them by reference) and written behind the response. Writes to one file go one
 * at a time and only the newest attributes are written; each goes to a temporary file that is then
 * renamed over the old one, so a crash never leaves half a file. Waiting on four file-system calls per
 * request made the warm LaunchRequest's tail several times its median on a busy machine.
 *
 * The memory is per process and per file path, shared by every store on the same directory, so a
 * second handler in the same process (a later Alexa session in the tests) sees what the first saved
 * before it reached the disk. `flush()` waits until everything has been written.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';

type Attributes = Record<string, unknown>;

interface FileEntry {
  /** The attributes as JSON; `null`: none (never saved, or deleted). */
  json: string | null;
  /** What the disk should hold next (`null`: delete the file); undefined when the disk is up to date. */
  pending?: string | null;
  /** The write loop, while one runs. */
  writing?: Promise<void>;
}

const entries = new Map<string, FileEntry>();
const createdDirs = new Set<string>();

export interface FileStoreOptions {
  /** Told about a write that failed; the attributes stay in memory and the next save tries again. */
  onWriteError?: (error: unknown) => void;
}

export class FileStore implements PersistenceAdapter {
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.dir = resolve(dir);
  }

  private fileOf(envelope: RequestEnvelope): string {
    const userId = envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId ?? 'anonymous';
    const key = createHash('sha256').update(userId).digest('hex').slice(0, 32);
    return join(this.dir, `${key}.json`);
  }

  async getAttributes(envelope: RequestEnvelope): Promise<Attributes> {
    const file = this.fileOf(envelope);
    let entry = entries.get(file);
    if (entry === undefined) {
      const json = await readJson(file);
      // Another request may have saved while this one read: what it saved is newer.
      entry = entries.get(file) ?? { json };
      entries.set(file, entry);
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
    for (;;) {
      const running: Promise<void>[] = [];
      for (const [file, entry] of entries) if (entry.writing !== undefined && file.startsWith(prefix)) running.push(entry.writing);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private queue(file: string, json: string | null): void {
    const entry = entries.get(file) ?? { json: null };
    entries.set(file, entry);
    entry.json = json;
    entry.pending = json;
    if (entry.writing !== undefined) return; // the running loop writes the newest before it stops
    entry.writing = this.writeLoop(file, entry).finally(() => {
      entry.writing = undefined;
    });
  }

  private async writeLoop(file: string, entry: FileEntry): Promise<void> {
    while (entry.pending !== undefined) {
      const next = entry.pending;
      entry.pending = undefined;
      try {
        if (next === null) await rm(file, { force: true });
        else await this.writeAtomically(file, next);
      } catch (error) {
        this.options.onWriteError?.(error);
      }
    }
  }

  private async writeAtomically(file: string, json: string): Promise<void> {
    if (!createdDirs.has(this.dir)) {
      await mkdir(this.dir, { recursive: true });
      createdDirs.add(this.dir);
    }
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(temp, json, { mode: 0o600 });
    } catch (error) {
      // The directory was removed after it was made (a test's cleanup, a user tidying up): make it again.
      if ((error as { code?: unknown } | null)?.code !== 'ENOENT') throw error;
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, json, { mode: 0o600 });
    }
    await rename(temp, file);
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
