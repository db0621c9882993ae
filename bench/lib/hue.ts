/**
 * Reading what a Hue emulator was told: which breath step each command carried out and how late it
 * left, how many commands went out in any one second, and how far apart the lamps got one step.
 */
import type { HueCommand } from '../../local/simulators/hue-emulator';
import type { LightStep } from '../../src/protocol/messages';

/**
 * A command may reach Hue a little before its deadline (the bridge hands it over early by its
 * measured latency); one arriving this much early still belongs to that step. Steps are at least a
 * second apart, so this cannot pick the wrong one.
 */
export const EARLY_TOLERANCE_MS = 100;

export interface StepTiming {
  /** Step index in the session. */
  step: number;
  deadline: number;
  /** Receive time of each command that carried the step (one for a group, one per light otherwise). */
  arrivals: number[];
}

export interface Matched {
  steps: StepTiming[];
  /**
   * |arrival − deadline| of every command after the session's first step, ms. The first step is
   * apart: before it the bridge connects to Hue and reads the lamps' state to restore them later.
   */
  errors: number[];
  /** Per step after the first: |the last command's arrival − the deadline| (until every lamp had it), ms. */
  lastLamp: number[];
  /** The first step: its last command's arrival − its deadline, ms (null: no step in the window). */
  firstLag: number | null;
  /** Steps due in the window that no command carried out. */
  missed: number;
  /** Commands whose brightness matches no due step. */
  unmatched: number;
}

/**
 * Matches breath-step commands to the steps of a session whose plan offset 0 is at wall time `base`
 * (startAt − fromMs). Only steps due in [from, until) count; a command belongs to the latest step due
 * at or before it with its brightness.
 */
export function matchSteps(commands: readonly HueCommand[], steps: readonly LightStep[], base: number, from: number, until: number, lampsPerStep: number): Matched {
  const timings: StepTiming[] = [];
  const byIndex = new Map<number, StepTiming>();
  let unmatched = 0;
  const deadlines = steps.map(([atMs]) => base + atMs);
  for (const command of commands) {
    const bri = command.body.bri;
    if (typeof bri !== 'number' || command.at < from || command.at >= until) continue;
    let j = upperBound(deadlines, command.at + EARLY_TOLERANCE_MS) - 1;
    while (j >= 0 && steps[j]![1] !== bri && command.at - deadlines[j]! < 60_000) j -= 1;
    if (j < 0 || steps[j]![1] !== bri) {
      unmatched += 1;
      continue;
    }
    let timing = byIndex.get(j);
    if (!timing) {
      timing = { step: j, deadline: deadlines[j]!, arrivals: [] };
      byIndex.set(j, timing);
      timings.push(timing);
    }
    timing.arrivals.push(command.at);
  }
  let missed = 0;
  for (let j = 0; j < deadlines.length; j++) {
    const d = deadlines[j]!;
    // A step due in the last half second may still be on its way when the window closes.
    if (d >= from && d < until - 500 && (byIndex.get(j)?.arrivals.length ?? 0) < lampsPerStep) missed += 1;
  }
  timings.sort((a, b) => a.step - b.step);
  const [first, ...rest] = timings;
  const errors = rest.flatMap((t) => t.arrivals.map((a) => Math.abs(a - t.deadline)));
  const lastLamp = rest.map((t) => Math.abs(Math.max(...t.arrivals) - t.deadline));
  const firstLag = first ? Math.max(...first.arrivals) - first.deadline : null;
  return { steps: timings, errors, lastLamp, firstLag, missed, unmatched };
}

/** The most commands of `kind` that arrived within any one second (a window (t − 1000, t]). */
export function peakPerSecond(commands: readonly HueCommand[], kind: HueCommand['kind']): number {
  const times = commands.filter((c) => c.kind === kind).map((c) => c.at).sort((a, b) => a - b);
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 1000) lo += 1;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
