import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * A body scan: attention moves slowly from the toes to the top of the head, noticing without
 * judging. A short silence and a fill block after each area let the scan slow down in longer sessions.
 */
export default {
  id: 'body-scan',
  title: 'Body scan',
  technique: 'body-scan',
  summary: 'Move your attention slowly from your toes to your head, noticing each part without judging it.',
  minutes: [10, 5, 15, 20],
  ending: 'sleep',
  steps: [
    {
      type: 'speak',
      text: 'Lie down in a comfortable position, and close your eyes. Let your breathing slow down, in its own time.',
    },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      intro: 'full',
      text: "Your attention will move slowly through your body, from your toes to the top of your head. You don't need to change anything. Just notice what's there, without judging it.",
    },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'short' },

    { type: 'speak', text: "Bring your attention to your toes. Notice any warmth, coolness or tingling. If you notice nothing at all, that's fine too." },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Now the soles of your feet, your heels, and the tops of your feet.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Move up to your ankles and your calves. Notice how they rest against the bed.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Now your knees, and your thighs. Notice their weight.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Now your hips, and your lower back. If you find tension here, simply notice it, and breathe.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Now your belly. Feel it rise and fall as you breathe.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Your chest, and your upper back.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: "If your mind has wandered, that's normal. Gently come back to where you left off." },
    { type: 'pause', ms: 2000 },
    { type: 'speak', text: 'Now your hands. Your fingers, your palms, the backs of your hands.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Your arms, from your wrists up to your shoulders.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Your neck, and your throat.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'Your face. Your jaw, your cheeks, your eyes, your forehead.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    { type: 'speak', text: 'And the very top of your head.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: "Now feel your whole body at once, resting and breathing. There's nothing you need to do. Let yourself sink into sleep. Goodnight.",
    },
    { type: 'breathe', cycles: 'fill', weight: 8, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
