/**
 * Every session script, validated once when this module loads (by the build, for the Lambda). A script
 * file that does not match the schema fails here, at start-up or build, rather than in the middle of
 * someone's bedtime.
 */
import type { Script } from '../schema';
import { validScripts } from '../validate';
import autogenic from './autogenic';
import backStretch from './back-stretch';
import backToSleep from './back-to-sleep';
import bodyScan from './body-scan';
import breathAwareness from './breath-awareness';
import guidedImagery from './guided-imagery';
import pacedBreathing from './paced-breathing';
import pmrBack from './pmr-back';
import pmrFull from './pmr-full';
import pmrShort from './pmr-short';
import sixBreaths from './six-breaths';

/** All scripts, in the order they are offered. */
export const SCRIPTS: readonly Script[] = validScripts([
  pacedBreathing,
  sixBreaths,
  pmrFull,
  pmrShort,
  pmrBack,
  bodyScan,
  breathAwareness,
  guidedImagery,
  backStretch,
  autogenic,
  backToSleep,
]);

const BY_ID: ReadonlyMap<string, Script> = new Map(SCRIPTS.map((s) => [s.id, s]));

/** The script with this id, or undefined. */
export function scriptById(id: string): Script | undefined {
  return BY_ID.get(id);
}
