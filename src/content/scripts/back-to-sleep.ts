import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * For someone who woke in the night: few words, no set-up, a slow six breaths a minute from the first
 * breath (no easing in from a faster pace), and a dark room: the lamps stay at their dimmest and never
 * brighten, and no diffuser comes on (`room: "dark"`).
 */
export default {
  id: 'back-to-sleep',
  title: 'Back to sleep',
  technique: 'back-to-sleep',
  summary: 'A short, quiet practice for the middle of the night, to help you drift back to sleep.',
  minutes: [5, 10],
  ending: 'sleep',
  room: 'dark',
  steps: [
    { type: 'speak', text: "You're awake in the night. That's all right. Stay just as you are, and keep your eyes closed." },
    { type: 'pause', ms: 2000 },
    { type: 'speak', text: 'Let your breath slow down, a little longer on the way out.' },
    { type: 'breathe', cycles: 3, cues: 'short', bpm: 6 },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none', bpm: 6 },
    { type: 'speak', text: "If thoughts come, there's nothing to solve right now. Let them pass, and come back to your breath." },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none', bpm: 6 },
    { type: 'speak', text: 'Let your body grow heavy. Your shoulders, your back, your legs. Let the bed hold you.' },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none', bpm: 6 },
    { type: 'speak', text: 'Let sleep come back in its own time. Sleep well.' },
    { type: 'breathe', cycles: 'fill', weight: 4, cues: 'none', bpm: 6 },
  ],
} satisfies z.input<typeof Script>;
