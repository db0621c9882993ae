/**
 * Whole numbers as people say them: "five", "twenty five", "twenty-five", "a hundred and ten", "25".
 * The one reader of number words, for the skill (a minutes slot that arrives in words) and for the
 * local run's typed utterances (what AMAZON.NUMBER would make of them). Pure: text in, number out.
 */

// Maps, not objects: a word such as "constructor" must not find something on Object.prototype.
const UNITS = new Map<string, number>(Object.entries({
  zero: 0, oh: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
}));
const TENS = new Map<string, number>(Object.entries({ twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 }));

/**
 * A whole number said in words or written in digits, from lower-case text; undefined for anything
 * else, including words that do not make one number ("five five", "twenty thirty", a lone "a").
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Hyphens join words ("twenty-five"); a sign or a digit among words is not a number said aloud.
  const words = trimmed.split(/[\s-]+/).filter((w) => w !== '' && w !== 'and');
  if (words.length === 0) return undefined;
  // "a" and "an" only count in front of "hundred" ("a hundred"), never alone.
  if (words.length === 1 && (words[0] === 'a' || words[0] === 'an')) return undefined;
  let total = 0;
  let current = 0;
  let last: 'unit' | 'ten' | 'hundred' | null = null;
  for (const word of words) {
    const unit = UNITS.get(word);
    const ten = TENS.get(word);
    if (word === 'hundred') {
      if (last === 'hundred') return undefined;
      current = (current === 0 ? 1 : current) * 100;
      last = 'hundred';
    } else if (word === 'thousand') {
      total += (current === 0 ? 1 : current) * 1000;
      current = 0;
      last = null;
    } else if (ten !== undefined) {
      if (last === 'ten' || last === 'unit') return undefined;
      current += ten;
      last = 'ten';
    } else if (unit !== undefined) {
      if (last === 'unit' || (last === 'ten' && unit >= 10)) return undefined;
      current += unit;
      last = 'unit';
    } else {
      return undefined;
    }
  }
  return total + current;
}

const DIGIT_WORDS = new Map<string, string>(Object.entries({ zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' }));

/**
 * A number said digit by digit ("four eight two nine one five") or written in groups ("482 915"), as
 * AMAZON.NUMBER joins it ("482915"): a code, not a quantity. Undefined for anything else, and for
 * fewer than three digits (those are read as a quantity by `parseNumber`).
 */
export function parseDigits(text: string): string | undefined {
  const parts = text.trim().split(/[\s-]+/).filter((w) => w !== '');
  const digits = parts.map((p) => (/^\d+$/.test(p) ? p : DIGIT_WORDS.get(p)));
  if (digits.some((d) => d === undefined)) return undefined;
  const joined = digits.join('');
  return joined.length >= 3 ? joined : undefined;
}
