import type { SavedLight } from '../state/state-store';

export type { SavedLight };

/** One command for all the session's lights: where to go and how long to take. */
export interface LightTarget {
  on?: boolean;
  bri?: number;
  ct?: number;
  /** A multiple of 100 ms (Hue's unit). */
  transitionMs: number;
  /** Only these lights (each addressed on its own), not all the session's: the ones that are on, in a dark room. */
  only?: readonly number[];
}

/** The small interface the scheduler drives; one implementation per lighting system. */
export interface Lights {
  /**
   * How long a command takes from `set()` to reaching the lights' bridge (its client's queues and the
   * HTTP request), measured. The scheduler calls `set()` this much before each step's deadline so the
   * command lands on it. 0 or absent: at the deadline.
   */
  readonly dispatchLeadMs?: number;
  /** Reads the current state of every light in the session, to give it back afterwards. */
  capture(): Promise<SavedLight[]>;
  /** Sends one command (to a group or to each light). Rejects on any failure; the caller decides what to retry. */
  set(target: LightTarget): Promise<void>;
  /** Returns each light to its saved state (ct or xy by its colour mode), over `transitionMs`. */
  restore(saved: SavedLight[], transitionMs: number): Promise<void>;
  close(): Promise<void>;
}

export class LightsError extends Error {
  override readonly name = 'LightsError';
  /** Hue's own error type where it gave one (101: the link button was not pressed). */
  hueErrorType?: number;
}
