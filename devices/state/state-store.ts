/**
 * What must survive a bridge restart, in one JSON file in WINDDOWN_STATE_DIR: the bedtime, the running
 * session (the message that started it, and the lights' state saved before it), the diffuser's off
 * deadline and the ids of recent commands. Written atomically (temp file + rename), so a power cut
 * leaves either the old state or the new one, never half of each (see write-behind-file.ts).
 */
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { ClockTime } from '../../src/protocol/messages';
import { ReceivedSessionStart } from '../../src/protocol/earlier-versions';
import type { Logger } from '../process/log';
import { errorDetail } from '../process/log';
import { WriteBehindFile } from './write-behind-file';

const int = () => z.number().check(z.int());

export const SavedLight = z.object({
  id: int(),
  on: z.boolean(),
  bri: z.optional(int().check(z.gte(1), z.lte(254))),
  colormode: z.optional(z.enum(['ct', 'xy', 'hs'])),
  ct: z.optional(int()),
  xy: z.optional(z.tuple([z.number(), z.number()])),
  hue: z.optional(int()),
  sat: z.optional(int()),
});
export type SavedLight = z.infer<typeof SavedLight>;

export const StoredBridgeState = z.object({
  version: z.literal(1),
  bedtime: z.nullable(z.object({ time: ClockTime, diffuserMinutes: int().check(z.gte(1), z.lte(240)) })),
  session: z.nullable(
    z.object({
      start: ReceivedSessionStart,
      saved: z.nullable(z.array(SavedLight)),
      status: z.enum(['running', 'holding', 'paused']),
      /** When a holding or paused session gives up and ends. */
      holdUntil: z.nullable(z.number()),
    }),
  ),
  /**
   * `capAt`: the latest the run may last, the maximum counted from its first ON (absent in files
   * written before it was kept: the deadline then stands for it).
   */
  diffuser: z.object({ on: z.boolean(), offAt: z.nullable(z.number()), capAt: z.optional(z.nullable(z.number())) }),
  /** Recently seen command ids with when they were seen: duplicates are dropped across restarts. */
  seen: z.array(z.tuple([z.string(), z.number()])),
});
export type StoredBridgeState = z.infer<typeof StoredBridgeState>;

export const emptyState = (): StoredBridgeState => ({
  version: 1,
  bedtime: null,
  session: null,
  diffuser: { on: false, offAt: null, capAt: null },
  seen: [],
});

/** After a failed write, the next try (real time: the disk is outside the bridge's clock). */
export const WRITE_RETRY_MS = 30_000;

export class StateStore {
  private state: StoredBridgeState = emptyState();
  private readonly disk: WriteBehindFile;
  /** Kinds of write failure already logged, until a write succeeds again. */
  private readonly failures = new Set<string>();
  private retry: NodeJS.Timeout | null = null;
  readonly file: string;

  constructor(
    dir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(dir, 'state.json');
    this.disk = new WriteBehindFile(this.file, { onError: (error) => this.writeFailed(error) });
  }

  /**
   * Reads the file; a missing file is a first start. One that cannot be read or parsed is moved aside
   * (`state.json.corrupt-<time>`, kept for inspection) and the bridge starts empty, which switches
   * the diffuser off: an unknown deadline is no deadline.
   */
  load(): StoredBridgeState {
    this.state = emptyState();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.setAside(`unreadable (${errorDetail(error)})`);
      return this.get();
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.setAside('not JSON');
      return this.get();
    }
    const parsed = StoredBridgeState.safeParse(json);
    if (parsed.success) this.state = parsed.data;
    else this.setAside(`invalid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    return this.get();
  }

  private setAside(why: string): void {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, aside);
      this.log.warn({ file: this.file, keptAs: aside, why }, 'state file damaged: moved aside, starting empty');
    } catch (error) {
      this.log.warn({ file: this.file, why, err: errorDetail(error) }, 'state file damaged and could not be moved aside; starting empty');
    }
  }

  get(): StoredBridgeState {
    return structuredClone(this.state);
  }

  /** The current state without a copy, for reads on the hot path (a breath step, an incoming command). Do not change it. */
  peek(): Readonly<StoredBridgeState> {
    return this.state;
  }

  /** Applies a change and writes the whole state atomically before returning. */
  update(change: (draft: StoredBridgeState) => void): StoredBridgeState {
    const draft = structuredClone(this.state);
    change(draft);
    // Anything updateSoon left pending is in this write too.
    this.writeNow(draft);
    this.state = draft;
    return this.get();
  }

  /**
   * Applies a change now and writes it behind, asynchronously (the file is still replaced atomically),
   * so a breath command or an incoming message never waits for the disk: a synchronous fsync can block
   * the event loop for milliseconds. Changes made meanwhile share one write. A crash in that moment
   * loses the change; `flush` (on stop) waits until it is on disk.
   */
  updateSoon(change: (draft: StoredBridgeState) => void): void {
    change(this.state);
    this.disk.writeSoon(() => serialise(this.state));
  }

  /** Resolves once every change made with `updateSoon` is on disk (or its write failed and was reported). */
  async flush(): Promise<void> {
    if (this.retry) {
      // One more try now rather than after the pause (this is called on the way out).
      clearTimeout(this.retry);
      this.retry = null;
      this.writeNow(this.state);
    }
    await this.disk.flush();
  }

  /** Flushes, then writes nothing more: once it resolves the state directory can be removed or handed on. */
  async close(): Promise<void> {
    await this.flush();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.disk.close();
  }

  /**
   * A full or read-only disk never stops what asked for the write (a switch-off, the end of a session):
   * the state lives on in memory and is written when the disk takes it again.
   */
  private writeNow(state: StoredBridgeState): void {
    try {
      this.disk.writeNow(serialise(state));
      this.wrote();
    } catch (error) {
      this.writeFailed(error);
    }
  }

  /** Logs the first failure of each kind (ENOSPC, EROFS, ENOTDIR…) once, and tries again later. */
  private writeFailed(error: unknown): void {
    const kind = (error as NodeJS.ErrnoException).code ?? 'other';
    if (!this.failures.has(kind)) {
      this.failures.add(kind);
      this.log.error({ err: errorDetail(error), code: kind, file: this.file }, 'could not write the state file: keeping the state in memory and trying again');
    }
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.writeNow(this.state);
    }, WRITE_RETRY_MS);
    this.retry.unref();
  }

  private wrote(): void {
    if (this.failures.size === 0) return;
    this.failures.clear();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.log.info({ file: this.file }, 'state file written again');
  }
}

const serialise = (state: StoredBridgeState): string => `${JSON.stringify(state)}\n`;
