/**
 * Checks the spoken content against its schemas, and that no two scripts or answers share an id. The
 * source tree runs this when the content loads; the Lambda build runs it once at build time and ships
 * the content it accepted (scripts/build.mjs), so a cold start does not check the same fixed content
 * again. The schemas only check (no defaults, no transforms): what passes is the content as written.
 */
import { FaqEntry, Script } from './schema';

function validAll<T extends { id: string }>(what: string, parse: (input: unknown) => T, sources: readonly unknown[]): readonly T[] {
  const valid = Object.freeze(sources.map((s) => parse(s)));
  if (new Set(valid.map((v) => v.id)).size !== valid.length) throw new Error(`Two ${what} share an id`);
  return valid;
}

export function validScripts(sources: readonly unknown[]): readonly Script[] {
  return validAll('scripts', (s) => Script.parse(s), sources);
}

export function validFaq(sources: readonly unknown[]): readonly FaqEntry[] {
  return validAll('FAQ entries', (e) => FaqEntry.parse(e), sources);
}
