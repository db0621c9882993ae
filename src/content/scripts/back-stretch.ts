import type * as z from 'zod/mini';
import { NOT_MEDICAL_ADVICE } from '../phrases';
import type { Script } from '../schema';

/**
 * Gentle stretches for the back, done lying in bed, one breath for each movement: one knee at a time
 * to the chest, a pelvic tilt and a lying twist. Small movements, a plain "skip it if it hurts" with
 * every one, time to get into position before the first breath of each, and a rest after each so
 * nothing is hurried. The movements take a slow six breaths a minute: about four seconds in and six out.
 *
 * Safety, as the health services put it: NHS, "Back pain" (https://www.nhs.uk/conditions/back-pain/)
 * and "Exercises for back pain": move gently, stop what hurts; NHS, "Sciatica"
 * (https://www.nhs.uk/conditions/sciatica/): pain travelling down the leg, or tingling, is a reason to
 * stop; Royal Osteoporosis Society (https://theros.org.uk/) and the NHS after a hip replacement or
 * spine surgery: bending and twisting can be unsafe, so ask first.
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
    {
      type: 'speak',
      text: 'If you have osteoporosis, or have had spine or hip surgery, ask your doctor before doing these. Stop if pain travels down your leg, or you feel tingling.',
    },
    { type: 'speak', text: NOT_MEDICAL_ADVICE },
    { type: 'pause', ms: 1500 },
    { type: 'speak', text: "Let's begin with a few easy breaths, just as you are." },
    { type: 'breathe', cycles: 3, cues: 'full' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'First, one knee to your chest. Slowly bring your right knee up, and hold the back of your thigh. Take your time.',
    },
    // Time to find the position before the first breath: lifting a leg in bed is slow at night.
    { type: 'pause', ms: 6000 },
    { type: 'speak', text: 'As you breathe out, draw the knee gently toward you. As you breathe in, let it ease away. Skip it if it hurts.' },
    { type: 'breathe', cycles: 3, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'Let that foot rest back on the bed. Now bring your left knee up, and hold the back of your thigh.' },
    { type: 'pause', ms: 6000 },
    { type: 'breathe', cycles: 3, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'Let your foot rest back on the bed.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'Next, a pelvic tilt. As you breathe out, press the small of your back softly into the bed, tipping your hips a little. As you breathe in, let it go. Keep it small. Skip it if it hurts.',
    },
    { type: 'pause', ms: 3000 },
    { type: 'breathe', cycles: 4, cues: 'full', bpm: 6 },
    { type: 'speak', text: 'And rest.' },
    { type: 'breathe', cycles: 'fill', weight: 1, cues: 'none' },

    {
      type: 'speak',
      text: 'Last, a lying twist. Keep your shoulders on the bed, and your knees bent, together, feet flat. As you breathe out, let both knees lower a little to one side. As you breathe in, bring them back to the middle. On the next breath out, go to the other side. Go only as far as is comfortable, and skip it if it hurts.',
    },
    { type: 'pause', ms: 3000 },
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
