/** Scoring an answer the way the practice file and the held-out set define "right". */
import { FAQ } from '../../src/content/faq';
import { answerQuestion, type Answer } from '../../src/faq/answer';
import { createFaqMatcher } from '../../src/faq/match';

export const matcher = createFaqMatcher(FAQ);

export function ask(question: string, locale = 'en-US'): Answer {
  return answerQuestion(question, locale, matcher);
}

/** The words said back, or "I'm not sure" for a miss (the skill's own opening then). */
export function spoken(answer: Answer): string {
  return answer.kind === 'miss' ? "I'm not sure" : answer.text;
}

export function matchesAll(text: string, patterns: readonly string[]): boolean {
  return patterns.every((p) => new RegExp(p, 'i').test(text));
}

export function percent(right: number, total: number): string {
  return `${right}/${total} (${((100 * right) / total).toFixed(1)} %)`;
}
