/**
 * The one reader of number words: what the local run makes of a typed number, and what the skill
 * accepts in its minutes slot.
 */
import { parseMinutes } from '../../lambda/handlers/session';
import { parseNumber } from '../../src/spoken/numbers';

describe('parseNumber', () => {
  it.each([
    ['five', 5], ['twenty five', 25], ['a hundred and ten', 110], ['12', 12], ['ninety', 90],
    ['twenty-five', 25], ['sixty', 60], ['nineteen', 19], ['zero', 0], ['two thousand and five', 2005], ['one hundred', 100],
  ])('number "%s" = %d', (text, n) => expect(parseNumber(text)).toBe(n));

  it.each(['banana', 'five five', 'a', '', 'twenty thirty', 'twenty twelve', 'hundred hundred', 'constructor', 'five toString', '1.5', '-3'])(
    '"%s" is not a number',
    (text) => expect(parseNumber(text)).toBeUndefined(),
  );
});

describe("the skill's minutes slot", () => {
  it.each([
    ['10', 10], ['twenty five', 25], ['Twenty-Five', 25], [' 15 ', 15], ['two hundred and forty', 240], ['seventy', 70],
  ])('"%s" is %d minutes', (value, minutes) => expect(parseMinutes(value)).toBe(minutes));

  it.each([undefined, '?', '', '0', 'zero', '241', 'five five', 'soon'])('%p is no length', (value) => expect(parseMinutes(value)).toBeUndefined());
});
