/**
 * A session part on the wall clock, and the one question the scheduler asks it: given what was sent
 * and the time now, what is due, and when to look again? Pure: no clock, no timers, no I/O.
 *
 * Each step `[atMs, bri, transitionMs, phase]` of the part (`fromMs <= atMs < untilMs`) is due at the
 * absolute deadline `startAt + (atMs − fromMs)` and is handed to the lights `leadMs` before it. What
 * is due is the step current *now*, never an older one: a late timer, a restart or an outage rejoins
 * the breathing where it is, with what is left of the step's transition.
 */
import type { StepPhase } from '../../src/protocol/messages';
import type { ReceivedSessionStart } from '../../src/protocol/earlier-versions';

/** A rejoined step with almost nothing left still moves gently rather than jumping. */
export const MIN_TRANSITION_MS = 400;

export interface TimedStep {
  /** Position in the part, 0-based. */
  index: number;
  /** Wall time (epoch ms) at which the step should land. */
  deadline: number;
  atMs: number;
  bri: number;
  transitionMs: number;
  /** Null when the message did not say (protocol version 1): unknown, not guessed. */
  phase: StepPhase | null;
}

export interface Timeline {
  /** Wall time of plan offset 0 for this part: a step is due at `base + atMs`. */
  base: number;
  /** Wall time at which the part is over (`base + untilMs`). */
  endAt: number;
  /** In deadline order. */
  steps: readonly TimedStep[];
}

/** What has been handed to the lights so far. */
export interface Progress {
  /** Index of the step last sent (or being sent); -1 before the first. */
  sent: number;
  /** When the step last sent is to be sent again after it failed, or null. */
  retryAt: number | null;
}

export const NOTHING_SENT: Progress = Object.freeze({ sent: -1, retryAt: null });

export type Due =
  /** The part is over: the session ends (final part) or holds for the next one. */
  | { kind: 'over' }
  /** Send `step` now with `transitionMs` (what is left of it), then look again at `wakeAt`. */
  | { kind: 'step'; step: TimedStep; transitionMs: number; wakeAt: number }
  /** Nothing to send; look again at `wakeAt`. */
  | { kind: 'wait'; wakeAt: number };

/** The part's steps on the wall clock, in deadline order (a message's steps outside the part are not its). */
export function timelineOf(msg: ReceivedSessionStart): Timeline {
  const base = msg.startAt - msg.fromMs;
  const steps = msg.lights.steps
    .filter(([atMs]) => atMs >= msg.fromMs && atMs < msg.untilMs)
    .map((step) => ({ atMs: step[0], bri: step[1], transitionMs: step[2], phase: step.length === 4 ? step[3] : null }))
    .sort((a, b) => a.atMs - b.atMs)
    .map((step, index) => ({ ...step, index, deadline: base + step.atMs }));
  return { base, endAt: base + msg.untilMs, steps };
}

/**
 * What to do at `now`: the step current at `now + leadMs` if it has not been sent (or its retry is
 * due), and the next time anything can become due: the next step's hand-over, a pending retry, or the
 * end of the part, whichever comes first. `wakeAt` is always later than `now`.
 */
export function due(timeline: Timeline, progress: Progress, now: number, leadMs: number): Due {
  if (now >= timeline.endAt) return { kind: 'over' };
  // A step is current from its true deadline; it is handed over `leadMs` early so that it lands then.
  const idx = currentIndex(timeline, now + leadMs);
  const retryDue = progress.retryAt !== null && now >= progress.retryAt;
  const send = idx >= 0 && (idx !== progress.sent || retryDue);
  let wakeAt = timeline.endAt;
  const following = timeline.steps[idx + 1];
  if (following) wakeAt = Math.min(wakeAt, following.deadline - leadMs);
  // Sending clears the retry: the step sent now is the current one.
  if (!send && progress.retryAt !== null) wakeAt = Math.min(wakeAt, progress.retryAt);
  const step = timeline.steps[idx];
  if (send && step) return { kind: 'step', step, transitionMs: transitionLeft(step, now), wakeAt };
  return { kind: 'wait', wakeAt };
}

/** The last step whose deadline is at or before `at` (-1 before the first). */
export function currentIndex(timeline: Timeline, at: number): number {
  const { steps } = timeline;
  let lo = 0;
  let hi = steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as TimedStep).deadline <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The transition to send at `now`: sent early (by the lead), the step lands at its deadline with the
 * whole transition; sent late (a rejoin, a retry), with what is left of it, in Hue's 100 ms units.
 */
export function transitionLeft(step: TimedStep, now: number): number {
  const left = Math.floor((step.deadline + step.transitionMs - Math.max(now, step.deadline)) / 100) * 100;
  if (left >= MIN_TRANSITION_MS) return left;
  return Math.max(0, Math.min(MIN_TRANSITION_MS, step.transitionMs));
}

/** How far into the plan `now` is, within the session's length. */
export function offsetAt(timeline: Timeline, now: number, totalMs: number): number {
  return Math.max(0, Math.min(totalMs, now - timeline.base));
}
