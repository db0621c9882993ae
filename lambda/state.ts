/**
 * What the skill remembers. Persistent (per user, across sessions): the bedtime and the place in the
 * current wind-down session, so "continue" and "resume" never lose it. Session attributes (per Alexa
 * session): whether the lights notice was given, and what a "yes" would answer.
 *
 * A session is stored as what is needed to rebuild its plan (the engine is pure and deterministic:
 * same script and length, same plan), never as the plan itself.
 */
import * as z from 'zod/mini';
import { ClockTime, HomeId, SessionId } from '../src/protocol/messages';
import { PairingId } from '../src/protocol/pairing';

export const StoredSession = z.object({
  id: SessionId,
  scriptId: z.string(),
  minutes: z.number(),
  /** playing: a part was sent; paused: stopped by Pause, resumable; ended: stopped or finished. */
  status: z.enum(['playing', 'paused', 'ended']),
  /** The part last spoken: its plan range, when its `partFromMs` was expected to be heard, and if it was the last. */
  partFromMs: z.number(),
  partUntilMs: z.number(),
  partStartAt: z.number(),
  final: z.boolean(),
  /** Where Pause left it (plan offset). */
  pausedAtMs: z.optional(z.number()),
  /** How its plan was shaped (absent in sessions stored before: the full, light-led plan). */
  introduction: z.optional(z.enum(['full', 'short'])),
  voiceOnly: z.optional(z.boolean()),
  /** Started in the night: it stays dark when resumed or repeated. */
  room: z.optional(z.literal('dark')),
  updatedAt: z.number(),
});
export type StoredSession = z.infer<typeof StoredSession>;

/**
 * Hosted mode: the home this user paired by voice, and the key of this pairing (64 hex digits), named
 * by its id in every command. Pairings made before pairings had keys of their own have no id: they
 * hold the home's own key, which `winddown unpair --all` replaces.
 */
export const PairedHome = z.object({ id: HomeId, key: z.string().check(z.regex(/^[0-9a-f]{64}$/)), keyId: z.optional(PairingId) });
export type PairedHome = z.infer<typeof PairedHome>;

export const PersistedState = z.object({
  bedtime: z.optional(z.nullable(ClockTime)),
  /** The bedtime was saved while the home could not be reached: send it with the next message. */
  bedtimeUnsent: z.optional(z.boolean()),
  session: z.optional(z.nullable(StoredSession)),
  /** Scripts this listener has heard with their full instructions: next time, a short lead. */
  introduced: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(64))),
  /** false: "don't use the diffuser with my sessions" (nor at bedtime). */
  diffuserWithSessions: z.optional(z.boolean()),
  /** The essential-oil safety line has been said (once, the first time the diffuser came on). */
  oilSafetyGiven: z.optional(z.boolean()),
  /** The care line for the diffuser that comes on by itself has been said (once, at the first bedtime with it). */
  bedtimeCareGiven: z.optional(z.boolean()),
  /** Hosted mode: this user's home; null once they said "forget my home". */
  home: z.optional(z.nullable(PairedHome)),
  /** Hosted mode: the hint how to pair has been said (once, to a user with no home). */
  pairHintGiven: z.optional(z.boolean()),
  /** The daily wind-down reminder in the Alexa Reminders API: one per person, so asking again moves it. */
  reminder: z.optional(
    z.nullable(
      z.object({
        alertToken: z.string().check(z.minLength(1), z.maxLength(512)),
        time: ClockTime,
        /** Set from the bedtime, this many minutes before it ("remind me at my bedtime": 0): it moves with the bedtime. */
        beforeBedtime: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1439))),
      }),
    ),
  ),
  /** The reminder was offered after a bedtime was set (once, whatever the answer). */
  reminderOffered: z.optional(z.boolean()),
});
export type PersistedState = z.infer<typeof PersistedState>;

/**
 * Older or damaged attributes are not an error at bedtime: keep every field that parses, drop the
 * rest (a damaged session must not lose the bedtime or the "no diffuser" choice).
 */
export function readPersisted(raw: unknown): PersistedState {
  const parsed = PersistedState.safeParse(raw);
  if (parsed.success) return parsed.data;
  const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(PersistedState.def.shape)) {
    const field = schema.safeParse(loose[key]);
    if (field.success && field.data !== undefined) kept[key] = field.data;
  }
  return kept;
}

/** A paused or unfinished session older than this is not resumed; a new night starts afresh. */
export const SESSION_MEMORY_MS = 12 * 3_600_000;

export type PendingQuestion = 'offer-session' | 'offer-help' | 'offer-reminder';

export interface SessionAttributes {
  /** The "couldn't reach your lights" notice was given in this Alexa session. */
  homeNoticeGiven?: boolean;
  /** What the last question asked, so Yes and No know what they answer. */
  pending?: PendingQuestion;
  /** The last short reply (not a session part), for Repeat. */
  lastSpeech?: string;
  /** The time for a reminder was asked for once in this Alexa session: a second miss is not asked again. */
  reminderTimeAsked?: boolean;
}
