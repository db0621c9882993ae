/**
 * Sentences that more than one piece of content must say in exactly the same words.
 */

/** Said once wherever pain comes up: in the back-friendly session and in answers that mention pain. */
export const NOT_MEDICAL_ADVICE = "This isn't medical advice, and if pain persists, please see a clinician.";
