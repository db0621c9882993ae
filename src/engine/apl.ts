/**
 * SessionPlan → the Echo Show's breathing shape: one APL document whose animation is generated from
 * the same plan the voice and the lamps come from.
 *
 * - One warm, dim disc on black. It grows over each inhale and shrinks over each exhale, holds on a
 *   hold, and drifts slowly smaller over spoken passages, exactly as long as each phase.
 * - It darkens as the session goes on (its brightest and dimmest both fall), and a session's last part
 *   fades it to black. In a dark room (the middle of the night) it stays at its dimmest throughout.
 * - A touch anywhere sends a "stop" event: the skill stops the session as "Alexa, stop" would.
 *
 * Compactness: each phase is one call of a user-defined command ("B": duration, scale from, scale to,
 * opacity, in ms and percent), so an hour of breathing stays well inside Alexa's response limits.
 * The commands run from the document's `onMount`, in one `Sequential` that waits for the lead-in.
 */
import type { Segment, SessionPlan, SsmlPart } from './types';

export const APL_INTERFACE = 'Alexa.Presentation.APL';
export const RENDER_DOCUMENT = 'Alexa.Presentation.APL.RenderDocument';
export const APL_TOKEN = 'winddown-breath';
/** The argument a touch sends with its UserEvent. */
export const STOP_EVENT = 'stop';
/** How long the disc takes to fade to black at the end: as slow as the lamps' fade-off, or a gentle return. */
export const SCREEN_FADE_SLEEP_MS = 60_000;
export const SCREEN_FADE_AWAKE_MS = 4_000;

/** Scale in percent of the disc's full size. */
const SCALE = { peak: 100, trough: 62, rest: 74 } as const;
/** Opacity in percent: brightest and dimmest at the start and at the end of the session. */
const OPACITY = { peakStart: 80, peakEnd: 30, troughStart: 34, troughEnd: 8 } as const;
/** Warm amber, about 2200 K, never blue. */
export const DISC_COLOUR = '#B0561F';

/** One phase of the shape: over `durationMs`, move to `scale` and `opacity` (both in percent). */
export interface ScreenPhase {
  durationMs: number;
  scale: number;
  opacity: number;
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/**
 * The shape's phases for the plan's range [fromMs, untilMs): one per breath phase, one per run of
 * passages between breaths, and, for the last part, the fade to black.
 */
export function screenPhases(plan: SessionPlan, range: Pick<SsmlPart, 'fromMs' | 'untilMs' | 'final'>): ScreenPhase[] {
  const total = plan.totalMs;
  // Someone woken in the night: the disc still breathes in size, but never brightens.
  const dark = plan.room === 'dark';
  const peakAt = (ms: number) => (dark ? OPACITY.troughEnd : Math.round(lerp(OPACITY.peakStart, OPACITY.peakEnd, ms / total)));
  const troughAt = (ms: number) => (dark ? OPACITY.troughEnd : Math.round(lerp(OPACITY.troughStart, OPACITY.troughEnd, ms / total)));
  const phases: ScreenPhase[] = [];
  const segments = plan.segments.filter((s) => s.startMs >= range.fromMs && s.startMs < range.untilMs);
  let i = 0;
  let scale: number = SCALE.rest;
  let opacity = troughAt(range.fromMs);
  while (i < segments.length) {
    const segment = segments[i]!;
    const end = segment.startMs + segment.durationMs;
    if (segment.kind === 'breath') {
      if (segment.phase === 'inhale') [scale, opacity] = [SCALE.peak, peakAt(end)];
      else if (segment.phase === 'exhale') [scale, opacity] = [SCALE.trough, troughAt(end)];
      phases.push({ durationMs: segment.durationMs, scale, opacity });
      i += 1;
      continue;
    }
    // Passages between breaths: one slow drift, as the lamps do.
    let j = i;
    while (j < segments.length && segments[j]!.kind !== 'breath') j += 1;
    const last: Segment = segments[j - 1]!;
    const until = last.startMs + last.durationMs;
    [scale, opacity] = [SCALE.rest, troughAt(until)];
    phases.push({ durationMs: until - segment.startMs, scale, opacity });
    i = j;
  }
  if (range.final) phases.push({ durationMs: plan.ending === 'sleep' ? SCREEN_FADE_SLEEP_MS : SCREEN_FADE_AWAKE_MS, scale: SCALE.trough, opacity: 0 });
  return phases;
}

type Json = string | number | boolean | null | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

/** The user-defined command each phase calls: d = duration (ms), f/t = scale from/to, o = opacity (percent). */
const PHASE_COMMAND: Json = {
  parameters: ['d', 'f', 't', 'o'],
  commands: [
    {
      type: 'AnimateItem',
      componentId: 'disc',
      duration: '${d}',
      easing: 'ease-in-out',
      value: [
        { property: 'transform', from: [{ scale: '${f/100}' }], to: [{ scale: '${t/100}' }] },
        { property: 'opacity', to: '${o/100}' },
      ],
    },
  ],
};

function frame(disc: Json, onMount: Json[]): JsonObject {
  return {
    type: 'APL',
    version: '1.6',
    theme: 'dark',
    commands: { B: PHASE_COMMAND },
    onMount,
    mainTemplate: {
      items: [
        {
          type: 'TouchWrapper',
          width: '100vw',
          height: '100vh',
          onPress: [{ type: 'SendEvent', arguments: [STOP_EVENT] }],
          item: {
            type: 'Container',
            width: '100vw',
            height: '100vh',
            alignItems: 'center',
            justifyContent: 'center',
            items: [{ type: 'Frame', width: '100vw', height: '100vh', position: 'absolute', backgroundColor: '#000000' }, disc],
          },
        },
      ],
    },
  };
}

export interface RenderDocumentDirective {
  type: typeof RENDER_DOCUMENT;
  token: string;
  document: JsonObject;
}

/** The disc at its resting size and a given opacity (percent). */
function disc(opacity: number): Json {
  return {
    type: 'Frame',
    id: 'disc',
    width: '60vh',
    height: '60vh',
    borderRadius: '30vh',
    backgroundColor: DISC_COLOUR,
    opacity: opacity / 100,
    transform: [{ scale: SCALE.rest / 100 }],
  };
}

/**
 * The RenderDocument for one response: the phases of the part it speaks, starting when the voice
 * reaches the plan (after `leadMs` of welcome or "let's go on").
 */
export function breathingDocument(plan: SessionPlan, part: Pick<SsmlPart, 'fromMs' | 'untilMs' | 'final' | 'leadMs'>): RenderDocumentDirective {
  const phases = screenPhases(plan, part);
  let from: number = SCALE.rest;
  const commands: Json[] = phases.map((p) => {
    const command = { type: 'B', d: p.durationMs, f: from, t: p.scale, o: p.opacity };
    from = p.scale;
    return command;
  });
  const start = plan.room === 'dark' ? OPACITY.troughEnd : Math.round(lerp(OPACITY.troughStart, OPACITY.troughEnd, part.fromMs / plan.totalMs));
  return {
    type: RENDER_DOCUMENT,
    token: APL_TOKEN,
    document: frame(disc(start), [{ type: 'Sequential', delay: part.leadMs, commands }]),
  };
}

/** A black screen: what is left when a session is stopped. */
export function blackDocument(): RenderDocumentDirective {
  return { type: RENDER_DOCUMENT, token: APL_TOKEN, document: frame(disc(0), []) };
}
