import type * as z from 'zod/mini';
import { NOT_MEDICAL_ADVICE } from '../phrases';
import type { Script } from '../schema';

/**
 * Gentle stretches for the back, done lying in bed, one breath for each movement: knees to chest, a
 * pelvic tilt and a lying twist. Small movements, a plain "skip it if it hurts" with every one, and a
 * rest after each so nothing is hurried. The movements take a slow six breaths a minute, so each has
 * time: about four seconds in and six out.
 */
export default {
  id: 'back-stretch',
  title: 'Gentle back stretches',
  technique: 'back-stretch',
  summary: 'Three slow, gentle stretches for your back, done lying in bed, with one breath for each movement.',
  minutes: [10, 15],
  ending: 'sleep',
  steps: [
    {
      type: 'speak',
      text: 'These are three gentle stretches for your back, done lying in bed. Lie on your back with your knees bent and your feet flat, or with a pillow under your knees.',
    },
    { type: 'pause', ms: 2000 },
    {
      type: 'speak',
      text: "Move slowly, and only as far as feels easy. You should feel a gentle stretch, never pain. If a movement hurts, skip it, and just breathe. If you've been told to avoid a movement, leave it out.",
    },
    { type: 'speak', text: NOT_MEDICAL_ADVICE },
    { type: 'pause', ms: 1500 },
    { type: 'speak', text: "Let's begin with a few easy breaths, just as you are." },
    { type: 'breathe', cycles: 3, cues: 'full' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'First, knees to chest. Hold the backs of your thighs, or one knee at a time if that is easier. As you breathe out, draw your knees gently toward your chest. As you breathe in, let them ease away. Skip it if it hurts.',
    },
    { type: 'pause', ms: 1500 },
    { type: 'breathe', cycles: 4, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'Let your feet rest back on the bed.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'Next, a pelvic tilt. As you breathe out, press the small of your back softly into the bed, tipping your hips a little. As you breathe in, let it go. Keep it small. Skip it if it hurts.',
    },
    { type: 'pause', ms: 1500 },
    { type: 'breathe', cycles: 4, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'And rest.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'Last, a lying twist. Keep your shoulders on the bed. As you breathe out, let both knees lower a little to one side. As you breathe in, bring them back to the middle. On the next breath out, go to the other side. Go only as far as is comfortable, and skip it if it hurts.',
    },
    { type: 'pause', ms: 1500 },
    { type: 'breathe', cycles: 4, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'Bring your knees back to the middle, and rest.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'Settle into whatever position your back likes best. Let the bed take your full weight. Stay with your slow breath, and let sleep come. Goodnight.',
    },
    { type: 'breathe', cycles: 'fill', weight: 5, cues: 'none' },
  ],
} satisfies z.input<typeof Script>;
