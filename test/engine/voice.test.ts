/**
 * The two ways a plan can be shaped for its listener: the short introduction a returning listener
 * hears (the first breath within seconds), and the voice-only rendering for a home whose lamps do not
 * breathe (the voice keeps the pace down to its slowest, then thins out, and never leaves a minute of
 * silence before the closing words). Lights and voice still come from the one plan.
 */
import { SCRIPTS } from '../../src/content/scripts';
import { choreograph } from '../../src/engine/choreography';
import { compilePlan, PACE_RAMP_SHARE, PlanError, VOICE_ONLY_MAX_QUIET_MS } from '../../src/engine/compile';
import { renderSsml } from '../../src/engine/ssml';
import { estimateSpeechMs } from '../../src/engine/speech-model';
import type { BreathSegment, SessionPlan } from '../../src/engine/types';
import { choreographyProblems, planProblems, ssmlProblems } from './support';

const everyLength = SCRIPTS.flatMap((script) => script.minutes.map((minutes) => [script.id, minutes, script] as const));

/** Quiet stretches of a plan: [start, end] in ms, between the end of one spoken thing and the start of the next. */
export function quietStretches(plan: SessionPlan): [number, number][] {
  const stretches: [number, number][] = [];
  let voiceEnd = 0;
  for (const s of plan.segments) {
    const spokenMs = s.kind === 'speech' ? s.durationMs : s.kind === 'breath' && s.cue !== null ? estimateSpeechMs(s.cue, plan.options.ratePercent) : 0;
    if (spokenMs === 0) continue;
    if (s.startMs > voiceEnd) stretches.push([voiceEnd, s.startMs]);
    voiceEnd = s.startMs + spokenMs;
  }
  return stretches;
}

/** Where the closing words start: the last spoken passage. */
function closingAt(plan: SessionPlan): number {
  return plan.segments.findLast((s) => s.kind === 'speech')!.startMs;
}

const breaths = (plan: SessionPlan) => plan.segments.filter((s): s is BreathSegment => s.kind === 'breath');
const firstCueAt = (plan: SessionPlan) => breaths(plan).find((b) => b.phase === 'inhale' && b.cue !== null)?.startMs;

describe('introductions', () => {
  const paced = SCRIPTS.find((s) => s.id === 'paced-breathing')!;

  it('a returning listener hears the first breath cue within seconds; the first time, the full instructions', () => {
    const full = compilePlan(paced, { minutes: 10 });
    const short = compilePlan(paced, { minutes: 10, introduction: 'short' });
    expect(full.options.introduction).toBe('full');
    expect(firstCueAt(full)).toBeGreaterThan(40_000);
    // 15 s from the voice starting leaves room for a short welcome before the plan.
    expect(firstCueAt(short)).toBeLessThanOrEqual(8_000);
    expect(short.segments[0]).toMatchObject({ kind: 'speech' });
    expect(JSON.stringify(short.segments)).not.toContain('diaphragm');
    expect(JSON.stringify(full.segments)).toContain('diaphragm');
    // Still as long as asked: the time the instructions took goes to breathing.
    expect(Math.abs(short.totalMs - 600_000)).toBeLessThanOrEqual(30_000);
    expect(breaths(short).length).toBeGreaterThan(breaths(full).length);
  });

  it('the lamps start on the first breath with the voice: lights come from the same plan', () => {
    const short = compilePlan(paced, { minutes: 10, introduction: 'short' });
    const lights = choreograph(short);
    expect(choreographyProblems(short, lights)).toEqual([]);
    const firstInhale = breaths(short).find((b) => b.phase === 'inhale')!;
    expect(lights.steps.find(([at]) => at === firstInhale.startMs)?.[2]).toBe(firstInhale.durationMs);
  });

  it('rejects an introduction it does not know', () => {
    expect(() => compilePlan(paced, { introduction: 'medium' as 'full' })).toThrow(PlanError);
  });
});

describe.each(everyLength)('%s at %d minutes, voice only', (_id, minutes, script) => {
  const lit = compilePlan(script, { minutes });
  const plan = compilePlan(script, { minutes, voiceOnly: true });

  it('is a whole plan of the asked length, rendered as valid SSML', async () => {
    expect(planProblems(plan)).toEqual([]);
    expect(Math.abs(plan.totalMs - minutes * 60_000)).toBeLessThanOrEqual(minutes * 60_000 * 0.05);
    for (const part of renderSsml(plan, { lead: 'Welcome back.' })) expect(await ssmlProblems(part)).toEqual([]);
    expect(choreographyProblems(plan, choreograph(plan))).toEqual([]);
  });

  it('leaves no silence over a minute before the closing words', () => {
    const closing = closingAt(plan);
    const long = quietStretches(plan).filter(([from, to]) => to <= closing && to - from > 60_000);
    expect(long).toEqual([]);
    for (const [from, to] of quietStretches(plan)) if (to <= closing) expect(to - from).toBeLessThanOrEqual(VOICE_ONLY_MAX_QUIET_MS);
  });

  it('never mentions lights', () => {
    const said = plan.segments.map((s) => (s.kind === 'speech' ? s.text : s.kind === 'breath' ? (s.cue ?? '') : '')).join(' ');
    expect(said).not.toMatch(/\blights?\b/i);
  });

  it('with lamps, keeps the light-led shape the voice steps back from', () => {
    expect(lit.options.voiceOnly).toBe(false);
    const cued = (p: SessionPlan) => breaths(p).filter((b) => b.cue !== null).length;
    expect(cued(plan)).toBeGreaterThanOrEqual(cued(lit));
  });
});

describe('paced breathing without lamps', () => {
  const paced = SCRIPTS.find((s) => s.id === 'paced-breathing')!;

  it.each([5, 10, 20, 30])('%d minutes: cues follow the pace down to its slowest, then thin out gently', (minutes) => {
    const plan = compilePlan(paced, { minutes, voiceOnly: true, introduction: 'short' });
    const closing = closingAt(plan);
    const inhales = breaths(plan).filter((b) => b.phase === 'inhale' && b.startMs < closing);
    const bpmOf = (b: BreathSegment) => 60_000 / breaths(plan).filter((x) => x.breath === b.breath).reduce((sum, x) => sum + x.durationMs, 0);
    // Every breath on the way down is cued, down to the slowest pace.
    const rampEnd = plan.totalMs * PACE_RAMP_SHARE;
    const slowing = inhales.filter((b) => b.startMs < rampEnd);
    expect(slowing.length).toBeGreaterThan(10);
    expect(slowing.every((b) => b.cue !== null)).toBe(true);
    const slowestCued = Math.min(...inhales.filter((b) => b.cue !== null).map(bpmOf));
    expect(slowestCued).toBeLessThanOrEqual(plan.options.endBpm + 0.25);
    // Then the cues thin: the gaps between cued breaths grow and never shrink back.
    const cuedAt = inhales.filter((b) => b.startMs >= rampEnd && b.cue !== null).map((b) => b.breath);
    const gaps = cuedAt.slice(1).map((b, i) => b - cuedAt[i]!);
    for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    if (minutes >= 30) expect(gaps.some((g) => g > 1)).toBe(true);
  });

  it('a light-led plan goes quiet where the voice-only one keeps counting', () => {
    const lit = compilePlan(paced, { minutes: 30 });
    const closing = closingAt(lit);
    expect(Math.max(...quietStretches(lit).filter(([, to]) => to <= closing).map(([from, to]) => to - from))).toBeGreaterThan(5 * 60_000);
  });
});

describe('a rest at the listener\'s own pace', () => {
  it('stays quiet without lamps too, when the script says so', () => {
    const six = SCRIPTS.find((s) => s.id === 'six-breaths')!;
    const plan = compilePlan(six, { voiceOnly: true });
    const restStart = plan.segments.find((s) => s.kind === 'speech' && s.text.startsWith("That's six"))!;
    const rest = breaths(plan).filter((b) => b.startMs > restStart.startMs);
    expect(rest.length).toBeGreaterThan(1);
    expect(rest.every((b) => b.cue === null)).toBe(true);
  });
});
