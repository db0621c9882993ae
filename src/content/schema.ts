/**
 * The shape of spoken content. Scripts and FAQ entries are plain data checked against these schemas,
 * so a new session or answer is a new data file, never new engine code.
 */
import * as z from 'zod/mini';
import { TECHNIQUES } from './techniques';

export { TECHNIQUES };
export const Technique = z.enum(TECHNIQUES);
export type Technique = z.infer<typeof Technique>;

const text = z.string().check(z.minLength(1), z.maxLength(600));
const millis = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

/**
 * Which introduction a step belongs to. "full": the instructions, said the first time and whenever
 * someone asks how it works; "short": the few words a returning listener hears instead, so the first
 * breath comes within seconds. A step without it is said either way.
 */
export const Intro = z.enum(['full', 'short']);
export type Intro = z.infer<typeof Intro>;

/** Something said aloud. Its duration is estimated by the engine's speech model. */
export const SpeakStep = z.strictObject({
  type: z.literal('speak'),
  text,
  intro: z.optional(Intro),
  /**
   * What is said instead to a listener whose lamps do not breathe along (null: nothing). Every line
   * that mentions the lights has one, so nobody without lamps is told to follow them.
   */
  withoutLights: z.optional(z.nullable(text)),
  /**
   * From this line on the voice is soft (a session that ends in sleep; without it, from its closing
   * words). A line that says "I'll speak more softly" carries it, so the words and the voice agree.
   */
  softer: z.optional(z.literal(true)),
});

/** Silence of a fixed length (the engine writes it as one or more `<break>`s of at most 10 s). */
export const PauseStep = z.strictObject({ type: z.literal('pause'), ms: millis(100, 120_000), intro: z.optional(Intro) });

/**
 * Paced breathing at the session's pace (which slows from the start to the end pace over the session).
 * `cycles: "fill"` blocks share whatever time the requested length leaves, in proportion to `weight`;
 * that is how one script serves several lengths. `cues` decides what is said on each phase:
 * "full" ("breathe in… and out"), "short" ("in… out"), or "none" (silence, the lights carry the rhythm).
 */
export const BreatheStep = z.strictObject({
  type: z.literal('breathe'),
  cycles: z.union([z.number().check(z.int(), z.gte(1), z.lte(600)), z.literal('fill')]),
  weight: z.optional(z.number().check(z.gt(0), z.lte(100))),
  cues: z.optional(z.enum(['full', 'short', 'none'])),
  /** A pause after the inhale, in ms (0 or absent: none). */
  holdMs: z.optional(millis(0, 7_000)),
  /** A fixed pace for this block in breaths a minute, instead of the session's slowing pace. */
  bpm: z.optional(z.number().check(z.gte(3), z.lte(20))),
  /**
   * What the voice does in a `cues: "none"` block when no lamps breathe along: "pace" cues every breath
   * while the pace slows, then thins out (the default for breathing sessions); "quiet" keeps the
   * silence, with one soft cue before it would pass 45 seconds (the default for every other practice).
   */
  withoutLights: z.optional(z.enum(['pace', 'quiet'])),
});

/** Breathe in while tensing one muscle group; the article asks for 3 to 7 seconds. */
export const TenseStep = z.strictObject({
  type: z.literal('tense'),
  group: z.string().check(z.minLength(1), z.maxLength(60)),
  cue: text,
  ms: millis(3_000, 7_000),
});

/** Breathe out and let the group go completely; the silence after it is for noticing. */
export const ReleaseStep = z.strictObject({
  type: z.literal('release'),
  cue: text,
  ms: millis(3_000, 15_000),
});

export const Step = z.discriminatedUnion('type', [SpeakStep, PauseStep, BreatheStep, TenseStep, ReleaseStep]);
export type Step = z.infer<typeof Step>;

export const Script = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)),
  title: z.string().check(z.minLength(1), z.maxLength(80)),
  technique: Technique,
  /** One sentence, spoken when the skill offers this session. */
  summary: text,
  /** Lengths in minutes this script is offered at; the first is the default. */
  minutes: z.array(z.number().check(z.int(), z.gte(1), z.lte(60))).check(z.minLength(1)),
  /** "sleep": the session ends in silence and the lights fade off. "awake": lights return as they were. */
  ending: z.enum(['sleep', 'awake']),
  /**
   * What the room does. "breathe" (the default): the lamps rise and fall with the breath, and a session
   * that ends in sleep brings the diffuser on. "dark": for someone woken in the middle of the night, the
   * lamps stay at their dimmest and warmest, nothing ever brightens, and the diffuser stays off.
   */
  room: z.optional(z.enum(['breathe', 'dark'])),
  steps: z.array(Step).check(z.minLength(1)),
});
export type Script = z.infer<typeof Script>;

/** "safety": oils around people and pets who may react to them, open flames, and pain that needs a doctor. */
export const FAQ_TOPICS = ['article', 'technique', 'aromatherapy', 'safety', 'skill'] as const;

export const FaqEntry = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)),
  topic: z.enum(FAQ_TOPICS),
  /** The question as a person would ask it. */
  question: text,
  /** Other ways people ask the same thing; they feed the retrieval index. */
  alternatives: z.array(text),
  /** Extra words that should find this answer (names of oils, muscle groups, …). */
  keywords: z.array(z.string().check(z.minLength(1), z.maxLength(40))),
  /** The answer as spoken: short sentences, second person, our own words. */
  answer: z.string().check(z.minLength(1), z.maxLength(900)),
});
export type FaqEntry = z.infer<typeof FaqEntry>;
