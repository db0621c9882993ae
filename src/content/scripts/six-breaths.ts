import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * The short form: a ten-second breath, six times. Six counted breaths at a fixed six a minute carry
 * the session; the small fill block after them takes up what is left of the two minutes.
 */
export default {
  id: 'six-breaths',
  title: 'Six slow breaths',
  technique: 'breathing',
  summary: 'A two minute reset of six slow breaths, about ten seconds each.',
  minutes: [2],
  ending: 'awake',
  steps: [
    { type: 'speak', text: 'Six slow breaths. Settle where you are and close your eyes. Breathe from your belly, and let each out breath be long and easy.' },
    { type: 'pause', ms: 1500 },
    { type: 'breathe', cycles: 6, cues: 'full', bpm: 6 },
    { type: 'speak', text: "That's six. Rest here a moment, breathing your own way." },
    // A rest at the listener's own pace, with or without lamps.
    { type: 'breathe', cycles: 'fill', cues: 'none', withoutLights: 'quiet' },
    { type: 'speak', text: 'Well done. Take this calm with you.' },
  ],
} satisfies z.input<typeof Script>;
