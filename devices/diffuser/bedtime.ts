/**
 * The next moment a wall-clock time (HH:MM) happens in a time zone, DST-safe. On the spring-forward
 * day a time inside the gap (02:30 in Europe/London on the last Sunday of March) does not exist: it
 * happens when the clocks jump, at the same distance after it (03:30 local). On the fall-back day a
 * time in the repeated hour happens twice: only the first counts.
 */
import { localFields, type LocalFields } from './time-zone';

/** Local calendar fields of an instant in `timeZone`. */
export function localParts(at: number, timeZone: string): LocalFields {
  return localFields(at, timeZone);
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffset(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The first instant on local date y-m-d at hh:mm, resolving a DST gap forward. */
export function localTimeOn(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const before = zoneOffset(naive - 86_400_000 / 2, timeZone);
  const after = zoneOffset(naive + 86_400_000 / 2, timeZone);
  const candidates = [naive - before, naive - after].filter((t) => {
    const p = localParts(t, timeZone);
    return p.hour === hour && p.minute === minute && p.day === new Date(naive).getUTCDate();
  });
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: the wall clock skipped this time; it "happens" as the clocks jump, shifted by the gap.
  return naive - before;
}

/** The next instant strictly after `after` at which the local time is `hhmm` (one per local day). */
export function nextOccurrence(hhmm: string, timeZone: string, after: number): number {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const today = localParts(after, timeZone);
  for (let k = 0; k < 3; k++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    const at = localTimeOn(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, timeZone);
    if (at > after) return at;
  }
  throw new Error(`no ${hhmm} in ${timeZone} after ${new Date(after).toISOString()}`);
}
