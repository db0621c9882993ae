/**
 * The skill shapes each session for the person listening, through the real interaction model and a
 * real broker: returning listeners breathe within seconds, a home without lamps gets a voice that keeps
 * the pace, an Echo Show gets the breathing shape (and a touch stops it), and "don't use the diffuser
 * with my sessions" is kept. Timings are read from the SSML itself with the engine's speech model.
 */
import { SCRIPTS } from '../../src/content/scripts';
import { compilePlan } from '../../src/engine/compile';
import { LEAD_GAP_MS } from '../../src/engine/ssml';
import { estimateSpeechMs } from '../../src/engine/speech-model';
import type { BreathSegment, SessionPlan } from '../../src/engine/types';
import type { Command, SessionStart } from '../../src/protocol/messages';
import * as say from '../../lambda/speech';
import { bridgeSays as bridgeSaysOn, deadUrl, harness, recordingBroker, ssmlOf, textOf, type Harness, type SkillResponse } from './helpers';
import { until } from '../support/until';

const RATE = 90;
const paced = SCRIPTS.find((s) => s.id === 'paced-breathing')!;

const broker = recordingBroker();
afterEach(async () => {
  await bridgeSays(null);
});

function skill(extra: Parameters<typeof harness>[0] = {}, env: Record<string, string> = {}): Harness {
  return harness({ ...extra, env: { WINDDOWN_MQTT_URL: broker.url, ...env } });
}

/** Plays the bridge's part on the broker (null: never ran). */
const bridgeSays = (state: { lights: boolean; diffuser: boolean } | null): Promise<void> => bridgeSaysOn(broker, state);

function commands<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
  return broker.published.map((p) => p.command).filter((c): c is Extract<Command, { type: T }> => c.type === type);
}

interface Run {
  text: string;
  startMs: number;
}

/** The SSML as runs of words, each with when it starts: breaks count their length, words the speech model's estimate. */
function runsOf(ssml: string): Run[] {
  const body = ssml.replace(/^<speak><prosody rate="\d+%">/, '').replace(/<\/prosody><\/speak>$/, '').replace(/&apos;/g, "'");
  const runs: Run[] = [];
  let t = 0;
  for (const token of body.split(/(<break time="\d+m?s"\/>)/)) {
    const pause = /^<break time="(\d+)(ms|s)"\/>$/.exec(token);
    if (pause) t += Number(pause[1]) * (pause[2] === 's' ? 1000 : 1);
    else if (token.trim() !== '') {
      runs.push({ text: token.trim(), startMs: t });
      t += estimateSpeechMs(token.trim(), RATE);
    }
  }
  return runs;
}

/** When `cue` is first heard, in ms from the start of the speech. */
function firstHeard(ssml: string, cue: string): number {
  const run = runsOf(ssml).find((r) => r.text.includes(cue))!;
  const before = run.text.slice(0, run.text.indexOf(cue)).trim();
  return run.startMs + (before === '' ? 0 : estimateSpeechMs(before, RATE));
}

/** Every quiet stretch before the run that contains `closing`, in ms. */
function silencesBefore(ssml: string, closing: string): number[] {
  const runs = runsOf(ssml);
  const end = runs.findIndex((r) => r.text.includes(closing));
  return runs.slice(1, end + 1).map((r, i) => r.startMs - (runs[i]!.startMs + estimateSpeechMs(runs[i]!.text, RATE)));
}

/** When each breath-in cue ("In." or "Breathe in.") is heard. */
function inhaleCues(ssml: string): number[] {
  return runsOf(ssml)
    .filter((r) => /(^|\s)(In\.|Breathe in\.)/.test(r.text))
    .map((r) => r.startMs + (r.text.startsWith('In.') || r.text.startsWith('Breathe in.') ? 0 : estimateSpeechMs(r.text.slice(0, r.text.search(/(In\.|Breathe in\.)/)), RATE)));
}

describe('returning listeners', () => {
  it('hear the full instructions the first time, and the first breath within 15 s of the voice starting after that', async () => {
    await bridgeSays({ lights: true, diffuser: true });
    const first = skill();
    const r1 = await first.launch();
    expect(textOf(r1).startsWith(say.WELCOME)).toBe(true);
    expect(textOf(r1)).toContain('diaphragm');
    expect(firstHeard(ssmlOf(r1), 'Breathe in.')).toBeGreaterThan(40_000);

    const again = skill({ sameUserAs: first });
    const r2 = await again.launch();
    expect(textOf(r2).startsWith(say.WELCOME_BACK)).toBe(true);
    expect(textOf(r2)).not.toContain('diaphragm');
    expect(firstHeard(ssmlOf(r2), 'Breathe in.')).toBeLessThanOrEqual(15_000);
    await until(() => commands('session.start').length === 2);
    // The lamps' first inhale comes with it: the first breath step is within 15 s of the voice starting.
    const start = commands('session.start')[1]!;
    const leadMs = start.startAt - start.issuedAt - 1500;
    const plan = compilePlan(paced, { minutes: 10, introduction: 'short' });
    const firstInhale = plan.segments.find((s): s is BreathSegment => s.kind === 'breath' && s.phase === 'inhale')!;
    expect(start.lights.steps.some(([at]) => at === firstInhale.startMs)).toBe(true);
    expect(leadMs + firstInhale.startMs).toBeLessThanOrEqual(15_000);
    // With lamps, the voice still steps back: a long quiet stretch before the closing words.
    expect(Math.max(...silencesBefore(ssmlOf(r2), 'Goodnight'))).toBeGreaterThan(60_000);
  });

  it('"how do I breathe" plays the full instructions again', async () => {
    const first = skill();
    await first.launch();
    const r = await skill({ sameUserAs: first }).utter('how do I breathe');
    expect(textOf(r).startsWith(say.EXPLAIN_LEAD)).toBe(true);
    expect(textOf(r)).toContain('diaphragm');
    expect(r.response.shouldEndSession).toBe(true);
  });

  it('a session asked for by name is remembered per script', async () => {
    const first = skill();
    await first.utter('start breathing for ten minutes');
    const r = await skill({ sameUserAs: first }).utter('start breathing for ten minutes');
    expect(firstHeard(ssmlOf(r), 'Breathe in.')).toBeLessThanOrEqual(15_000);
  });
});

describe('a home without lamps that breathe', () => {
  const voiceOnlyChecks = (r: SkillResponse) => {
    const ssml = ssmlOf(r);
    // No silence over a minute before the closing words.
    const quiet = silencesBefore(ssml, 'Goodnight');
    expect(quiet.length).toBeGreaterThan(20);
    expect(Math.max(...quiet)).toBeLessThanOrEqual(60_000);
    // Cues down to the slowest pace: consecutive breaths cued at six breaths a minute (10 s each).
    const cues = inhaleCues(ssml);
    const gaps = cues.slice(1).map((t, i) => t - cues[i]!);
    expect(gaps.some((g) => Math.abs(g - 10_000) <= 300)).toBe(true);
    expect(textOf(r)).not.toMatch(/\blights?\b.*rise and fall|keep the rhythm/i);
  };

  it('with no home link, the voice keeps the pace', async () => {
    const h = harness();
    const r = await h.launch();
    voiceOnlyChecks(r);
    expect(textOf(r)).not.toMatch(/\blights?\b/i);
  });

  it('when the bridge says it has no lamps, the voice keeps the pace and says nothing of lights', async () => {
    await bridgeSays({ lights: false, diffuser: true });
    const r = await skill().launch();
    voiceOnlyChecks(r);
    expect(textOf(r)).not.toMatch(/\blights?\b/i);
    await until(() => commands('session.start').length === 1);
  });

  it('when the broker cannot be reached, the voice keeps the pace', async () => {
    const h = harness({ env: { WINDDOWN_MQTT_URL: await deadUrl() } });
    const r = await h.launch();
    expect(textOf(r).startsWith(say.LIGHTS_UNREACHABLE)).toBe(true);
    voiceOnlyChecks(r);
  });

  it('a session spoken over several parts keeps its voice-only shape when continued', async () => {
    await bridgeSays({ lights: false, diffuser: false });
    const h = skill({}, { WINDDOWN_MAX_SPEECH_CHARS: '2000' });
    let r = await h.utter('start breathing for twenty minutes');
    const parts = [r];
    while (r.response.shouldEndSession === false) {
      r = await h.utter('continue');
      parts.push(r);
      expect(parts.length).toBeLessThan(40);
    }
    await until(() => commands('session.start').length === parts.length);
    const starts = commands('session.start');
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]!.fromMs).toBe(starts[i - 1]!.untilMs);
    // No diffuser where the bridge has none.
    expect(commands('diffuser.set')).toEqual([]);
    expect(parts.map(textOf).join(' ')).not.toMatch(/\blights?\b/i);
  });
});

interface PhaseCall {
  type: string;
  d: number;
  f: number;
  t: number;
  o: number;
}
interface Directive {
  type: string;
  token?: string;
  document?: { onMount?: { type: string; delay: number; commands: PhaseCall[] }[]; commands?: Record<string, unknown> };
}

const directivesOf = (r: SkillResponse) => (r.response.directives ?? []) as unknown as Directive[];

/** The phases the document animates, with when each starts (ms from the document's mount). */
function animatedPhases(directive: Directive): { startMs: number; durationMs: number; scale: number; opacity: number }[] {
  const sequence = directive.document!.onMount![0]!;
  let t = sequence.delay;
  return sequence.commands.map((c) => {
    const phase = { startMs: t, durationMs: c.d, scale: c.t, opacity: c.o };
    t += c.d;
    return phase;
  });
}

describe('on a screen', () => {
  function withScreen(h: Harness): Harness {
    // virtual-alexa keeps the device's interfaces in this object; an Echo Show lists APL with its runtime.
    const interfaces = h.alexa.context().device().supportedInterfaces() as Record<string, unknown>;
    interfaces['Alexa.Presentation.APL'] = { runtime: { maxVersion: '2023.3' } };
    return h;
  }

  it('the breathing shape follows the plan phase by phase, grows on each inhale, shrinks on each exhale and ends in black', async () => {
    const h = withScreen(skill());
    const r = await h.launch();
    const render = directivesOf(r).filter((d) => d.type === 'Alexa.Presentation.APL.RenderDocument');
    expect(render).toHaveLength(1);
    const phases = animatedPhases(render[0]!);
    // The plan this launch played: full instructions, and voice only (no bridge has spoken on this broker).
    const plan: SessionPlan = compilePlan(paced, { minutes: 10, introduction: 'full', voiceOnly: true });
    const leadMs = estimateSpeechMs(say.WELCOME, RATE) + LEAD_GAP_MS;
    expect(Math.abs(phases[0]!.startMs - leadMs)).toBeLessThanOrEqual(100);
    const breaths = plan.segments.filter((s): s is BreathSegment => s.kind === 'breath');
    let k = 0;
    for (const b of breaths) {
      while (k < phases.length && phases[k]!.startMs < leadMs + b.startMs - 100) k += 1;
      const phase = phases[k];
      expect({ at: b.startMs, start: Math.abs((phase?.startMs ?? -1e9) - leadMs - b.startMs) <= 100, length: Math.abs((phase?.durationMs ?? -1e9) - b.durationMs) <= 100 }).toEqual({ at: b.startMs, start: true, length: true });
      const before = phases[k - 1]!;
      if (b.phase === 'inhale') expect(phase!.scale).toBeGreaterThan(before.scale);
      if (b.phase === 'exhale') expect(phase!.scale).toBeLessThan(before.scale);
    }
    // Darker toward the end, and black at the end.
    const inhales = phases.filter((p) => p.scale === 100);
    expect(inhales.at(-1)!.opacity).toBeLessThan(inhales[0]!.opacity);
    expect(phases.at(-1)!.opacity).toBe(0);
    // Within Alexa's limits: the document is small, the whole response far under 120 KB.
    expect(JSON.stringify(render[0]!.document).length).toBeLessThan(24_000);
    expect(JSON.stringify(r).length).toBeLessThan(120_000);
  });

  it('the longest session stays within the response limits', async () => {
    const h = withScreen(skill());
    const r = await h.intend('StartSessionIntent', { technique: 'breathing', minutes: '30' });
    const [render] = directivesOf(r).filter((d) => d.type === 'Alexa.Presentation.APL.RenderDocument');
    expect(render).toBeDefined();
    expect(JSON.stringify(r).length).toBeLessThan(60_000);
  });

  it('a device without a screen gets no directive', async () => {
    const r = await skill().launch();
    expect(directivesOf(r)).toEqual([]);
  });

  it('a touch stops the session as "stop" does, and the screen goes black', async () => {
    const h = withScreen(skill());
    await h.launch();
    await until(() => commands('session.start').length === 1);
    const [start] = commands('session.start') as [SessionStart];
    const touched = (await h.alexa.request().requestType('Alexa.Presentation.APL.UserEvent').set('request.arguments', ['stop']).set('request.token', 'winddown-breath').send()) as unknown as SkillResponse;
    expect({ said: textOf(touched), log: h.log.lines.filter((l) => l.level === 'error') }).toEqual({ said: say.GOODNIGHT, log: [] });
    expect(touched.response.shouldEndSession).toBe(true);
    await until(() => commands('session.stop').length === 1);
    expect(commands('session.stop')[0]).toMatchObject({ reason: 'stop', sessionId: start.sessionId });
    const [black] = directivesOf(touched);
    expect(black?.document?.onMount).toEqual([]);
  });
});

describe('the diffuser', () => {
  it('"don\'t use the diffuser with my sessions" is kept: no diffuser with sessions or at bedtime, until asked again', async () => {
    await bridgeSays({ lights: true, diffuser: true });
    const h = skill();
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toBe(say.bedtimeSet('22:30', 'sent', true, true));
    const r = await h.utter("don't use the diffuser with my sessions");
    expect(textOf(r)).toBe(say.DIFFUSER_SESSIONS_OFF);
    await until(() => commands('bedtime.set').length === 2);
    // The bedtime the home keeps carries no diffuser; the plug is switched off now.
    expect(commands('bedtime.set').map((b) => b.time)).toEqual(['22:30', null]);
    expect(commands('diffuser.set')).toEqual([expect.objectContaining({ on: false })]);

    // Another night: a sleep session starts, and no diffuser-on command is sent.
    const later = skill({ sameUserAs: h });
    const launched = await later.launch();
    await later.utter('start a body scan');
    await until(() => commands('session.start').length === 2);
    expect(commands('diffuser.set').filter((c) => c.on)).toEqual([]);
    expect(textOf(launched)).not.toContain(say.OIL_SAFETY);
    // A bedtime set now keeps the time here and sends none home.
    expect(textOf(await later.utter('set my bedtime to eleven pm'))).toBe(say.bedtimeSet('23:00', 'sent', false));
    await until(() => commands('bedtime.set').length === 3);
    expect(commands('bedtime.set')[2]?.time).toBeNull();
    expect(textOf(await later.utter('when is my bedtime'))).toBe('Your bedtime is 11 PM.');

    // "Use the diffuser with my sessions" brings it back, with the bedtime.
    expect(textOf(await later.utter('use the diffuser with my sessions'))).toBe(say.DIFFUSER_SESSIONS_ON);
    await until(() => commands('bedtime.set').length === 4);
    expect(commands('bedtime.set')[3]?.time).toBe('23:00');
    const back = await later.launch();
    await until(() => commands('diffuser.set').some((c) => c.on));
    // The first time it comes on for this listener, one line of care with the oils, said once.
    expect(textOf(back)).toContain(say.OIL_SAFETY);
    const again = await later.launch();
    await until(() => commands('diffuser.set').filter((c) => c.on).length === 2);
    expect(textOf(again)).not.toContain(say.OIL_SAFETY);
  });
});
