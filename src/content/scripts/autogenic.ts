import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * Autogenic training, its first two exercises only: heaviness, then warmth. The listener repeats a
 * simple phrase silently and lets the body answer in its own time; the silences are the practice.
 */
export default {
  id: 'autogenic',
  title: 'Autogenic training',
  technique: 'autogenic',
  summary: 'Silently repeat simple phrases of heaviness and warmth, and let your body settle in its own time.',
  minutes: [10, 15, 20],
  ending: 'sleep',
  steps: [
    { type: 'speak', text: 'Lie on your back, with your arms resting by your sides, and close your eyes. Let your breath be slow and easy.' },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      text: "This is autogenic training. I'll offer a short phrase, and you repeat it silently to yourself, slowly, a few times. Don't try to make anything happen. Just notice whatever you feel, even if it's nothing at all.",
    },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Say silently: my right arm is heavy. My right arm is heavy.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My left arm is heavy. My left arm is heavy.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My legs are heavy. My legs are heavy.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My arms and legs are heavy, and I am calm.' },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },

    { type: 'speak', text: "Now warmth. If warmth doesn't come, that's fine. Simply rest with the words." },
    { type: 'pause', ms: 2000 },
    { type: 'speak', text: 'Say silently: my right arm is warm. My right arm is warm.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My left arm is warm. My left arm is warm.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My legs are warm. My legs are warm.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'My arms and legs are heavy and warm. I am calm.' },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },

    { type: 'speak', text: "If your mind wanders, that's normal. Gently come back to the words: heavy and warm." },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    { type: 'speak', text: 'Now let the words go. Stay heavy, warm and still, and let sleep come when it is ready. Goodnight.' },
    { type: 'breathe', cycles: 'fill', weight: 5, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
