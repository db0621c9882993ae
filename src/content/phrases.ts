/**
 * Sentences that more than one piece of content must say in exactly the same words.
 */

/** Said once wherever pain comes up: in the back-friendly session and in answers that mention pain. */
export const NOT_MEDICAL_ADVICE = "This isn't medical advice, and if pain persists, please see a doctor.";

/**
 * How to stop the diffuser that comes on by itself at bedtime: the last words of every oil-safety
 * answer. "Stop using the diffuser" is a sample of NoDiffuserIntent, which switches it off now and
 * keeps it off with sessions and at bedtime.
 */
export const DIFFUSER_OFF_HOW = 'To turn the diffuser off, now and at bedtime, say: Alexa, tell wind down to stop using the diffuser.';
