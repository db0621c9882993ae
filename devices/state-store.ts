/**
 * What must survive a bridge restart, in one JSON file in WINDDOWN_STATE_DIR: the bedtime, the running
 * session (the message that started it, and the lights' state saved before it), the diffuser's off
 * deadline and the ids of recent commands. Written atomically (temp file + rename), so a power cut
 * leaves either the old state or the new one, never half of each (see write-behind-file.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ClockTime } from '../src/protocol/messages';
import { ReceivedSessionStart } from '../src/protocol/v1';
import type { Logger } from './log';
import { WriteBehindFile } from './write-behind-file';

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
  private readonly disk: WriteBehindFile;
  readonly file: string;

  constructor(
    dir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(dir, 'state.json');
    this.disk = new WriteBehindFile(this.file, { onError: (error) => this.log.error({ err: error, file: this.file }, 'could not write the state file') });
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
    // Anything updateSoon left pending is in this write too.
    this.disk.writeNow(serialise(draft));
    this.state = draft;
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
    this.disk.writeSoon(() => serialise(this.state));
  }

  /** Resolves once every change made with `updateSoon` is on disk. */
  flush(): Promise<void> {
    return this.disk.flush();
  }

  /** Flushes, then writes nothing more: once it resolves the state directory can be removed or handed on. */
  close(): Promise<void> {
    return this.disk.close();
  }
}

const serialise = (state: PersistedState): string => `${JSON.stringify(state)}\n`;
