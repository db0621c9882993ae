import type * as z from 'zod/mini';
import { NOT_MEDICAL_ADVICE } from '../phrases';
import type { Script } from '../schema';

/**
 * Back-friendly muscle relaxation: about half effort, knees supported, nothing that arches the
 * lower back, and the lower back itself is breathed into rather than tensed.
 */
export default {
  id: 'pmr-back',
  title: 'Back friendly relaxation',
  technique: 'back-pmr',
  summary: 'A gentle muscle relaxation that is kind to your back, with soft tension and plenty of rest.',
  minutes: [10, 15, 5],
  ending: 'sleep',
  steps: [
    { type: 'speak', text: 'This is a gentle kind of muscle relaxation, made to be kind to your back.' },
    {
      type: 'speak',
      intro: 'full',
      text: "If it's comfortable, lie on your back with your knees bent, or with a pillow under them. Any position that eases your back is the right one.",
    },
    { type: 'speak', intro: 'short', text: 'Knees bent, or on a pillow, whatever eases your back.' },
    { type: 'pause', ms: 1500 },
    {
      type: 'speak',
      text: 'When you tense, use only about half your strength, and keep breathing softly while you hold. Never arch or strain your lower back. If any part hurts, skip it, and just breathe there.',
    },
    { type: 'speak', text: NOT_MEDICAL_ADVICE },
    { type: 'pause', ms: 1500 },
    { type: 'speak', text: "Let's settle in with a few easy breaths." },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'full' },

    { type: 'speak', text: 'Start with your feet. Ease off if your foot starts to cramp.' },
    { type: 'tense', group: 'feet', cue: 'Gently curl your toes, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let go, breathing out.', ms: 7000 },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your legs.' },
    { type: 'tense', group: 'legs', cue: 'Press your knees softly together, breathing in.', ms: 5000 },
    { type: 'release', cue: 'And release, breathing out.', ms: 7000 },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: "Now your lower back. Don't tense anything here. Just breathe into it, and let each out breath soften it a little more.",
    },
    { type: 'breathe', cycles: 'fill', weight: 2, cues: 'short' },

    { type: 'speak', text: 'Now your hands and arms.' },
    { type: 'tense', group: 'hands and arms', cue: 'Make soft fists, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them fall open, breathing out.', ms: 7000 },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your shoulders.' },
    { type: 'tense', group: 'shoulders', cue: 'Lift them a little, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them sink, breathing out.', ms: 8000 },
    { type: 'pause', ms: 2000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'And last, your face.' },
    { type: 'tense', group: 'face', cue: 'Gently squeeze your eyes, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let your face go soft, breathing out.', ms: 7000 },
    { type: 'pause', ms: 2000 },

    {
      type: 'speak',
      text: 'Notice how your body feels now. Let your back rest its full weight on the bed, supported and still. Stay with your slow breath, and let sleep come. Goodnight.',
    },
    { type: 'breathe', cycles: 'fill', weight: 6, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
