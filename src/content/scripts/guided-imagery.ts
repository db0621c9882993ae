import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * Guided imagery, as the article describes it: a calm voice and a scene to picture, here a sunset and
 * then a field of flowers. The scene is offered, never insisted on; long silences let it settle.
 */
export default {
  id: 'guided-imagery',
  title: 'Guided imagery',
  technique: 'imagery',
  summary: 'Picture a slow sunset, then a quiet field of flowers, and let the scene carry you toward sleep.',
  minutes: [10, 5, 15],
  ending: 'sleep',
  steps: [
    { type: 'speak', text: "Lie down in whatever way feels easy, and close your eyes. Let your breath slow down on its own." },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      text: "In a moment, I'll describe a scene. Picture as much or as little of it as you like. If nothing comes, just listen. That works too.",
    },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: "Imagine it's early evening, and you're somewhere safe and quiet, watching the sun go down." },
    { type: 'pause', ms: 3000 },
    { type: 'speak', text: 'The sky is turning gold, then orange, then a soft deep pink. You can feel its warmth on your face.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    { type: 'speak', text: 'The sun sinks lower, slowly, with nowhere it has to be. With each breath out, let your body sink a little lower too.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    { type: 'speak', text: 'The last of the colour fades, and the sky softens to a gentle blue. Everything grows still.' },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },

    { type: 'speak', text: 'Now let the scene change. You are lying in a wide field of flowers, in the quiet of a summer evening.' },
    { type: 'pause', ms: 3000 },
    { type: 'speak', text: 'The grass is soft beneath you. Flowers sway a little in a soft breeze. Perhaps you can smell them, sweet and faint.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    { type: 'speak', text: "If your mind wanders, that's normal. Gently come back to the field, and the soft grass beneath you." },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'none' },
    { type: 'speak', text: 'There is nothing to do here, and nowhere to go. The ground holds you, and the evening is calm.' },
    { type: 'pause', ms: 3000 },

    { type: 'speak', text: 'Stay in this place as long as you like. Let the picture blur and fade, and let sleep come. Goodnight.' },
    { type: 'breathe', cycles: 'fill', weight: 6, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
