import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * Diaphragmatic breathing with a long, easy out breath. The engine sets the pace and slows it
 * from about ten to about six breaths a minute; the fill blocks stretch the session to any length.
 */
export default {
  id: 'paced-breathing',
  title: 'Paced breathing',
  technique: 'breathing',
  summary: 'Slow belly breathing with a long, easy out breath, to help you drift off to sleep.',
  minutes: [10, 5, 15, 20, 30],
  ending: 'sleep',
  steps: [
    { type: 'speak', intro: 'full', text: "Let's slow down together. Lie on your back, or on your side if that's easier, and let the bed hold you." },
    { type: 'pause', intro: 'full', ms: 2000 },
    { type: 'speak', intro: 'full', text: 'Rest one hand on your belly.' },
    { type: 'pause', intro: 'full', ms: 2000 },
    {
      type: 'speak',
      intro: 'full',
      text: 'Breathe in slowly through your nose, and feel your belly rise under your hand. That is your diaphragm doing the work. Then let the breath flow out, a little longer than it came in.',
    },
    { type: 'pause', intro: 'full', ms: 3000 },
    {
      type: 'speak',
      intro: 'full',
      text: "If it feels good, let out a soft ahh as you breathe out. There's no right way to do this, and no pattern you have to keep. Follow my voice and the lights as they rise and fall, then close your eyes.",
      withoutLights: "If it feels good, let out a soft ahh as you breathe out. There's no right way to do this, and no pattern you have to keep. Close your eyes when you're ready, and follow my voice.",
    },
    // A returning listener knows the way: a few words, and the first breath.
    { type: 'speak', intro: 'short', text: 'One hand on your belly, and close your eyes.' },
    { type: 'breathe', cycles: 3, cues: 'full' },
    { type: 'speak', text: 'Good. Keep going, just like that.' },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'short' },
    {
      type: 'speak',
      text: "I'll go quiet now. Let your belly and the lights keep the rhythm.",
      withoutLights: "I'll speak more softly now, and a little slower, as your breath slows down.",
      softer: true,
    },
    { type: 'breathe', cycles: 'fill', weight: 5, cues: 'none' },
    {
      type: 'speak',
      text: "Your breath is slow and easy now. There's nothing left to do. Let your hand rest where it is, let your breath find its own pace, and drift toward sleep. Goodnight.",
    },
    { type: 'breathe', cycles: 'fill', weight: 3, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
