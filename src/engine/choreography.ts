/**
 * SessionPlan → light choreography: what the bedroom lights do, step by step, in time with the voice.
 *
 * - One command per breath phase, at the phase's start, with the transition equal to the phase: the
 *   inhale brightens, the exhale dims, a hold holds. Tensing a muscle is an inhale, releasing an exhale.
 * - Between breaths (spoken passages and rests) one command dims slowly and steadily over the passage.
 * - The range is gentle and narrows as the session goes on, so the room gets darker towards sleep:
 *   the peak falls from `peakStart` to `peakEnd` and the trough from `troughStart` to `troughEnd`.
 * - One warm colour throughout (≈2200 K), never a flash: every change takes at least a second and
 *   moves at most `MAX_BRI_PER_SECOND`.
 * - Every command is at least a second after the previous one, so the same steps can go to a Hue room
 *   (one command a second) or to each light (ten a second across the bridge).
 * - Each step says what it is (its phase), so a home shows what is happening without guessing it
 *   from the levels.
 * - A plan whose room is "dark" (someone woken in the night) keeps every step at the dimmest level in
 *   the warmest colour: the phases still have their commands, but nothing ever brightens.
 */
import type { Choreography, LightStep, StepPhase } from '../protocol/messages';
import { MIN_PHASE_MS } from './compile';
import type { BreathSegment, Segment, SessionPlan } from './types';

export interface LightLevels {
  peakStart: number;
  peakEnd: number;
  troughStart: number;
  troughEnd: number;
  /** Colour temperature in mired (455 ≈ 2200 K). */
  ct: number;
}

export const DEFAULT_LEVELS: LightLevels = Object.freeze({
  peakStart: 150,
  peakEnd: 60,
  troughStart: 40,
  troughEnd: 6,
  ct: 455,
});

/** The middle of the night: the dimmest lit level Hue has, at 2000 K, from the first step to the last. */
export const DARK_LEVELS: LightLevels = Object.freeze({
  peakStart: 1,
  peakEnd: 1,
  troughStart: 1,
  troughEnd: 1,
  ct: 500,
});

/** The fastest change a step may ask for, in brightness units a second (the full range takes > 4 s). */
export const MAX_BRI_PER_SECOND = 60;
/** How long the lights take to fade off after a sleep session, or to return after an awake one. */
export const FADE_OFF_MS = 60_000;
export const RESTORE_MS = 4_000;

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
/** A muscle group is tensed on an in-breath and let go on an out-breath: said as such. */
const phaseOf = (segment: BreathSegment): StepPhase => (segment.effort === 'tense' ? 'tense' : segment.effort === 'release' ? 'release' : segment.phase);
const clampBri = (bri: number) => Math.min(254, Math.max(1, Math.round(bri)));

export function choreograph(plan: SessionPlan, requested: LightLevels = DEFAULT_LEVELS): Choreography {
  const levels = plan.room === 'dark' ? DARK_LEVELS : requested;
  const total = plan.totalMs;
  const peakAt = (ms: number) => lerp(levels.peakStart, levels.peakEnd, ms / total);
  const troughAt = (ms: number) => lerp(levels.troughStart, levels.troughEnd, ms / total);
  const restingAt = (ms: number) => lerp(troughAt(ms), peakAt(ms), 0.35);

  const steps: LightStep[] = [];
  let level = restingAt(0);
  const push = (atMs: number, target: number, transitionMs: number, phase: StepPhase) => {
    // Keep the change gentle even if a phase is short: go as far as the speed limit allows.
    const maxDelta = (MAX_BRI_PER_SECOND * transitionMs) / 1000;
    const bri = clampBri(level + Math.max(-maxDelta, Math.min(maxDelta, target - level)));
    steps.push([atMs, bri, transitionMs, phase]);
    level = bri;
  };

  const segments = plan.segments;
  let i = 0;
  while (i < segments.length) {
    const segment = segments[i]!;
    if (segment.kind === 'breath') {
      const end = segment.startMs + segment.durationMs;
      const phase = phaseOf(segment);
      if (segment.phase === 'inhale') push(segment.startMs, peakAt(end), segment.durationMs, phase);
      else if (segment.phase === 'exhale') push(segment.startMs, troughAt(end), segment.durationMs, phase);
      else push(segment.startMs, level, segment.durationMs, phase);
      i += 1;
      continue;
    }
    // A passage: every non-breath segment up to the next breath, as one slow drift.
    let j = i;
    while (j < segments.length && segments[j]!.kind !== 'breath') j += 1;
    const last: Segment = segments[j - 1]!;
    const startMs = segment.startMs;
    const durationMs = last.startMs + last.durationMs - startMs;
    // Under a second between breaths there is nothing to drift: the last step simply completes.
    const endMs = startMs + durationMs;
    if (durationMs >= MIN_PHASE_MS) push(startMs, Math.min(restingAt(endMs), lerp(level, troughAt(endMs), 0.5)), durationMs, 'drift');
    i = j;
  }

  const sleep = plan.ending === 'sleep';
  return {
    ct: levels.ct,
    steps,
    end: sleep ? 'fade-off' : 'restore',
    endTransitionMs: sleep ? FADE_OFF_MS : RESTORE_MS,
    totalMs: total,
  };
}
