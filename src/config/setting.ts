/**
 * One setting, read in one step: a small parse function that turns what was written into the value the
 * program uses, or says it cannot. Each setting carries its own plain-words expectation, so a problem
 * reads "expected whole minutes from 1 to 240", never the validator's "expected number, received
 * string". The settings are zod schemas, so a program's settings are one `z.object` and their types
 * come from it.
 */
import * as z from 'zod/mini';
import { HomeId } from '../protocol/messages';
import { homeKeyWeakness, parseHomeKey } from '../protocol/signing';
import { RESERVED_HOME_IDS } from '../protocol/topics';

/** What a parse function returns for a value it cannot use. */
export const BAD = Symbol('bad setting');
/** A value it cannot use, with a more precise expectation than the setting's own. */
export class Expected {
  constructor(readonly expected: string) {}
}
export type Parse<T> = (input: unknown) => T | typeof BAD | Expected;

function setting<T, U>(expected: string, parse: Parse<T>, absent: (ctx: z.core.ParsePayload) => U) {
  return z.transform((input: unknown, ctx): T | U => {
    if (input === undefined) return absent(ctx);
    const value = parse(input);
    if (value === BAD || value instanceof Expected) {
      ctx.issues.push({ code: 'custom', message: `expected ${value instanceof Expected ? value.expected : expected}`, input });
      return z.NEVER;
    }
    return value;
  });
}

/** A setting that may be left out (then undefined, and its key optional in the settings' type). */
export function optional<T>(expected: string, parse: Parse<T>) {
  return z.optional(setting(expected, parse, () => undefined));
}

/** A setting with a default for when it is left out. */
export function withDefault<T>(expected: string, parse: Parse<T>, fallback: T) {
  return setting(expected, parse, () => fallback);
}

/** A setting that must be given; `because` says with what, when that is not obvious. */
export function required<T>(expected: string, parse: Parse<T>, because = '') {
  return setting(expected, parse, (ctx): T => {
    ctx.issues.push({ code: 'custom', message: `is required${because ? ` ${because}` : ''}: ${expected}`, input: undefined });
    return z.NEVER;
  });
}

/** Text with its surrounding spaces removed; empty text counts as not given. */
export const text: Parse<string> = (input) => (typeof input === 'string' && input.trim() !== '' ? input.trim() : BAD);

/** Text exactly as written (a password may begin or end with a space). */
export const verbatim: Parse<string> = (input) => (typeof input === 'string' && input !== '' ? input : BAD);

/** A whole number from `min` to `max`, written as digits or (in a JSON file) as a number. */
export function wholeNumber(min: number, max: number): Parse<number> {
  return (input) => {
    const value = typeof input === 'number' ? input : typeof input === 'string' && /^\s*-?\d+\s*$/.test(input) ? Number(input) : NaN;
    return Number.isInteger(value) && value >= min && value <= max ? value : BAD;
  };
}

/** One of a fixed list of words. */
export function oneOf<const T extends string>(choices: readonly T[]): Parse<T> {
  return (input) => (typeof input === 'string' && (choices as readonly string[]).includes(input.trim()) ? (input.trim() as T) : BAD);
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** On or off: 1/0, true/false, yes/no, on/off, or a JSON boolean. */
export const flag: Parse<boolean> = (input) => {
  if (typeof input === 'boolean') return input;
  if (typeof input !== 'string') return BAD;
  const word = input.trim().toLowerCase();
  return TRUE.includes(word) ? true : FALSE.includes(word) ? false : BAD;
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const logLevel = oneOf(LOG_LEVELS);
export const LOG_LEVEL_EXPECTED = `one of ${LOG_LEVELS.join(', ')}`;

export const HOME_ID_EXPECTED = `this home's id (letters, digits, _ and -, up to 64; not a name the topics use: ${RESERVED_HOME_IDS.join(', ')})`;
export const homeId: Parse<string> = (input) => (typeof input === 'string' && HomeId.safeParse(input.trim()).success ? input.trim() : BAD);

export const HOME_KEY_EXPECTED = "this home's key: 64 hex digits (`npx winddown key` prints a new one)";

/** A well-formed key that must not be used, in words that name the weakness and never the key. */
export function weakKeyExpected(weakness: string): string {
  return `a key made at random (\`npx winddown key\` prints one), not ${weakness}`;
}

/** The key that signs this home's commands, as lowercase hex; a secret, never shown back. Weak keys are refused. */
export const homeKey: Parse<string> = (input) => {
  const key = typeof input === 'string' ? parseHomeKey(input.trim()) : null;
  if (key === null) return BAD;
  const weakness = homeKeyWeakness(key);
  return weakness === null ? key.toString('hex') : new Expected(weakKeyExpected(weakness));
};
