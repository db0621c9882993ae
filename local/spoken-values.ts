/**
 * What Alexa's built-in slot types turn spoken words into, for the typed utterances of the local run:
 * AMAZON.NUMBER (read by src/spoken/numbers) and AMAZON.TIME ("ten thirty p.m." → "22:30",
 * "tonight" → "NI"). Pure functions over normalised text (lower case, no punctuation but ":").
 */
import { parseNumber } from '../src/spoken/numbers';

/** Alexa's vague AMAZON.TIME values: the skill must ask rather than guess. */
const VAGUE: Record<string, string> = {
  night: 'NI', tonight: 'NI', 'at night': 'NI', 'in the night': 'NI',
  evening: 'EV', 'this evening': 'EV', 'in the evening': 'EV',
  morning: 'MO', 'this morning': 'MO', 'in the morning': 'MO',
  afternoon: 'AF', 'this afternoon': 'AF', 'in the afternoon': 'AF',
};

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A time of day as AMAZON.TIME gives it: "HH:MM" (24-hour; without a.m./p.m. the hour stays as said,
 * like Alexa), or NI/EV/MO/AF for vague answers. Accepts "ten thirty p.m.", "10:30 pm", "10 pm",
 * "half past ten at night", "quarter to eleven", "eleven o'clock", "midnight", "noon".
 */
export function parseTime(text: string): string | undefined {
  let t = ` ${text.trim().replace(/\s+/g, ' ')} `;
  // Own keys only: "constructor" is not a time.
  const vague = Object.hasOwn(VAGUE, t.trim()) ? VAGUE[t.trim()] : undefined;
  if (vague) return vague;
  if (t.trim() === 'midnight') return '00:00';
  if (t.trim() === 'noon' || t.trim() === 'midday') return '12:00';

  let meridiem: 'am' | 'pm' | null = null;
  const suffixes: [RegExp, 'am' | 'pm'][] = [
    [/ (p m|pm|in the evening|at night|in the night|tonight|this evening)\s*$/, 'pm'],
    [/ (a m|am|in the morning|this morning)\s*$/, 'am'],
    [/ in the afternoon\s*$/, 'pm'],
  ];
  for (const [pattern, value] of suffixes) {
    if (pattern.test(t)) {
      meridiem = value;
      t = t.replace(pattern, ' ');
      break;
    }
  }
  t = t.replace(/ o ?clock /, ' ').trim();

  let hour: number | undefined;
  let minute = 0;
  const digits = /^(\d{1,2})(?::(\d{2}))?$/.exec(t);
  const relative = /^(?:(a )?(quarter|half|[a-z -]+|\d{1,2}) (past|after|to|till|before) )(.+)$/.exec(t);
  if (digits) {
    hour = Number(digits[1]);
    minute = digits[2] === undefined ? 0 : Number(digits[2]);
  } else if (relative) {
    const amount = relative[2] === 'quarter' ? 15 : relative[2] === 'half' ? 30 : parseNumber(relative[2]!.replace(/ minutes?$/, ''));
    const base = parseNumber(relative[4]!);
    if (amount === undefined || base === undefined || amount >= 60) return undefined;
    if (relative[3] === 'past' || relative[3] === 'after') {
      hour = base;
      minute = amount;
    } else {
      hour = base === 0 ? 23 : base - 1;
      minute = 60 - amount;
    }
  } else {
    // "ten thirty", "ten oh five", "eleven fifteen", "ten": the hour is the first number word.
    const words = t.split(' ');
    for (let split = 1; split <= words.length; split++) {
      const h = parseNumber(words.slice(0, split).join(' '));
      const rest = words.slice(split).join(' ');
      const m = rest === '' ? 0 : parseNumber(rest.replace(/^oh /, ''));
      if (h !== undefined && m !== undefined && h <= 24 && m < 60) {
        hour = h;
        minute = m;
        break;
      }
    }
  }
  if (hour === undefined || hour > 24 || minute > 59) return undefined;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour === 24) hour = 0;
  return `${pad(hour)}:${pad(minute)}`;
}
