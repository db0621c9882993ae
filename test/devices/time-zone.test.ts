/**
 * The bridge reads local time by switching `process.env.TZ`, which jest's sandboxed `process.env`
 * cannot do, so that path runs here in a plain Node child process, and must agree with Intl (the
 * reference, and what runs under jest) on every instant, zone and DST edge.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { localFieldsByIntl, isTimeZone } from '../../devices/diffuser/time-zone';
import { nextOccurrence } from '../../devices/diffuser/bedtime';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'UTC', 'Africa/Abidjan', 'Europe/Berlin', 'America/Los_Angeles'];

/** Runs `script` (with `bridge` bound to devices/diffuser/time-zone and devices/diffuser/bedtime) in plain Node. */
function inPlainNode<T>(script: string, input: unknown): T {
  const root = path.join(__dirname, '../..');
  const bundle = buildSync({
    stdin: { contents: "export * from './devices/diffuser/time-zone'; export { nextOccurrence } from './devices/diffuser/bedtime';", resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  }).outputFiles[0]!.text;
  const program = `const bridge = (() => { const module = { exports: {} }; (function (module, exports) { ${bundle}\n })(module, module.exports); return module.exports; })();
const input = JSON.parse(process.argv[1]);
process.stdout.write(JSON.stringify((${script})(input)));`;
  // The child runs in a zone of its own, so a switch that failed to put it back would show.
  const env = { PATH: process.env.PATH ?? '', TZ: 'America/New_York' };
  return JSON.parse(execFileSync(process.execPath, ['-e', program, JSON.stringify(input)], { env, encoding: 'utf8' })) as T;
}

describe('local time without Intl', () => {
  test('switching TZ agrees with Intl on random instants in zones with odd offsets and DST', () => {
    const cases = fc.sample(fc.tuple(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom(...ZONES)), { numRuns: 400, seed: 42 });
    // The DST edges themselves, to the minute, in London and New York.
    for (const at of [Date.UTC(2025, 2, 30, 0, 59), Date.UTC(2025, 2, 30, 1, 0), Date.UTC(2025, 9, 26, 0, 59), Date.UTC(2025, 9, 26, 1, 0), Date.UTC(2025, 2, 9, 6, 59), Date.UTC(2025, 2, 9, 7, 0), Date.UTC(2025, 10, 2, 5, 59), Date.UTC(2025, 10, 2, 6, 0)]) {
      cases.push([at, 'Europe/London'], [at, 'America/New_York']);
    }
    const bySwitch = inPlainNode<unknown[]>('(cases) => cases.map(([at, zone]) => bridge.localFieldsBySwitch(at, zone))', cases);
    expect(bySwitch).toEqual(cases.map(([at, zone]) => localFieldsByIntl(at, zone)));
  });

  test('the bedtime computed in plain Node is the one Intl computes', () => {
    const cases = fc.sample(fc.tuple(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })), { numRuns: 200, seed: 7 });
    const hhmm = (h: number, m: number): string => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    const inNode = inPlainNode<number[]>('(cases) => cases.map(([after, zone, h, m]) => bridge.nextOccurrence(String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0"), zone, after))', cases);
    expect(inNode).toEqual(cases.map(([after, zone, h, m]) => nextOccurrence(hhmm(h, m), zone, after)));
  });

  test('time zone names: real ones pass, made-up ones do not, in plain Node and under Intl alike', () => {
    const names = ['Europe/London', 'UTC', 'Etc/UTC', 'GMT', 'Asia/Kolkata', 'Africa/Abidjan', 'America/Argentina/Buenos_Aires', 'Mars/Olympus', 'Europe/Londn', 'Foo', '', ' UTC', 'Europe/London; rm -rf'];
    const inNode = inPlainNode<boolean[]>('(names) => names.map((n) => bridge.isTimeZone(n))', names);
    const expected = [true, true, true, true, true, true, true, false, false, false, false, false, false];
    expect(inNode).toEqual(expected);
    expect(names.map((n) => isTimeZone(n))).toEqual(expected);
  });

  test('the switch leaves the process in its own zone afterwards', () => {
    const zone = inPlainNode<{ before: number; after: number }>('() => { const before = new Date(0).getTimezoneOffset(); bridge.localFieldsBySwitch(0, "Asia/Kolkata"); return { before, after: new Date(0).getTimezoneOffset() }; }', null);
    expect(zone.before).toBe(300);
    expect(zone.after).toBe(300);
  });
});
