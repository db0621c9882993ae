/** Checks shared by the engine's example tests and its property tests. */
import { check } from 'ssml-check-core';
import { MIN_PHASE_MS } from '../../src/engine/compile';
import { MAX_BRI_PER_SECOND } from '../../src/engine/choreography';
import { estimateSpeechMs } from '../../src/engine/speech-model';
import type { Choreography } from '../../src/protocol/messages';
import type { BreathSegment, SessionPlan, SsmlPart } from '../../src/engine/types';

export const ALEXA_MAX_SSML = 8_000;

/** Every problem with one SSML part, as readable strings (empty when it is fine). */
export async function ssmlProblems(part: SsmlPart): Promise<string[]> {
  const problems: string[] = [];
  if (part.ssml.length >= ALEXA_MAX_SSML) problems.push(`part ${part.index} is ${part.ssml.length} characters`);
  if (!part.ssml.startsWith('<speak>') || !part.ssml.endsWith('</speak>')) problems.push('not wrapped in <speak>');
  for (const match of part.ssml.matchAll(/<break time="(\d+)(ms|s)"\/>/g)) {
    const ms = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
    if (ms > 10_000 || ms <= 0) problems.push(`break of ${ms} ms`);
  }
  if (/<break time="\d+\.\d+s"/.test(part.ssml)) problems.push('fractional-second break');
  const errors = await check(part.ssml, { platform: 'amazon' });
  if (errors) problems.push(...errors.map((e) => JSON.stringify(e)));
  return problems;
}

/** Total silence the SSML asks for, from its break tags. */
export function ssmlSilenceMs(ssml: string): number {
  let total = 0;
  for (const match of ssml.matchAll(/<break time="(\d+)(ms|s)"\/>/g)) total += Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  return total;
}

/** The silence a range of a plan should produce: pauses, and breath phases less their spoken cue. */
export function planSilenceMs(plan: SessionPlan, fromMs: number, untilMs: number): number {
  let total = 0;
  for (const s of plan.segments) {
    if (s.startMs < fromMs || s.startMs >= untilMs) continue;
    if (s.kind === 'pause') total += s.durationMs;
    if (s.kind === 'breath') total += s.durationMs - (s.cue === null ? 0 : Math.min(s.durationMs, estimateSpeechMs(s.cue, plan.options.ratePercent)));
  }
  return total;
}

export function planProblems(plan: SessionPlan): string[] {
  const problems: string[] = [];
  let expected = 0;
  for (const [i, s] of plan.segments.entries()) {
    if (s.startMs !== expected) problems.push(`segment ${i} starts at ${s.startMs}, expected ${expected}`);
    if (s.startMs % 100 !== 0 || s.durationMs % 100 !== 0) problems.push(`segment ${i} is not in 100 ms units`);
    if (s.durationMs <= 0) problems.push(`segment ${i} has no length`);
    if (s.kind === 'breath' && s.durationMs < MIN_PHASE_MS) problems.push(`breath phase ${i} is ${s.durationMs} ms`);
    expected = s.startMs + s.durationMs;
  }
  if (expected !== plan.totalMs) problems.push(`segments end at ${expected}, plan says ${plan.totalMs}`);
  return problems;
}

/** Hue's limits and our gentleness rules, as readable strings. */
export function choreographyProblems(plan: SessionPlan, lights: Choreography): string[] {
  const problems: string[] = [];
  const breaths = plan.segments.filter((s): s is BreathSegment => s.kind === 'breath');
  const byStart = new Map(lights.steps.map((step) => [step[0], step]));
  for (const b of breaths) {
    const step = byStart.get(b.startMs);
    if (!step) problems.push(`no light step for the ${b.phase} at ${b.startMs}`);
    else if (step[2] !== b.durationMs) problems.push(`step at ${b.startMs} lasts ${step[2]}, the ${b.phase} ${b.durationMs}`);
  }
  // Each step names what the plan has where it starts: the breath phase (a tensed or released muscle
  // group for muscle relaxation), or a drift over a spoken passage or a rest.
  const segmentAt = new Map(plan.segments.map((s) => [s.startMs, s]));
  for (const [at, , , phase] of lights.steps) {
    const s = segmentAt.get(at);
    const planned = s?.kind !== 'breath' ? 'drift' : s.effort === 'tense' ? 'tense' : s.effort === 'release' ? 'release' : s.phase;
    if (phase !== planned) problems.push(`step at ${at} says ${phase}, the plan has ${planned}`);
  }
  let previous: Choreography['steps'][number] | undefined;
  let level: number | undefined;
  for (const step of lights.steps) {
    const [at, bri, transition] = step;
    if (bri < 1 || bri > 254 || !Number.isInteger(bri)) problems.push(`brightness ${bri} at ${at}`);
    if (transition % 100 !== 0) problems.push(`transition ${transition} at ${at} is not in 100 ms steps`);
    if (transition < MIN_PHASE_MS) problems.push(`transition ${transition} at ${at} is abrupt`);
    if (previous && at - previous[0] < 1000) problems.push(`steps at ${previous[0]} and ${at} are under 1 s apart (group limit)`);
    if (previous && at < previous[0] + previous[2]) problems.push(`step at ${at} cuts into the previous one`);
    if (level !== undefined && (Math.abs(bri - level) * 1000) / transition > MAX_BRI_PER_SECOND + 0.5) {
      problems.push(`step at ${at} moves ${Math.abs(bri - level)} in ${transition} ms`);
    }
    previous = step;
    level = bri;
  }
  if (lights.ct < 400) problems.push(`colour temperature ${lights.ct} mired is not warm`);
  return problems;
}
