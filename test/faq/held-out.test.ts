/**
 * Night and safety questions the FAQ was not written from (held-out-questions.ts). At least 90 % are
 * answered right; an emergency or a crisis is never missed, in any locale.
 */
import { HELD_OUT } from './held-out-questions';
import { ask, matchesAll, percent } from './accuracy';

describe('held-out night and safety questions', () => {
  it('are answered right at least 90 % of the time', () => {
    const wrong: string[] = [];
    for (const h of HELD_OUT) {
      const answer = ask(h.q);
      const right = answer.kind === h.kind && (answer.kind === 'miss' || matchesAll(answer.text, h.expect ?? []));
      if (!right) wrong.push(`${h.q} (${answer.kind})`);
    }
    console.log(`FAQ held-out: ${percent(HELD_OUT.length - wrong.length, HELD_OUT.length)}${wrong.length ? `; wrong: ${wrong.join(' | ')}` : ''}`);
    expect((HELD_OUT.length - wrong.length) / HELD_OUT.length).toBeGreaterThanOrEqual(0.9);
  });

  const urgent = HELD_OUT.filter((h) => h.kind === 'emergency' || h.kind === 'crisis');

  it.each(urgent.map((h) => [h.q, h.kind] as const))('never misses %p (%s)', (q, kind) => {
    expect(ask(q).kind).toBe(kind);
  });

  it('names the emergency number and the crisis line of each locale', () => {
    const emergency = urgent.find((h) => h.kind === 'emergency')!.q;
    const crisis = urgent.find((h) => h.kind === 'crisis')!.q;
    const lines: [string, RegExp, RegExp][] = [
      ['en-US', /nine one one/, /nine eight eight/],
      ['en-CA', /nine one one/, /nine eight eight/],
      ['en-GB', /nine nine nine/, /Samaritans[^.]*one one six, one two three/],
      ['en-AU', /triple zero/, /Lifeline[^.]*thirteen, eleven, fourteen/],
      ['en-IN', /one one two/, /Tele MANAS[^.]*one four four one six/],
    ];
    for (const [locale, number, line] of lines) {
      const e = ask(emergency, locale);
      expect(e.kind === 'emergency' && number.test(e.text) && /call emergency services now/i.test(e.text)).toBe(true);
      const c = ask(crisis, locale);
      expect(c.kind === 'crisis' && line.test(c.text)).toBe(true);
    }
  });
});
