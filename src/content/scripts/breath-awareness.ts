import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * A guided meditation on the breath: notice it without changing it, count or label it, and come
 * back gently when the mind wanders. The lights keep a slow rhythm in the background; no cues are spoken.
 */
export default {
  id: 'breath-awareness',
  title: 'Breath awareness meditation',
  technique: 'meditation',
  summary: 'A quiet meditation where you simply notice your breath, and come back to it gently when your mind wanders.',
  minutes: [10, 5, 15, 20],
  ending: 'sleep',
  steps: [
    { type: 'speak', text: 'Sit or lie down in a comfortable position, and close your eyes.' },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      intro: 'full',
      text: "For the next few minutes, you'll simply notice your breath. There's no need to change it. Let it be just as it is.",
    },
    { type: 'pause', ms: 3000 },
    {
      type: 'speak',
      text: 'Notice where you feel the breath most clearly. Maybe at your nose, maybe in your chest, maybe in your belly. Rest your attention there.',
    },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },
    {
      type: 'speak',
      text: 'If it helps, silently count each out breath, up to ten, then start again. Or simply note, in, and out.',
    },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    {
      type: 'speak',
      text: "Your mind will wander. That's normal, it's what minds do. When you notice it, gently come back to the breath, without judging yourself.",
    },
    { type: 'breathe', cycles: 'fill', weight: 3, cues: 'none' },
    { type: 'speak', text: "Each time you come back is part of the practice. There's nothing to get right." },
    { type: 'breathe', cycles: 'fill', weight: 3, cues: 'none' },
    {
      type: 'speak',
      text: 'Now let go of counting, and let go of noticing. Let the breath breathe itself, and let yourself drift toward sleep. Goodnight.',
    },
    { type: 'breathe', cycles: 'fill', weight: 4, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
