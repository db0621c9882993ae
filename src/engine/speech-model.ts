/**
 * How long Alexa takes to say something, estimated without calling Alexa.
 *
 * The model: Alexa's neural voice reads plain prose at about 155 words a minute at `rate="100%"`;
 * the prosody rate scales that linearly (90 % → about 140 words a minute). On top of the words, the
 * voice pauses about 350 ms at the end of a sentence (. ! ? …) and about 150 ms at a comma, colon or
 * semicolon, also scaled by the rate. The result is rounded up to 100 ms, the plan's time unit.
 *
 * Cues inside breath phases are one or two words, so an error here shifts a light command by tens of
 * milliseconds, not seconds; longer passages are not breath-aligned at all.
 */
export const WORDS_PER_MINUTE_AT_FULL_RATE = 155;
export const SENTENCE_PAUSE_MS = 350;
export const CLAUSE_PAUSE_MS = 150;

const SENTENCE_END = /[.!?…]+(?=\s|$)/g;
const CLAUSE_END = /[,;:](?=\s|$)/g;

export function countWords(text: string): number {
  const words = text.trim().split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length;
}

export function estimateSpeechMs(text: string, ratePercent: number): number {
  if (!(ratePercent >= 20)) throw new RangeError(`prosody rate must be at least 20 %, got ${ratePercent}`);
  const scale = 100 / ratePercent;
  const words = countWords(text);
  if (words === 0) return 0;
  const wordMs = (60_000 / WORDS_PER_MINUTE_AT_FULL_RATE) * scale;
  const sentences = text.match(SENTENCE_END)?.length ?? 0;
  const clauses = text.match(CLAUSE_END)?.length ?? 0;
  const ms = words * wordMs + (sentences * SENTENCE_PAUSE_MS + clauses * CLAUSE_PAUSE_MS) * scale;
  return roundUpTo100(ms);
}

export function roundUpTo100(ms: number): number {
  return Math.ceil(ms / 100) * 100;
}

export function roundTo100(ms: number): number {
  return Math.round(ms / 100) * 100;
}
