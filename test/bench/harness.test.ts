/**
 * The benchmark's own arithmetic: percentiles, PASS/FAIL against a target, matching Hue commands to
 * breath steps and counting commands per second. A wrong number here would make every figure wrong.
 */
import { matchSteps, peakPerSecond } from '../../bench/lib/hue';
import { figure, renderTable } from '../../bench/lib/report';
import { median, percentile, summarize } from '../../bench/lib/stats';
import type { HueCommand } from '../../local/simulators/hue-emulator';
import type { LightStep } from '../../src/protocol/messages';

const light = (at: number, bri: number, id = '1'): HueCommand => ({ at, kind: 'light', id, body: { bri, transitiontime: 20 } });
const group = (at: number, bri: number): HueCommand => ({ at, kind: 'group', id: '1', body: { bri, transitiontime: 20 } });

describe('stats', () => {
  test('nearest-rank percentiles and the median', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([5], 99)).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarize([]).n).toBe(0);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe('report', () => {
  test('a figure passes or fails on the statistic its target names', () => {
    const summary = summarize([1, 1, 1, 1, 9]);
    expect(figure({ id: 'a', figure: 'a', unit: 'ms', summary, target: { on: 'p99', max: 5 } }).status).toBe('FAIL');
    expect(figure({ id: 'a', figure: 'a', unit: 'ms', summary, target: { on: 'median', max: 5 } }).status).toBe('PASS');
    expect(figure({ id: 'b', figure: 'b', unit: 'KB', value: 551, target: { on: 'value', max: 550 } }).status).toBe('FAIL');
    expect(figure({ id: 'c', figure: 'c', unit: 'ms', summary }).status).toBe('INFO');
  });

  test('a sample a run was too short to fill is neither a pass nor a fail, and says so', () => {
    const empty = figure({ id: 'd', figure: 'd', unit: 'ms', summary: summarize([]), target: { on: 'p99', max: 50 }, notes: '0 steps after the first' });
    expect(empty.status).toBe('SKIP');
    expect(empty.notes).toBe('no samples in this run; 0 steps after the first');
    // A forced status still wins: a broken invariant is a failure however little was measured.
    expect(figure({ id: 'e', figure: 'e', unit: 'ms', summary: summarize([]), target: { on: 'p99', max: 50 }, status: 'FAIL' }).status).toBe('FAIL');
  });

  test('the table has one row per figure and the target in words', () => {
    const table = renderTable([figure({ id: 'x', figure: 'bundle', unit: 'KB', value: 500, target: { on: 'value', max: 550 } })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/\| bundle .*\| 500 KB .*\| ≤ 550 KB .*\| PASS/);
  });
});

describe('matching Hue commands to breath steps', () => {
  const steps: LightStep[] = [
    [0, 200, 4000, 'inhale'],
    [4000, 30, 6000, 'exhale'],
    [10_000, 200, 4000, 'inhale'],
    [14_000, 30, 6000, 'exhale'],
  ];
  const base = 1_000_000;

  test('errors are measured per command from its step deadline; the first step is reported apart', () => {
    const m = matchSteps([light(base + 300, 200), light(base + 4005, 30), light(base + 10_012, 200)], steps, base, base, base + 12_000, 1);
    expect(m.firstLag).toBe(300);
    expect(m.errors).toEqual([5, 12]);
    expect(m.missed).toBe(0);
    expect(m.unmatched).toBe(0);
  });

  test('a step no command carried is missed; a brightness no step has is unmatched', () => {
    const m = matchSteps([light(base + 2, 200), light(base + 10_001, 200), light(base + 10_500, 77)], steps, base, base, base + 16_000, 1);
    expect(m.missed).toBe(2);
    expect(m.unmatched).toBe(1);
  });

  test('per-light fan-out: the last lamp decides how far behind a step is', () => {
    const m = matchSteps(
      [light(base, 200, '1'), light(base + 4001, 30, '1'), light(base + 4061, 30, '2'), light(base + 4121, 30, '3')],
      steps,
      base,
      base,
      base + 5000,
      3,
    );
    expect(m.lastLamp).toEqual([121]);
    expect(m.missed).toBe(1); // the first step reached one lamp of three
  });

  test('peak commands per second uses a one-second window', () => {
    expect(peakPerSecond([light(0, 1), light(500, 1), light(999, 1), light(1000, 1)], 'light')).toBe(3);
    expect(peakPerSecond([group(0, 1), group(1000, 1), group(2000, 1)], 'group')).toBe(1);
    expect(peakPerSecond([group(0, 1)], 'light')).toBe(0);
  });
});
