/**
 * The soak's matcher on hand-made nights: a breath step that left just before the bridge had the stop
 * is neither lost nor duplicated; a breath command after the end command, or one carrying a step due
 * well after the stop, is counted and described; a session stopped before it touched the lamp owes no
 * end command.
 */
import type { HueCommand } from '../../local/simulators/hue-emulator';
import { analyse, STOP_RACE_MS, type HomeRecord } from '../../bench/lib/soak-analysis';
import type { LightStep } from '../../src/protocol/messages';

const BASE = 1_000_000;
const steps: LightStep[] = [
  [0, 200, 4000, 'inhale'],
  [4000, 30, 4000, 'exhale'],
  [8000, 200, 4000, 'inhale'],
  [12_000, 30, 4000, 'exhale'],
];

function night(cutoff: number, commands: Omit<HueCommand, 'kind' | 'id'>[]): ReturnType<typeof analyse> {
  const home: HomeRecord = {
    index: 0,
    homeId: 'soak-0',
    sessions: [{ startAt: BASE, base: BASE, steps, cutoff, how: 'stopped' }],
    diffuser: [],
    published: { 'session.start': 1, 'session.stop': 1 },
    noise: {},
  };
  const hue: HueCommand[] = commands.map((c) => ({ ...c, kind: 'light', id: '1' }));
  return analyse([home], hue, [[]], [{ accepted: { 'session.start': 1, 'session.stop': 1 }, dropped: {} }]);
}

const row = (report: ReturnType<typeof analyse>, what: string) => report.rows.find((r) => r.what === what);
const fade = { on: false, transitiontime: 600 };

function plugNight(sent: { on: boolean; sentAt: number }[], received: { at: number; payload: string }[]): ReturnType<typeof analyse> {
  const home: HomeRecord = { index: 0, homeId: 'soak-0', sessions: [], diffuser: sent, published: {}, noise: {} };
  return analyse([home], [], [received.map((r) => ({ ...r, topic: 'cmnd/soak-0/POWER' }))], [{ accepted: {}, dropped: {} }]);
}

describe('soak matcher', () => {
  test("the OFF a bridge sends its plug as it starts is its own row, not a diffuser switch the skill's side sent", () => {
    const report = plugNight(
      [
        { on: true, sentAt: BASE + 1000 },
        { on: false, sentAt: BASE + 5000 },
      ],
      [
        { at: BASE, payload: 'OFF' },
        { at: BASE + 1010, payload: 'ON' },
        { at: BASE + 5010, payload: 'OFF' },
      ],
    );
    expect(row(report, 'plug sent OFF at bridge start')).toMatchObject({ expected: 1, seen: 1, lost: 0, duplicated: 0 });
    expect(row(report, 'diffuser switches at plug')).toMatchObject({ expected: 2, seen: 2, lost: 0, duplicated: 0, late: 0 });
  });

  test('a bridge that never switched its plug off at start is counted as lost', () => {
    const report = plugNight([{ on: true, sentAt: BASE + 1000 }], [{ at: BASE + 1010, payload: 'ON' }]);
    expect(row(report, 'plug sent OFF at bridge start')).toMatchObject({ expected: 1, seen: 0, lost: 1 });
    expect(row(report, 'diffuser switches at plug')).toMatchObject({ expected: 1, lost: 0 });
  });

  test('a step due just after the stop was published, sent before the bridge had the stop and followed by the end, is neither lost nor duplicated', () => {
    // The stop is published 5 ms before step 2's deadline; the bridge hands step 2 over 8 ms early, before the stop reaches it.
    const cutoff = BASE + 8000 - 5;
    const report = night(cutoff, [
      { at: BASE, body: { on: true, bri: 200, ct: 454, transitiontime: 40 } },
      { at: BASE + 4000, body: { bri: 30, transitiontime: 40 } },
      { at: BASE + 8000, body: { bri: 200, transitiontime: 40 } },
      { at: BASE + 8060, body: fade },
    ]);
    expect(row(report, 'breath steps at Hue')).toMatchObject({ expected: 2, lost: 0, duplicated: 0 });
    expect(row(report, 'session ends (fade-off)')).toMatchObject({ expected: 1, seen: 1, lost: 0, duplicated: 0 });
    expect(report.notes.join('\n')).toMatch(/1 breath steps due within 150 ms after a stop/);
  });

  test('a breath command after the end command is a duplicate, described with its session, step and times', () => {
    const cutoff = BASE + 6000;
    const report = night(cutoff, [
      { at: BASE, body: { on: true, bri: 200, ct: 454, transitiontime: 40 } },
      { at: BASE + 4000, body: { bri: 30, transitiontime: 40 } },
      { at: cutoff + 5, body: fade },
      // Step 1 again, after the fade-off: the lamp would be left lit after the stop.
      { at: cutoff + 60, body: { bri: 30, transitiontime: 20 } },
    ]);
    expect(row(report, 'breath steps at Hue')).toMatchObject({ lost: 0, duplicated: 1 });
    const note = report.notes.find((n) => n.startsWith('outside its session'));
    expect(note).toContain('soak-0 session 0 (stopped');
    expect(note).toContain('step 1 (bri 30) due -2000ms');
    expect(note).toContain('reached Hue +60ms: it came after the end command');
    expect(note).toContain('>+60ms {"bri":30,"transitiontime":20}');
  });

  test(`a step due more than ${STOP_RACE_MS} ms after the stop is a duplicate`, () => {
    const cutoff = BASE + 8000 - 400;
    const report = night(cutoff, [
      { at: BASE, body: { on: true, bri: 200, ct: 454, transitiontime: 40 } },
      { at: BASE + 4000, body: { bri: 30, transitiontime: 40 } },
      { at: BASE + 8000, body: { bri: 200, transitiontime: 40 } },
      { at: BASE + 8060, body: fade },
    ]);
    expect(row(report, 'breath steps at Hue')).toMatchObject({ duplicated: 1 });
    expect(report.notes.find((n) => n.startsWith('outside its session'))).toContain('its step is due at or after the end');
  });

  test('a session stopped before its first step went out owes no end command; one that touched the lamp does', () => {
    const untouched = night(BASE - 500, []);
    expect(row(untouched, 'session ends (fade-off)')).toMatchObject({ expected: 0, lost: 0, duplicated: 0 });
    expect(untouched.notes.join('\n')).toMatch(/1 sessions were stopped before their first step went out/);
    const touched = night(BASE + 2000, [{ at: BASE, body: { on: true, bri: 200, ct: 454, transitiontime: 40 } }]);
    expect(row(touched, 'session ends (fade-off)')).toMatchObject({ expected: 1, lost: 1 });
  });
});
