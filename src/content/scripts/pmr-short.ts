import type * as z from 'zod/mini';
import { NOT_MEDICAL_ADVICE } from '../phrases';
import type { Script } from '../schema';

/** Progressive muscle relaxation in about five minutes: five areas, feet to face. */
export default {
  id: 'pmr-short',
  title: 'Short muscle relaxation',
  technique: 'pmr',
  summary: 'A five minute muscle relaxation for your feet, legs, arms, shoulders and face.',
  minutes: [5, 7],
  ending: 'sleep',
  steps: [
    {
      type: 'speak',
      text: "Lie down comfortably and close your eyes. We'll tense and release five areas, from your feet up to your face. Keep the effort firm but comfortable, keep breathing softly while you hold, and let go completely each time. Ease off if it hurts.",
    },
    { type: 'speak', text: NOT_MEDICAL_ADVICE },
    { type: 'pause', ms: 1500 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'full' },

    { type: 'speak', text: 'Start with your feet. Curl your toes gently, and ease off if your foot starts to cramp.' },
    { type: 'tense', group: 'feet', cue: 'Curl your toes, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let go, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Notice them soften.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your legs.' },
    { type: 'tense', group: 'legs', cue: 'Tighten your legs, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And release, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel your legs grow heavy.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your hands and arms.' },
    { type: 'tense', group: 'hands and arms', cue: 'Make fists, tighten your arms, breathing in.', ms: 5000 },
    { type: 'release', cue: 'And let them fall loose, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Notice the ease in your arms.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your shoulders.' },
    { type: 'tense', group: 'shoulders', cue: 'Lift them up, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them drop, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel them settle.' },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'And last, your face.' },
    { type: 'tense', group: 'face', cue: 'Scrunch your whole face, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let it go smooth, breathing out.', ms: 7000 },
    { type: 'pause', ms: 2000 },

    {
      type: 'speak',
      text: 'Notice how your body feels now, heavier and softer than before. Stay with your slow breath, and let sleep find you. Goodnight.',
    },
    { type: 'breathe', cycles: 'fill', weight: 5, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
