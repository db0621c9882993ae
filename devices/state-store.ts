/**
 * What must survive a bridge restart, in one JSON file in WINDDOWN_STATE_DIR: the bedtime, the running
 * session (the message that started it, and the lights' state saved before it), the diffuser's off
 * deadline and the ids of recent commands. Written atomically (temp file + rename), so a power cut
 * leaves either the old state or the new one, never half of each.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { ClockTime } from '../src/protocol/messages';
import { ReceivedSessionStart } from '../src/protocol/v1';
import type { Logger } from './log';

export const SavedLight = z.object({
  id: z.number().int(),
  on: z.boolean(),
  bri: z.number().int().min(1).max(254).optional(),
  colormode: z.enum(['ct', 'xy', 'hs']).optional(),
  ct: z.number().int().optional(),
  xy: z.tuple([z.number(), z.number()]).optional(),
  hue: z.number().int().optional(),
  sat: z.number().int().optional(),
});
export type SavedLight = z.infer<typeof SavedLight>;

export const PersistedState = z.object({
  version: z.literal(1),
  bedtime: z.object({ time: ClockTime, diffuserMinutes: z.number().int().min(1).max(240) }).nullable(),
  session: z
    .object({
      start: ReceivedSessionStart,
      saved: z.array(SavedLight).nullable(),
      status: z.enum(['running', 'holding', 'paused']),
      /** When a holding or paused session gives up and ends. */
      holdUntil: z.number().nullable(),
    })
    .nullable(),
  diffuser: z.object({ on: z.boolean(), offAt: z.number().nullable() }),
  /** Last bedtime occurrence already acted on, so a restart does not repeat it. */
  lastBedtimeAt: z.number().nullable(),
  /** Recently seen command ids with when they were seen: duplicates are dropped across restarts. */
  seen: z.array(z.tuple([z.string(), z.number()])),
});
export type PersistedState = z.infer<typeof PersistedState>;

export const emptyState = (): PersistedState => ({
  version: 1,
  bedtime: null,
  session: null,
  diffuser: { on: false, offAt: null },
  lastBedtimeAt: null,
  seen: [],
});

/** Enough ids for hours of commands; older ones are stale anyway after MAX_MESSAGE_AGE_MS. */
export const MAX_SEEN_IDS = 1000;

export class StateStore {
  private state: PersistedState = emptyState();
  /** Generation of the last write started, and of the last one that reached the file. */
  private generation = 0;
  private written = 0;
  /** A change made with `updateSoon` is not in a write yet. */
  private dirty = false;
  private writing: Promise<void> | null = null;
  readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(dir, 'state.json');
  }

  /** Reads the file; a missing file is a first start, a broken one is logged and replaced. */
  load(): PersistedState {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn({ err: error, file: this.file }, 'state file unreadable; starting empty');
      this.state = emptyState();
      return this.get();
    }
    try {
      const parsed = PersistedState.safeParse(JSON.parse(text));
      if (parsed.success) this.state = parsed.data;
      else {
        this.log.warn({ file: this.file, detail: z.prettifyError(parsed.error) }, 'state file invalid; starting empty');
        this.state = emptyState();
      }
    } catch (error) {
      this.log.warn({ err: error, file: this.file }, 'state file is not JSON; starting empty');
      this.state = emptyState();
    }
    return this.get();
  }

  get(): PersistedState {
    return structuredClone(this.state);
  }

  /** The current state without a copy, for reads on the hot path (a breath step, an incoming command). Do not change it. */
  peek(): Readonly<PersistedState> {
    return this.state;
  }

  /** Applies a change and writes the whole state atomically before returning. */
  update(change: (draft: PersistedState) => void): PersistedState {
    const draft = structuredClone(this.state);
    change(draft);
    if (draft.seen.length > MAX_SEEN_IDS) draft.seen = draft.seen.slice(-MAX_SEEN_IDS);
    this.write(draft);
    this.state = draft;
    // Anything updateSoon left pending is in this write too.
    this.dirty = false;
    return this.get();
  }

  /**
   * Applies a change now and writes it behind, asynchronously (the file is still replaced atomically),
   * so a breath command or an incoming message never waits for the disk: a synchronous fsync can block
   * the event loop for milliseconds. Changes made meanwhile share one write. A crash in that moment
   * loses the change; `flush` (on stop) waits until it is on disk.
   */
  updateSoon(change: (draft: PersistedState) => void): void {
    change(this.state);
    if (this.state.seen.length > MAX_SEEN_IDS) this.state.seen = this.state.seen.slice(-MAX_SEEN_IDS);
    this.dirty = true;
    this.kick();
  }

  /** Resolves once every change made with `updateSoon` is on disk. */
  async flush(): Promise<void> {
    while (this.writing || this.dirty) {
      this.kick();
      await this.writing;
    }
  }

  private kick(): void {
    if (this.writing || !this.dirty) return;
    this.writing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeBehind())
      .finally(() => {
        this.writing = null;
        this.kick();
      });
  }

  private async writeBehind(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const gen = ++this.generation;
    const text = `${JSON.stringify(this.state)}\n`;
    const temp = `${this.file}.${process.pid}.${gen}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // A synchronous update may have written a newer state meanwhile: never put an older one over it.
      if (gen > this.written) {
        renameSync(temp, this.file);
        this.written = gen;
      } else await rm(temp, { force: true });
    } catch (error) {
      this.log.error({ err: error, file: this.file }, 'could not write the state file');
    }
  }

  private write(state: PersistedState): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const gen = ++this.generation;
    const temp = `${this.file}.${process.pid}.${gen}.tmp`;
    writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    this.written = gen;
  }
}
