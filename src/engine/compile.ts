/**
 * Script + options → SessionPlan: one contiguous timeline in 100 ms units that both the voice and the
 * lights are rendered from.
 *
 * Length: the fixed parts of a script (speech, pauses, muscle groups, counted breaths) are laid out as
 * written; what is left of the requested length is shared by its `cycles: "fill"` breathing blocks in
 * proportion to their weights, in whole breaths. The part of a breath that does not fit becomes a
 * short rest after the last fill block, so the plan is as long as asked to the 100 ms.
 *
 * Pace: breathing starts at `startBpm` and slows linearly to `endBpm` over the first two thirds of the
 * session, then stays there, the way sleep metronomes do. The exhale is longer than the inhale (60/40).
 */
import type { Script, Step } from '../content/schema';
import { estimateSpeechMs, roundTo100 } from './speech-model';
import type { BreathSegment, Segment, SessionOptions, SessionPlan } from './types';

export const DEFAULT_OPTIONS: SessionOptions = Object.freeze({
  minutes: 10,
  startBpm: 10,
  endBpm: 6,
  ratePercent: 90,
  introduction: 'full',
  voiceOnly: false,
  sparseness: 0,
});

/** The sparsest a plan's cues get (see `SessionOptions.sparseness`). */
export const MAX_SPARSENESS = 3;

/** Share of a breath (without its hold) spent breathing in. */
export const INHALE_SHARE = 0.4;
/** Share of the session over which the pace slows from start to end. */
export const PACE_RAMP_SHARE = 2 / 3;
/** No breath phase is shorter: lights get at most one command a second. */
export const MIN_PHASE_MS = 1_000;
/** Silence after a tense or release cue: the muscle is held (or let go) for at least this long. */
const MIN_EFFORT_HOLD_MS = 3_000;
/** A cue needs this much silence after it, or it is left out. */
const CUE_TAIL_MS = 600;
/** Breaths that get the full cue ("Breathe in… and out") at the start of a block whose cues are unset. */
const FULL_CUE_BREATHS = 3;

const CUES = {
  full: { inhale: 'Breathe in.', hold: 'Hold.', exhale: 'And out.' },
  short: { inhale: 'In.', hold: null, exhale: 'Out.' },
  /** One word a breath: the in-breath marks the pace, the out-breath is its own. */
  inhale: { inhale: 'In.', hold: null, exhale: null },
  none: { inhale: null, hold: null, exhale: null },
} as const;

export class PlanError extends Error {
  override name = 'PlanError';
}

export function resolveOptions(options: Partial<SessionOptions> = {}, script?: Script): SessionOptions {
  const merged: SessionOptions = {
    ...DEFAULT_OPTIONS,
    minutes: script?.minutes[0] ?? DEFAULT_OPTIONS.minutes,
    ...stripUndefined(options),
  };
  const problems: string[] = [];
  if (!(merged.minutes >= 1 && merged.minutes <= 60)) problems.push(`minutes must be 1–60, got ${merged.minutes}`);
  for (const key of ['startBpm', 'endBpm'] as const) {
    if (!(merged[key] >= 3 && merged[key] <= 20)) problems.push(`${key} must be 3–20 breaths a minute, got ${merged[key]}`);
  }
  if (!(merged.ratePercent >= 50 && merged.ratePercent <= 120)) {
    problems.push(`ratePercent must be 50–120, got ${merged.ratePercent}`);
  }
  if (merged.introduction !== 'full' && merged.introduction !== 'short') {
    problems.push(`introduction must be "full" or "short", got ${String(merged.introduction)}`);
  }
  if (typeof merged.voiceOnly !== 'boolean') problems.push(`voiceOnly must be true or false, got ${String(merged.voiceOnly)}`);
  if (!(Number.isInteger(merged.sparseness) && merged.sparseness >= 0 && merged.sparseness <= MAX_SPARSENESS)) {
    problems.push(`sparseness must be a whole number 0–${MAX_SPARSENESS}, got ${merged.sparseness}`);
  }
  if (merged.room !== undefined && merged.room !== 'breathe' && merged.room !== 'dark') problems.push(`room must be "breathe" or "dark", got ${String(merged.room)}`);
  if (problems.length > 0) throw new PlanError(problems.join('; '));
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The pace (breaths a minute) at a point of the session. */
export function paceAt(offsetMs: number, totalMs: number, options: SessionOptions): number {
  const ramp = Math.max(1, totalMs * PACE_RAMP_SHARE);
  const progress = Math.min(1, Math.max(0, offsetMs / ramp));
  return options.startBpm + (options.endBpm - options.startBpm) * progress;
}

interface BreathShape {
  inhaleMs: number;
  holdMs: number;
  exhaleMs: number;
}

function breathShape(bpm: number, holdMs: number): BreathShape {
  const cycle = 60_000 / bpm;
  const moving = Math.max(2 * MIN_PHASE_MS, cycle - holdMs);
  const inhaleMs = Math.max(MIN_PHASE_MS, roundTo100(moving * INHALE_SHARE));
  const exhaleMs = Math.max(MIN_PHASE_MS, roundTo100(moving - inhaleMs));
  return { inhaleMs, holdMs: holdMs > 0 ? Math.max(MIN_PHASE_MS, roundTo100(holdMs)) : 0, exhaleMs };
}

const breathLength = (shape: BreathShape) => shape.inhaleMs + shape.holdMs + shape.exhaleMs;

/** Builds the timeline; keeps the running offset and breath count in one place. */
class Timeline {
  readonly segments: Segment[] = [];
  offset = 0;
  breaths = 0;
  /** Where the last spoken words end: the silence since then is what a voice-only listener hears. */
  voiceEnd = 0;
  /** The segment where the voice turns soft, once a line has said so. */
  softFrom: number | null = null;

  constructor(private readonly rate: number) {}

  speak(text: string): void {
    this.push({ kind: 'speech', text, startMs: this.offset, durationMs: estimateSpeechMs(text, this.rate) });
    this.voiceEnd = this.offset;
  }

  pause(ms: number): void {
    const durationMs = roundTo100(ms);
    if (durationMs > 0) this.push({ kind: 'pause', startMs: this.offset, durationMs });
  }

  phase(phase: BreathSegment['phase'], ms: number, cue: string | null, effort: BreathSegment['effort']): void {
    const cueMs = cue === null ? 0 : estimateSpeechMs(cue, this.rate);
    if (effort !== null) {
      // A muscle cue says what to do, and people start as it is said; the silence after it is the
      // hold itself, so it never drops below the 3 seconds of tension the technique asks for.
      const durationMs = roundTo100(cueMs + Math.max(MIN_EFFORT_HOLD_MS, ms - cueMs));
      if (cue !== null) this.voiceEnd = this.offset + cueMs;
      this.push({ kind: 'breath', phase, cue, effort, breath: this.breaths, startMs: this.offset, durationMs });
      return;
    }
    // A paced-breathing cue that would leave no silence is dropped, so the pace stays as planned.
    const fits = cue !== null && cueMs + CUE_TAIL_MS <= ms;
    if (fits) this.voiceEnd = this.offset + cueMs;
    this.push({ kind: 'breath', phase, cue: fits ? cue : null, effort, breath: this.breaths, startMs: this.offset, durationMs: roundTo100(ms) });
  }

  breath(shape: BreathShape, cues: (typeof CUES)[keyof typeof CUES]): void {
    this.phase('inhale', shape.inhaleMs, cues.inhale, null);
    if (shape.holdMs > 0) this.phase('hold', shape.holdMs, cues.hold, null);
    this.phase('exhale', shape.exhaleMs, cues.exhale, null);
    this.breaths += 1;
  }

  private push(segment: Segment): void {
    this.segments.push(segment);
    this.offset += segment.durationMs;
  }
}

type Cues = (typeof CUES)[keyof typeof CUES];

function cuesFor(step: Extract<Step, { type: 'breathe' }>, index: number, options: SessionOptions): Cues {
  const written = step.cues !== undefined ? CUES[step.cues] : index < FULL_CUE_BREATHS ? CUES.full : CUES.short;
  return written === CUES.short && options.sparseness >= 2 ? CUES.inhale : written;
}

/** In a voice-only session, the longest quiet before a soft cue (well inside the minute nobody is left alone for). */
export const VOICE_ONLY_MAX_QUIET_MS = 45_000;
/** Once the pace has settled, the quiet between cues grows by this much each time, up to the maximum. */
const THINNING_STEP_MS = 6_000;

/** Whether this step is said with this introduction (steps without one are said with either). */
function inIntro(step: Step, options: SessionOptions): boolean {
  return (step.type !== 'speak' && step.type !== 'pause') || step.intro === undefined || step.intro === options.introduction;
}

/** The words a speak step says in this session, or null when it says nothing here. */
function spokenText(step: Extract<Step, { type: 'speak' }>, options: SessionOptions): string | null {
  if (!inIntro(step, options)) return null;
  return options.voiceOnly && step.withoutLights !== undefined ? step.withoutLights : step.text;
}

/**
 * For a voice-only listener the voice carries what the lights would have: in a block the lights carry
 * alone (`cues: "none"`), paced breathing is cued on every breath while the pace is still slowing, all
 * the way down to its slowest (after the closing words too), then the cues thin out gently as it
 * settles, to silence once the closing words are said; every other practice (and a block marked
 * `withoutLights: "quiet"`) keeps its silences, broken by one soft cue before any would pass
 * `VOICE_ONLY_MAX_QUIET_MS` (until the closing words, after which the silence is the point).
 */
class PaceKeeper {
  private goalMs = 0;

  constructor(private readonly script: Script, private readonly options: SessionOptions) {}

  cues(timeline: Timeline, step: Extract<Step, { type: 'breathe' }>, shape: BreathShape, bpm: number, afterClosing: boolean): Cues {
    const quietBefore = timeline.offset - timeline.voiceEnd;
    const tooQuiet = !afterClosing && quietBefore + breathLength(shape) > VOICE_ONLY_MAX_QUIET_MS;
    const keepsPace = (step.withoutLights ?? (this.script.technique === 'breathing' ? 'pace' : 'quiet')) === 'pace';
    if (!keepsPace) return tooQuiet ? CUES.short : CUES.none;
    const sparse = this.options.sparseness;
    const fixedPace = step.bpm !== undefined;
    const settled = fixedPace || Math.abs(bpm - this.options.endBpm) < 0.05;
    if (!settled) {
      // The sparsest plans cue every other breath on the way down: still the pace, half the words.
      if (sparse >= 3 && timeline.breaths % 2 === 1) return CUES.none;
      return sparse >= 1 ? CUES.inhale : CUES.short;
    }
    const longest = VOICE_ONLY_MAX_QUIET_MS - breathLength(shape);
    if (afterClosing && this.goalMs >= longest) return CUES.none;
    if (!tooQuiet && quietBefore < this.goalMs) return CUES.none;
    this.goalMs = Math.min(longest, this.goalMs + THINNING_STEP_MS);
    return sparse >= 1 ? CUES.inhale : CUES.short;
  }
}

/** Time the fixed parts of a script take (everything but fill blocks), at the given options. */
function fixedLength(script: Script, options: SessionOptions, totalMs: number): number {
  const probe = layOut(script, options, totalMs, new Map());
  return probe.fixedMs;
}

interface Layout {
  timeline: Timeline;
  fixedMs: number;
}

/**
 * Lays the script out. `fillBudget` maps a fill block's step index to the ms it may use; blocks
 * missing from it get none (that is how the fixed length is measured).
 */
function layOut(script: Script, options: SessionOptions, totalMs: number, fillBudget: Map<number, number>): Layout {
  const timeline = new Timeline(options.ratePercent);
  let fixedMs = 0;
  let carried = 0;
  let lastFillEnd: number | null = null;
  // The closing words: after them a sleep session may rest in silence, whoever is listening.
  const closingIndex = script.steps.findLastIndex((step) => step.type === 'speak' && spokenText(step, options) !== null);
  const keeper = options.voiceOnly ? new PaceKeeper(script, options) : null;
  script.steps.forEach((step, index) => {
    if (!inIntro(step, options)) return;
    const before = timeline.offset;
    switch (step.type) {
      case 'speak': {
        const text = spokenText(step, options);
        if (text === null) break;
        if (step.softer === true) timeline.softFrom ??= timeline.segments.length;
        timeline.speak(text);
        break;
      }
      case 'pause':
        timeline.pause(step.ms);
        break;
      case 'tense':
        timeline.phase('inhale', step.ms, step.cue, 'tense');
        break;
      case 'release':
        timeline.phase('exhale', step.ms, step.cue, 'release');
        timeline.breaths += 1;
        break;
      case 'breathe': {
        const bpmAt = () => step.bpm ?? paceAt(timeline.offset, totalMs, options);
        const shapeAt = () => breathShape(bpmAt(), step.holdMs ?? 0);
        const cues = (shape: BreathShape, n: number) => {
          const written = cuesFor(step, n, options);
          return keeper !== null && written === CUES.none ? keeper.cues(timeline, step, shape, bpmAt(), index > closingIndex) : written;
        };
        if (step.cycles === 'fill') {
          const budget = (fillBudget.get(index) ?? 0) + carried;
          const start = timeline.offset;
          let n = 0;
          for (let shape = shapeAt(); timeline.offset - start + breathLength(shape) <= budget; shape = shapeAt()) {
            timeline.breath(shape, cues(shape, n));
            n += 1;
          }
          carried = budget - (timeline.offset - start);
          lastFillEnd = timeline.segments.length;
          return; // fill time is not fixed time
        }
        for (let n = 0; n < step.cycles; n += 1) {
          const shape = shapeAt();
          timeline.breath(shape, cues(shape, n));
        }
        break;
      }
    }
    fixedMs += timeline.offset - before;
  });
  // What no whole breath could use becomes a rest right after the last fill block.
  if (carried >= 100 && lastFillEnd !== null) insertRest(timeline, lastFillEnd, roundTo100(carried));
  return { timeline, fixedMs };
}

function insertRest(timeline: Timeline, at: number, ms: number): void {
  const startMs = at === 0 ? 0 : (timeline.segments[at - 1]!.startMs + timeline.segments[at - 1]!.durationMs);
  timeline.segments.splice(at, 0, { kind: 'pause', startMs, durationMs: ms });
  if (timeline.softFrom !== null && timeline.softFrom >= at) timeline.softFrom += 1;
  for (let i = at + 1; i < timeline.segments.length; i += 1) timeline.segments[i]!.startMs += ms;
  timeline.offset += ms;
}

export function compilePlan(script: Script, partial: Partial<SessionOptions> = {}): SessionPlan {
  const options = resolveOptions(partial, script);
  const targetMs = Math.round(options.minutes * 60_000);
  const fillSteps = script.steps
    .map((step, index) => ({ step, index }))
    .filter((s): s is { step: Extract<Step, { type: 'breathe' }>; index: number } => s.step.type === 'breathe' && s.step.cycles === 'fill');

  // Counted breaths follow the pace, which depends on where they fall; two passes settle it.
  let fixedMs = fixedLength(script, options, targetMs);
  const available = targetMs - fixedMs;
  if (fillSteps.length === 0 || available < 0) {
    const { timeline } = layOut(script, options, targetMs, new Map());
    const plan = toPlan(script, options, timeline);
    if (Math.abs(plan.totalMs - targetMs) > targetMs * 0.05) {
      throw new PlanError(
        `"${script.id}" runs ${(plan.totalMs / 60_000).toFixed(1)} minutes and cannot be fitted to ${options.minutes}`,
      );
    }
    return plan;
  }
  const totalWeight = fillSteps.reduce((sum, s) => sum + (s.step.weight ?? 1), 0);
  const budget = new Map<number, number>();
  for (const { step, index } of fillSteps) budget.set(index, (available * (step.weight ?? 1)) / totalWeight);
  let { timeline } = layOut(script, options, targetMs, budget);
  // The fixed parts after a fill block may land at a different pace than first measured; correct once.
  const drift = targetMs - timeline.offset;
  if (drift !== 0) {
    fixedMs -= drift;
    const scale = (targetMs - fixedMs) / available;
    for (const [index, ms] of budget) budget.set(index, Math.max(0, ms * scale));
    ({ timeline } = layOut(script, options, targetMs, budget));
  }
  return toPlan(script, options, timeline);
}

/**
 * Where the voice turns soft: from the start in a dark room; in a session that ends in sleep, from the
 * line that says so, or else from its closing words; never in one that ends awake.
 */
function softFrom(script: Script, room: SessionPlan['room'], timeline: Timeline): number | null {
  if (room === 'dark') return 0;
  if (script.ending !== 'sleep') return null;
  const marked = timeline.softFrom === null ? undefined : timeline.segments[timeline.softFrom];
  return (marked ?? timeline.segments.findLast((s) => s.kind === 'speech'))?.startMs ?? null;
}

function toPlan(script: Script, options: SessionOptions, timeline: Timeline): SessionPlan {
  const room = options.room ?? script.room ?? 'breathe';
  return {
    scriptId: script.id,
    title: script.title,
    technique: script.technique,
    ending: script.ending,
    room,
    options,
    softFromMs: softFrom(script, room, timeline),
    totalMs: timeline.offset,
    segments: timeline.segments,
  };
}

/**
 * The least sparse attempt that fits: a session that ends in sleep must play to its end from one
 * response, so its cues are thinned (`SessionOptions.sparseness`) only as far as that needs. When even
 * the sparsest does not fit, that one is returned and the caller decides (the renderer then splits it).
 */
export function leastSparse<T>(attempt: (sparseness: number) => T, fits: (result: T) => boolean): T {
  let result = attempt(0);
  for (let sparseness = 1; !fits(result) && sparseness <= MAX_SPARSENESS; sparseness += 1) result = attempt(sparseness);
  return result;
}
