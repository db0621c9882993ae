/**
 * A question, as heard, to what is said back: safety first (an emergency, a crisis, a sign to see a
 * doctor soon, in the listener's locale), then the FAQ, then an honest miss. One function, so the
 * skill and the tests that measure the FAQ answer exactly the same way.
 *
 * Pure: the matcher is built by the caller.
 */
import { safetyReply, triage, type Tier } from '../safety/triage';
import type { FaqMatcher } from './match';

export type Answer =
  | { kind: Tier; sign: string; text: string }
  | { kind: 'faq'; id: string; text: string }
  | { kind: 'miss' };

export function answerQuestion(question: string, locale: string, matcher: FaqMatcher): Answer {
  const found = triage(question);
  if (found !== null) return { kind: found.tier, sign: found.sign, text: safetyReply(found.tier, locale) };
  const match = matcher.match(question);
  return match === null ? { kind: 'miss' } : { kind: 'faq', id: match.entry.id, text: match.entry.answer };
}
