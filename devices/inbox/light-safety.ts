/**
 * Light safety where the light is: the engine never asks for a flash, but the bridge obeys whatever
 * arrives, so it checks a session's choreography itself before a lamp hears any of it. Pure: the
 * message in, the first reason to refuse it out (or null). The end and restore transitions are not
 * checked here; they keep their own rules (the schema's bounds and the scheduler's end action).
 */

/** Hue takes at most one command a second to a group; closer steps would pile up or be dropped. */
export const MIN_STEP_GAP_MS = 1000;
/** Every change of level takes at least a second: nothing snaps. */
export const MIN_TRANSITION_MS = 1000;
/** The fastest change of brightness a step may ask for (the engine's own limit; the full range takes > 4 s). */
export const MAX_BRI_PER_SECOND = 60;
/** Rounding to whole brightness units may add up to one unit to a change at the limit. */
const BRI_ROUNDING = 1;
/** A session that starts later than this after it was issued is not one someone just asked for. */
export const MAX_START_DELAY_MS = 5 * 60_000;

/** What the check needs of a step, whatever else the wire format carries beside it. */
export interface StepLevel {
  atMs: number;
  bri: number;
  transitionMs: number;
}

/** The fields of a `session.start` the check reads, in every protocol version the bridge obeys. */
export interface SessionTiming {
  issuedAt: number;
  startAt: number;
  fromMs: number;
  untilMs: number;
  lights: { totalMs: number; steps: readonly (readonly [number, number, number, ...unknown[]])[] };
}

export function stepLevels(msg: SessionTiming): StepLevel[] {
  return msg.lights.steps.map(([atMs, bri, transitionMs]) => ({ atMs, bri, transitionMs }));
}

/** Why this session must not reach the lights, or null when it may. */
export function lightSafetyProblem(msg: SessionTiming): string | null {
  const delay = msg.startAt - msg.issuedAt;
  if (delay > MAX_START_DELAY_MS) return `startAt is ${Math.round(delay / 1000)} s after issuedAt (limit ${MAX_START_DELAY_MS / 1000} s)`;
  const { totalMs } = msg.lights;
  if (!(msg.fromMs < msg.untilMs && msg.untilMs <= totalMs)) return `fromMs ${msg.fromMs}, untilMs ${msg.untilMs} and totalMs ${totalMs} are out of order`;
  let previous: StepLevel | null = null;
  for (const [i, step] of stepLevels(msg).entries()) {
    if (step.transitionMs < MIN_TRANSITION_MS) return `step ${i} has a ${step.transitionMs} ms transition (at least ${MIN_TRANSITION_MS} ms)`;
    if (previous) {
      const gap = step.atMs - previous.atMs;
      if (gap < 0) return `step ${i} at ${step.atMs} ms comes before step ${i - 1} at ${previous.atMs} ms`;
      if (gap < MIN_STEP_GAP_MS) return `step ${i} is ${gap} ms after the one before (at least ${MIN_STEP_GAP_MS} ms)`;
      const change = Math.abs(step.bri - previous.bri);
      if (change > (MAX_BRI_PER_SECOND * step.transitionMs) / 1000 + BRI_ROUNDING) {
        return `step ${i} changes brightness by ${change} in ${step.transitionMs} ms (at most ${MAX_BRI_PER_SECOND} a second)`;
      }
    }
    previous = step;
  }
  return null;
}
