import type * as z from 'zod/mini';
import type { Script } from '../schema';

/**
 * Progressive muscle relaxation from the toes to the head. Each group: name it, tense for five
 * seconds on a breath in, let go on a long breath out, then notice the difference.
 */
export default {
  id: 'pmr-full',
  title: 'Progressive muscle relaxation',
  technique: 'pmr',
  summary: 'Tense and release each part of your body, from your toes to your head, then rest.',
  minutes: [15, 20],
  ending: 'sleep',
  steps: [
    { type: 'speak', text: "Lie down in a comfortable position, with your arms resting by your sides. Close your eyes when you're ready." },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      intro: 'full',
      text: "We'll move slowly from your toes up to your head. For each part, you'll tense the muscles as you breathe in, and let them go completely as you breathe out. Keep breathing softly while you hold; never hold your breath. Use a firm but comfortable effort, never a strain. If anything feels uncomfortable, skip it and simply breathe.",
    },
    // A returning listener knows the way; what keeps them safe is said every time.
    { type: 'speak', intro: 'short', text: 'Tense as you breathe in, and keep breathing softly while you hold. Let go as you breathe out. Never strain, and skip anything that feels uncomfortable.' },
    { type: 'speak', text: 'First, a few easy breaths to settle.' },
    { type: 'breathe', cycles: 3, cues: 'full' },

    { type: 'speak', text: 'Begin with your feet and toes. Curl them gently, and ease off if your foot starts to cramp.' },
    { type: 'tense', group: 'feet and toes', cue: 'Curl your toes, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let go, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Notice the difference. Your feet are soft and heavy.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your calves. Ease off if a calf starts to cramp.' },
    { type: 'tense', group: 'calves', cue: 'Point your toes gently, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And release, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel the warmth spread through your lower legs.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your thighs.' },
    { type: 'tense', group: 'thighs', cue: 'Tighten your thighs, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them go, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel your legs sink into the bed.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your hips and buttocks.' },
    { type: 'tense', group: 'buttocks', cue: 'Squeeze your buttocks, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let go, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Let your hips settle, heavy and still.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your hands.' },
    { type: 'tense', group: 'hands', cue: 'Make two fists, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And open your hands, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Notice your fingers now, soft and still.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your forearms.' },
    { type: 'tense', group: 'forearms', cue: 'Bend your wrists back, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them drop, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel the ease spread through your forearms.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your upper arms.' },
    { type: 'tense', group: 'upper arms', cue: 'Flex your upper arms, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let your arms fall loose, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Your arms are heavy now, resting where they are.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now your shoulders.' },
    { type: 'tense', group: 'shoulders', cue: 'Shrug your shoulders up, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let them drop, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel your shoulders melt down, away from your ears.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Now the back of your neck.' },
    { type: 'tense', group: 'back of the neck', cue: 'Press your head back gently, breathing in.', ms: 5000 },
    { type: 'release', cue: 'And let go, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Let your head rest its full weight on the pillow.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    { type: 'speak', text: 'Last, your face. Start with your jaw.' },
    { type: 'tense', group: 'jaw', cue: 'Clench your jaw gently, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let your jaw hang loose, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Notice the ease in your jaw.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 0.6, cues: 'none' },
    { type: 'speak', text: 'Now your eyes.' },
    { type: 'tense', group: 'eyes', cue: 'Squeeze your eyes shut, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And soften them, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Let your eyes rest, heavy and still.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 0.6, cues: 'none' },
    { type: 'speak', text: 'And your forehead.' },
    { type: 'tense', group: 'forehead', cue: 'Raise your eyebrows high, and breathe in.', ms: 5000 },
    { type: 'release', cue: 'And let your forehead go smooth, breathing out.', ms: 7000 },
    { type: 'speak', text: 'Feel your whole face soften.' },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 'fill', weight: 0.6, cues: 'none' },

    {
      type: 'speak',
      text: 'Now let your attention drift slowly from your head down to your toes. If you find any tension left, breathe into it, and let it go as you breathe out.',
    },
    { type: 'pause', ms: 4000 },
    { type: 'speak', text: 'Notice how your body feels now, and how your mind feels. There is nothing more to do.' },
    { type: 'breathe', cycles: 'fill', weight: 4, cues: 'none' },
    { type: 'speak', text: "Stay with your slow breathing, and let sleep come when it's ready. Goodnight." },
    { type: 'breathe', cycles: 'fill', weight: 8, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
