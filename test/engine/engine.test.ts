import { SCRIPTS } from '../../src/content/scripts';
import type { Script } from '../../src/content/schema';
import { choreograph, DARK_LEVELS } from '../../src/engine/choreography';
import { compilePlan, paceAt, PlanError, resolveOptions } from '../../src/engine/compile';
import { chooseScript, diffuserWith } from '../../src/engine/select';
import { CONTINUE_PROMPT, escapeText, renderSsml, renderSsmlFrom, renderSpeech, silence } from '../../src/engine/ssml';
import { estimateSpeechMs } from '../../src/engine/speech-model';
import type { BreathSegment } from '../../src/engine/types';
import { Choreography } from '../../src/protocol/messages';
import { choreographyProblems, planProblems, planSilenceMs, ssmlProblems, ssmlSilenceMs } from './support';

const everyLength = SCRIPTS.flatMap((script) => script.minutes.map((minutes) => [script.id, minutes, script] as const));

describe.each(everyLength)('%s at %d minutes', (_id, minutes, script) => {
  const plan = compilePlan(script, { minutes });
  const parts = renderSsml(plan, { lead: 'Welcome to Wind Down.' });
  const lights = choreograph(plan);

  it('is one contiguous timeline within 5 % of the requested length', () => {
    expect(planProblems(plan)).toEqual([]);
    expect(Math.abs(plan.totalMs - minutes * 60_000)).toBeLessThanOrEqual(minutes * 60_000 * 0.05);
  });

  it('speaks as valid Alexa SSML in as few parts as fit, each knowing where it starts', async () => {
    for (const part of parts) expect(await ssmlProblems(part)).toEqual([]);
    expect(parts[0]!.fromMs).toBe(0);
    expect(parts.at(-1)!.untilMs).toBe(plan.totalMs);
    for (const [i, part] of parts.entries()) {
      if (i > 0) expect(part.fromMs).toBe(parts[i - 1]!.untilMs);
      expect(part.final).toBe(i === parts.length - 1);
      expect(part.ssml.includes(escapeText(CONTINUE_PROMPT))).toBe(!part.final);
    }
    // Packing: no two neighbouring parts could have been one.
    const total = parts.reduce((sum, p) => sum + p.ssml.length, 0);
    expect(parts.length).toBeLessThanOrEqual(Math.ceil(total / 7_000));
  });

  it('renders the same silences into speech and light: every break in the SSML is in the plan', () => {
    const leadGap = 700;
    for (const part of parts) {
      const continueGap = part.final ? 0 : 1000;
      expect(ssmlSilenceMs(part.ssml)).toBe(planSilenceMs(plan, part.fromMs, part.untilMs) + continueGap + (part.index === 0 ? leadGap : 0));
    }
  });

  it('gives every breath phase one light command at its start, lasting the phase, within Hue limits', () => {
    expect(Choreography.safeParse(lights).success).toBe(true);
    expect(choreographyProblems(plan, lights)).toEqual([]);
    expect(lights.end).toBe(script.ending === 'sleep' ? 'fade-off' : 'restore');
  });
});

describe('breathing pace', () => {
  const breathing = SCRIPTS.find((s) => s.id === 'paced-breathing')!;
  const plan = compilePlan(breathing, { minutes: 20 });
  const breaths = new Map<number, number>();
  for (const s of plan.segments) if (s.kind === 'breath') breaths.set(s.breath, (breaths.get(s.breath) ?? 0) + s.durationMs);
  const lengths = [...breaths.values()];

  it('starts near 10 breaths a minute and slows towards 6', () => {
    expect(60_000 / lengths[0]!).toBeGreaterThan(8.5);
    expect(60_000 / lengths.at(-1)!).toBeCloseTo(6, 0);
    expect(paceAt(0, 1000, resolveOptions())).toBe(10);
  });

  it('breathes out for longer than it breathes in', () => {
    const phases = plan.segments.filter((s): s is BreathSegment => s.kind === 'breath');
    for (let i = 0; i + 1 < phases.length; i += 1) {
      const [a, b] = [phases[i]!, phases[i + 1]!];
      if (a.phase === 'inhale' && b.phase === 'exhale' && a.breath === b.breath) expect(b.durationMs).toBeGreaterThan(a.durationMs);
    }
  });

  it('honours a configured pace', () => {
    const slow = compilePlan(breathing, { minutes: 10, startBpm: 6, endBpm: 6 });
    const first = slow.segments.find((s): s is BreathSegment => s.kind === 'breath')!;
    expect(first.durationMs).toBe(4000); // 10 s breath, 40 % in
  });
});

describe('muscle relaxation', () => {
  it('tenses on the inhale and releases on the exhale, 3 to 7 seconds of tension', () => {
    const pmr = SCRIPTS.find((s) => s.technique === 'pmr')!;
    const plan = compilePlan(pmr);
    const tense = plan.segments.filter((s): s is BreathSegment => s.kind === 'breath' && s.effort === 'tense');
    expect(tense.length).toBeGreaterThanOrEqual(5);
    for (const t of tense) {
      expect(t.phase).toBe('inhale');
      expect(t.cue).not.toBeNull();
      // The hold is the silence after the cue: at least the 3 seconds the technique asks for.
      expect(t.durationMs - estimateSpeechMs(t.cue!, plan.options.ratePercent)).toBeGreaterThanOrEqual(3000);
      const next = plan.segments[plan.segments.indexOf(t) + 1] as BreathSegment;
      expect(next).toMatchObject({ kind: 'breath', phase: 'exhale', effort: 'release' });
    }
  });
});

describe('the six-breath short form', () => {
  it('is six ten-second breaths', () => {
    const six = SCRIPTS.find((s) => s.id === 'six-breaths')!;
    const plan = compilePlan(six);
    const counted = new Map<number, number>();
    for (const s of plan.segments) if (s.kind === 'breath') counted.set(s.breath, (counted.get(s.breath) ?? 0) + s.durationMs);
    expect([...counted.values()].filter((ms) => ms === 10_000).length).toBeGreaterThanOrEqual(6);
  });
});

describe('a dark room, for the middle of the night', () => {
  const night = SCRIPTS.find((s) => s.room === 'dark')!;

  it.each(night.minutes)('keeps every lamp step at the dimmest, warmest level and never brightens (%d minutes)', (minutes) => {
    const plan = compilePlan(night, { minutes });
    expect(plan.room).toBe('dark');
    const lights = choreograph(plan);
    expect(choreographyProblems(plan, lights)).toEqual([]);
    expect(lights.steps.length).toBeGreaterThan(0);
    expect(new Set(lights.steps.map(([, bri]) => bri))).toEqual(new Set([1]));
    expect(lights.ct).toBe(DARK_LEVELS.ct);
    expect(lights.end).toBe('fade-off');
  });

  it('overrides brighter levels a caller passes, and leaves every other script breathing', () => {
    const plan = compilePlan(night);
    expect(choreograph(plan, { peakStart: 200, peakEnd: 150, troughStart: 100, troughEnd: 50, ct: 400 }).steps.every(([, bri]) => bri === 1)).toBe(true);
    const breathing = compilePlan(SCRIPTS.find((s) => s.id === 'paced-breathing')!);
    expect(breathing.room).toBe('breathe');
    expect(Math.max(...choreograph(breathing).steps.map(([, bri]) => bri))).toBeGreaterThan(50);
  });

  it('brings the diffuser only with a session that ends in sleep in a breathing room', () => {
    expect(diffuserWith(night)).toBe(false);
    expect(diffuserWith(SCRIPTS.find((s) => s.id === 'paced-breathing')!)).toBe(true);
    expect(diffuserWith(SCRIPTS.find((s) => s.id === 'six-breaths')!)).toBe(false);
    expect(diffuserWith({ ending: 'sleep' })).toBe(true);
    expect(diffuserWith({ ending: 'sleep', room: 'dark' })).toBe(false);
  });
});

describe('SSML rendering', () => {
  const tiny: Script = {
    id: 'tiny',
    title: 'Tiny',
    technique: 'breathing',
    summary: 'A test.',
    minutes: [2],
    ending: 'awake',
    steps: [
      { type: 'speak', text: 'Rest & breathe <slowly>, "gently".' },
      { type: 'pause', ms: 25_500 },
      { type: 'breathe', cycles: 'fill' },
    ],
  };

  it('escapes text and writes long silences as breaks of at most 10 s', () => {
    const [part] = renderSsml(compilePlan(tiny));
    expect(part!.ssml).toContain('Rest &amp; breathe &lt;slowly&gt;, &quot;gently&quot;.');
    expect(part!.ssml).toContain('<break time="5500ms"/><break time="10s"/><break time="10s"/>');
    expect(silence(30_000)).toBe('<break time="10s"/>'.repeat(3));
  });

  it('splits a long session into parts that continue where the last one stopped', async () => {
    const plan = compilePlan(SCRIPTS.find((s) => s.id === 'paced-breathing')!, { minutes: 30 });
    const parts = renderSsml(plan, { maxChars: 3000 });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.ssml.length).toBeLessThan(3000);
      expect(await ssmlProblems(part)).toEqual([]);
      // Parts begin with a breath or a passage, never half-way through a breath.
      const first = plan.segments.find((s) => s.startMs === part.fromMs)!;
      expect(first.kind !== 'breath' || first.phase === 'inhale').toBe(true);
    }
  });

  it('resumes from the breath that contains an offset', () => {
    const plan = compilePlan(SCRIPTS.find((s) => s.id === 'paced-breathing')!, { minutes: 10 });
    const exhale = plan.segments.find((s) => s.kind === 'breath' && s.phase === 'exhale' && s.startMs > 120_000)!;
    const [part] = renderSsmlFrom(plan, exhale.startMs + 500, { lead: "Let's go on." });
    const start = plan.segments.find((s) => s.startMs === part!.fromMs) as BreathSegment;
    expect(start).toMatchObject({ kind: 'breath', phase: 'inhale', breath: (exhale as BreathSegment).breath });
    expect(part!.leadMs).toBe(estimateSpeechMs("Let's go on.", 90) + 700);
    expect(renderSsmlFrom(plan, plan.totalMs)).toEqual([]);
  });

  it('speaks plain replies in the same voice', () => {
    expect(renderSpeech("It's 10 & calm", 90)).toBe('<speak><prosody rate="90%">It&apos;s 10 &amp; calm</prosody></speak>');
  });
});

describe('options and choice', () => {
  it('rejects options outside what is calm and possible, naming each', () => {
    expect(() => resolveOptions({ minutes: 0, startBpm: 40, ratePercent: 10 })).toThrow(/minutes.*startBpm.*ratePercent/);
  });

  it('will not squeeze a script below its fixed length', () => {
    const pmr = SCRIPTS.find((s) => s.id === 'pmr-full')!;
    expect(() => compilePlan(pmr, { minutes: 2 })).toThrow(PlanError);
  });

  it('chooses the technique asked for, at the length asked for when the script can stretch to it', () => {
    expect(chooseScript(SCRIPTS, undefined, undefined).script.id).toBe('paced-breathing');
    expect(chooseScript(SCRIPTS, 'breathing', 7)).toMatchObject({ minutes: 7 });
    expect(chooseScript(SCRIPTS, 'pmr', 5).script.id).toBe('pmr-short');
    expect(chooseScript(SCRIPTS, 'pmr', undefined).script.id).toBe('pmr-full');
    expect(chooseScript(SCRIPTS, 'body-scan', 45)).toMatchObject({ minutes: Math.max(...SCRIPTS.find((s) => s.id === 'body-scan')!.minutes) });
  });
});

describe('speech model', () => {
  it('estimates about 140 words a minute at the calm rate, with pauses at sentence ends', () => {
    const sixty = Array.from({ length: 60 }, () => 'word').join(' ');
    expect(estimateSpeechMs(sixty, 100)).toBe(23_300);
    expect(estimateSpeechMs(`${sixty}.`, 90)).toBeGreaterThan(estimateSpeechMs(sixty, 90));
    expect(estimateSpeechMs('', 90)).toBe(0);
    expect(() => estimateSpeechMs('hi', 10)).toThrow(RangeError);
  });
});
