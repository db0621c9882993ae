/**
 * Which script to run for a spoken request ("start progressive muscle relaxation for ten minutes").
 * The first script of a technique is its default; a requested length picks the script that offers
 * the nearest length, and that length.
 */
import type { Script, Technique } from '../content/schema';

export const DEFAULT_TECHNIQUE: Technique = 'breathing';

export interface ScriptChoice {
  script: Script;
  minutes: number;
}

export function chooseScript(scripts: readonly Script[], technique: Technique | undefined, minutes: number | undefined): ScriptChoice {
  const wanted = technique ?? DEFAULT_TECHNIQUE;
  const candidates = scripts.filter((s) => s.technique === wanted);
  const pool = candidates.length > 0 ? candidates : scripts;
  const first = pool[0];
  if (first === undefined) throw new Error('no scripts to choose from');
  if (minutes === undefined || !Number.isFinite(minutes) || minutes <= 0) {
    return { script: first, minutes: first.minutes[0]! };
  }
  // A script that can stretch (has fill breathing) and covers the request gets exactly what was asked.
  const stretchable = pool.find(
    (s) => s.steps.some((step) => step.type === 'breathe' && step.cycles === 'fill') &&
      minutes >= Math.min(...s.minutes) && minutes <= Math.max(...s.minutes),
  );
  if (stretchable) return { script: stretchable, minutes: Math.round(minutes) };
  let best: ScriptChoice = { script: first, minutes: first.minutes[0]! };
  let bestDistance = Infinity;
  for (const script of pool) {
    for (const offered of script.minutes) {
      const distance = Math.abs(offered - minutes);
      if (distance < bestDistance) {
        best = { script, minutes: offered };
        bestDistance = distance;
      }
    }
  }
  return best;
}

/**
 * Whether a new session brings the diffuser on: a session that ends in sleep does, unless its room is
 * "dark" (the middle of the night is no time for a scent to start).
 */
export function diffuserWith(script: Pick<Script, 'ending' | 'room'>): boolean {
  return script.ending === 'sleep' && (script.room ?? 'breathe') === 'breathe';
}
