/**
 * One file whose content is kept in memory by its owner and written to disk atomically: to a temporary
 * file beside it, synced, then renamed over it, so a crash or a power cut leaves the old content or the
 * new, never half of each. The bridge's state (state-store.ts) and the local run's skill attributes
 * (local/skill-file-store.ts) are both written through it.
 *
 * Writes behind: `writeSoon` returns at once and the write starts on the next turn of the event loop,
 * so a breath command or a request never waits for the disk. The content is rendered when the write
 * starts, so any number of changes made meanwhile share one write, and only the newest is written.
 * `writeNow` writes synchronously, for a change that must be on disk before anything else happens (the
 * diffuser's off deadline); a write behind that finishes later never puts older content over it.
 *
 * `flush` waits until everything asked for is on disk (or has failed and been reported); `close` does
 * that and then ignores further writes, so nothing touches the directory once it resolves.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';

export interface WriteBehindFileOptions {
  /** Told about a write behind that failed; the content stays with its owner and the next write tries again. */
  onError?: (error: unknown) => void;
}

/** The content to write, or null to remove the file. */
export type Content = string | null;

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export class WriteBehindFile {
  private readonly dir: string;
  /** What the next write behind renders; null when none is asked for. */
  private pending: (() => Content) | null = null;
  private writing: Promise<void> | null = null;
  /** Generation of the last write started, and of the last one that reached the file. */
  private generation = 0;
  private written = 0;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly options: WriteBehindFileOptions = {},
  ) {
    this.dir = path.dirname(file);
  }

  /** Writes the content `render` returns when the write starts, soon; the newest request wins. */
  writeSoon(render: () => Content): void {
    if (this.closed) return;
    this.pending = render;
    this.writing ??= this.drain();
  }

  /** Writes `content` before returning (and throws if it cannot); it supersedes any write asked for before. */
  writeNow(content: Content): void {
    if (this.closed) return;
    const gen = ++this.generation;
    if (content === null) rmSync(this.file, { force: true });
    else {
      mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
      const temp = this.tempFile(gen);
      try {
        writeFileSync(temp, content, { mode: FILE_MODE });
        const fd = openSync(temp, 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, this.file);
      } catch (error) {
        try {
          rmSync(temp, { force: true });
        } catch {
          // The write's own error says what went wrong.
        }
        throw error;
      }
    }
    this.written = gen;
    this.pending = null;
  }

  /** Resolves once every write asked for so far has finished. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Finishes the writes asked for, then ignores any later one. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.pending = null;
  }

  private async drain(): Promise<void> {
    try {
      // One turn of the event loop: changes made in the same turn share this write.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.pending) {
        const render = this.pending;
        this.pending = null;
        try {
          await this.writeBehind(render(), ++this.generation);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  private async writeBehind(content: Content, gen: number): Promise<void> {
    if (content === null) {
      // Synchronous, like the rename below: a newer `writeNow` cannot come between the check and the removal.
      if (gen > this.written) {
        rmSync(this.file, { force: true });
        this.written = gen;
      }
      return;
    }
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    const temp = this.tempFile(gen);
    try {
      const handle = await open(temp, 'w', FILE_MODE);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Checked and renamed in one synchronous step: a newer `writeNow` cannot come between them.
      if (gen > this.written) {
        renameSync(temp, this.file);
        this.written = gen;
      } else await rm(temp, { force: true });
    } catch (error) {
      // A full disk must not fill up further with temporary files.
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  private tempFile(gen: number): string {
    return `${this.file}.${process.pid}.${gen}.tmp`;
  }
}
