/**
 * The Echo Show's breathing shape, generated from the plan: one phase per breath phase (same start, same
 * length), slow drifts over passages, darker toward the end, black at the end, and small enough for
 * Alexa's response limits at every length every script offers.
 */
import { SCRIPTS } from '../../src/content/scripts';
import { blackDocument, breathingDocument, SCREEN_FADE_SLEEP_MS, screenPhases } from '../../src/engine/apl';
import { compilePlan } from '../../src/engine/compile';
import { renderSsml } from '../../src/engine/ssml';
import type { BreathSegment } from '../../src/engine/types';

const everyLength = SCRIPTS.flatMap((script) => script.minutes.map((minutes) => [script.id, minutes, script] as const));

interface Call {
  type: string;
  d: number;
  f: number;
  t: number;
  o: number;
}

describe.each(everyLength)('%s at %d minutes', (_id, minutes, script) => {
  for (const voiceOnly of [false, true]) {
    const plan = compilePlan(script, { minutes, voiceOnly });
    const parts = renderSsml(plan, { lead: 'Welcome to Wind Down.' });

    it(`${voiceOnly ? 'voice only' : 'with lamps'}: every breath phase is one animation phase, starting and ending with it`, () => {
      for (const part of parts) {
        const doc = breathingDocument(plan, part).document as unknown as { onMount: { delay: number; commands: Call[] }[] };
        const sequence = doc.onMount[0]!;
        expect(sequence.delay).toBe(part.leadMs);
        let t = part.fromMs;
        const starts = new Map<number, Call>();
        for (const call of sequence.commands) {
          starts.set(t, call);
          t += call.d;
        }
        const breaths = plan.segments.filter((s): s is BreathSegment => s.kind === 'breath' && s.startMs >= part.fromMs && s.startMs < part.untilMs);
        for (const b of breaths) expect({ at: b.startMs, d: starts.get(b.startMs)?.d }).toEqual({ at: b.startMs, d: b.durationMs });
        // The phases cover the part exactly, and the last part fades to black after it.
        const fade = part.final ? (plan.ending === 'sleep' ? SCREEN_FADE_SLEEP_MS : 4_000) : 0;
        expect(t).toBe(part.untilMs + fade);
        if (part.final) expect(sequence.commands.at(-1)?.o).toBe(0);
        // Each phase starts where the last one ended.
        for (const [i, call] of sequence.commands.entries()) if (i > 0) expect(call.f).toBe(sequence.commands[i - 1]!.t);
        expect(JSON.stringify(doc).length).toBeLessThan(24_000);
      }
    });
  }
});

describe('the shape', () => {
  const paced = SCRIPTS.find((s) => s.id === 'paced-breathing')!;

  it('grows on every inhale, shrinks on every exhale, and darkens toward the end', () => {
    const plan = compilePlan(paced, { minutes: 20 });
    const phases = screenPhases(plan, { fromMs: 0, untilMs: plan.totalMs, final: true });
    const peaks = phases.filter((p) => p.scale === 100).map((p) => p.opacity);
    expect(peaks.length).toBeGreaterThan(100);
    for (let i = 1; i < peaks.length; i += 1) expect(peaks[i]).toBeLessThanOrEqual(peaks[i - 1]!);
    expect(peaks.at(-1)!).toBeLessThan(peaks[0]! / 2);
    expect(Math.max(...phases.map((p) => p.opacity))).toBeLessThanOrEqual(80);
  });

  it('in a dark room never brightens', () => {
    const dark = SCRIPTS.find((s) => s.room === 'dark');
    expect(dark).toBeDefined();
    const plan = compilePlan(dark!, { minutes: dark!.minutes[0] });
    const phases = screenPhases(plan, { fromMs: 0, untilMs: plan.totalMs, final: true });
    expect(Math.max(...phases.map((p) => p.opacity))).toBeLessThanOrEqual(8);
  });

  it('a stopped session leaves a black screen with nothing running', () => {
    const doc = blackDocument().document as unknown as { onMount: unknown[] };
    expect(doc.onMount).toEqual([]);
    expect(JSON.stringify(doc)).toContain('"opacity":0');
  });
});
