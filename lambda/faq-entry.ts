/**
 * The FAQ and its search index, built into a file of its own (dist/lambda/faq.js) by scripts/build.mjs
 * and required on the first question an instance is asked, so "Alexa, start wind down" never reads or
 * compiles them.
 */
import { FAQ } from '../src/content/faq';
import { createFaqMatcher, type FaqMatcher } from '../src/faq/match';

export function createMatcher(): FaqMatcher {
  return createFaqMatcher(FAQ);
}
