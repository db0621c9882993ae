import fc from 'fast-check';
import { localParts, nextOccurrence } from '../../devices/diffuser/bedtime';

const iso = (t: number) => new Date(t).toISOString();

describe('next bedtime in the home time zone', () => {
  test('an ordinary evening in London (GMT) and New York (EST)', () => {
    expect(iso(nextOccurrence('22:30', 'Europe/London', Date.UTC(2025, 0, 15, 12)))).toBe('2025-01-15T22:30:00.000Z');
    expect(iso(nextOccurrence('22:30', 'America/New_York', Date.UTC(2025, 0, 15, 12)))).toBe('2025-01-16T03:30:00.000Z');
    // Already past today: tomorrow.
    expect(iso(nextOccurrence('22:30', 'Europe/London', Date.UTC(2025, 0, 15, 22, 30)))).toBe('2025-01-16T22:30:00.000Z');
  });

  test('across the spring change the wall time stays 22:30 (BST from 30 March 2025)', () => {
    const sat = nextOccurrence('22:30', 'Europe/London', Date.UTC(2025, 2, 29, 12));
    const sun = nextOccurrence('22:30', 'Europe/London', sat);
    expect(iso(sat)).toBe('2025-03-29T22:30:00.000Z');
    expect(iso(sun)).toBe('2025-03-30T21:30:00.000Z');
    expect(sun - sat).toBe(23 * 3_600_000);
  });

  test('a time in the spring-forward gap happens once, as the clocks jump (01:30 London → 02:30 BST)', () => {
    const at = nextOccurrence('01:30', 'Europe/London', Date.UTC(2025, 2, 29, 12));
    expect(iso(at)).toBe('2025-03-30T01:30:00.000Z');
    expect(localParts(at, 'Europe/London')).toMatchObject({ day: 30, hour: 2, minute: 30 });
    expect(iso(nextOccurrence('02:30', 'America/New_York', Date.UTC(2025, 2, 9, 5)))).toBe('2025-03-09T07:30:00.000Z');
  });

  test('a time in the repeated autumn hour happens once, the first time (New York, 2 November 2025)', () => {
    const first = nextOccurrence('01:30', 'America/New_York', Date.UTC(2025, 10, 2, 0));
    expect(iso(first)).toBe('2025-11-02T05:30:00.000Z'); // 01:30 EDT
    const next = nextOccurrence('01:30', 'America/New_York', first);
    expect(iso(next)).toBe('2025-11-03T06:30:00.000Z'); // not 01:30 EST the same night
  });

  test('property: always strictly later, within 49 hours, and at the wall time unless in a gap', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(...zones), (after, h, m, tz) => {
        const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        const at = nextOccurrence(hhmm, tz, after);
        expect(at).toBeGreaterThan(after);
        expect(at - after).toBeLessThanOrEqual(49 * 3_600_000);
        const p = localParts(at, tz);
        const shifted = p.hour * 60 + p.minute - (h * 60 + m);
        expect([0, 60]).toContain(shifted);
      }),
      { numRuns: 300 },
    );
  });
});
