/**
 * The team's shared practice questions (`faq-practice.json` in the `shared/` folder beside the checkout,
 * or the file WINDDOWN_FAQ_PRACTICE names): a development set. The accuracy is printed and held above a
 * floor; the held-out set (held-out.test.ts) is what the FAQ is judged on. A checkout without the
 * shared folder skips this file and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ask, matchesAll, percent, spoken } from './accuracy';

const PRACTICE = process.env.WINDDOWN_FAQ_PRACTICE ?? path.resolve(__dirname, '../../../shared/faq-practice.json');
const present = existsSync(PRACTICE);
if (!present) console.log(`FAQ practice: skipped, no practice questions at ${PRACTICE}`);

interface Practice {
  answer: { q: string; expect: string[] }[];
  decline: string[];
}

(present ? describe : describe.skip)('the practice questions', () => {
  const practice = (present ? JSON.parse(readFileSync(PRACTICE, 'utf8')) : { answer: [], decline: [] }) as Practice;

  it('are answered right at least 90 % of the time, and the others are declined', () => {
    const wrong: string[] = [];
    for (const { q, expect: patterns } of practice.answer) {
      const text = spoken(ask(q));
      if (text.startsWith("I'm not sure") || !matchesAll(text, patterns)) wrong.push(q);
    }
    const declinedWrongly = practice.decline.filter((q) => ask(q).kind !== 'miss');
    const right = practice.answer.length - wrong.length;
    console.log(`FAQ practice: answered right ${percent(right, practice.answer.length)}; declined ${percent(practice.decline.length - declinedWrongly.length, practice.decline.length)}${wrong.length ? `; wrong: ${wrong.join(' | ')}` : ''}`);
    expect(right / practice.answer.length).toBeGreaterThanOrEqual(0.9);
    expect(declinedWrongly).toEqual([]);
  });
});
