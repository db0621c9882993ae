/**
 * The soak's accounting: what each home's lamp and plug should have been told, from what the skill's
 * side published, matched against what the Hue emulator and the plugs received.
 */
import { HUE_DISPATCH_LEAD_MS } from '../../devices/lights/hue/hue';
import type { HueCommand } from '../../local/simulators/hue-emulator';
import type { LightStep } from '../../src/protocol/messages';
import { EARLY_TOLERANCE_MS } from './hue';
import { percentile } from './stats';

/** A breath step (or a diffuser switch) that arrives later than this after its deadline is late. */
export const LATE_MS = 100;
/** A step due this close to a stop may or may not go out before the stop arrives: either is right. */
export const STOP_RACE_MS = 150;

export interface SessionRecord {
  startAt: number;
  /** Wall time of plan offset 0. */
  base: number;
  steps: LightStep[];
  /** When the session ended: the stop was published, or the part ran out. */
  cutoff: number;
  how: 'stopped' | 'completed';
}

export interface HomeRecord {
  index: number;
  homeId: string;
  sessions: SessionRecord[];
  diffuser: { on: boolean; sentAt: number }[];
  published: Record<string, number>;
  noise: Record<string, number>;
}

export interface Row {
  what: string;
  expected: number;
  seen: number;
  lost: number;
  duplicated: number;
  late: number | null;
  p99: number | null;
  max: number | null;
}

export function analyse(records: HomeRecord[], commands: HueCommand[], plugs: { at: number; topic: string; payload: string }[][], counts: { accepted: Record<string, number>; dropped: Record<string, number> }[]) {
  const steps: Row = { what: 'breath steps at Hue', expected: 0, seen: 0, lost: 0, duplicated: 0, late: 0, p99: null, max: null };
  const ends: Row = { what: 'session ends (fade-off)', expected: 0, seen: 0, lost: 0, duplicated: 0, late: null, p99: null, max: null };
  const diffuser: Row = { what: 'diffuser switches at plug', expected: 0, seen: 0, lost: 0, duplicated: 0, late: 0, p99: null, max: null };
  const startupOff: Row = { what: 'plug sent OFF at bridge start', expected: 0, seen: 0, lost: 0, duplicated: 0, late: null, p99: null, max: null };
  const accepted: Row = { what: 'commands accepted by bridges', expected: 0, seen: 0, lost: 0, duplicated: 0, late: null, p99: null, max: null };
  const stepDelays: number[] = [];
  const plugDelays: number[] = [];
  let unexpected = 0;
  const drops: Record<string, { expected: number; counted: number }> = {};
  const notes: string[] = [];
  const lostEnds: string[] = [];
  const strays: string[] = [];
  let raced = 0;
  let afterEnds = 0;
  let untouched = 0;

  const byLamp = new Map<string, HueCommand[]>();
  for (const c of commands) {
    if (c.kind !== 'light') continue;
    let list = byLamp.get(c.id);
    if (!list) byLamp.set(c.id, (list = []));
    list.push(c);
  }
  for (const home of records) {
    const lamp = (byLamp.get(String(home.index + 1)) ?? []).sort((a, b) => a.at - b.at);
    home.sessions.sort((a, b) => a.startAt - b.startAt);
    home.sessions.forEach((s, k) => {
      const next = home.sessions[k + 1]?.startAt ?? Infinity;
      const mine = lamp.filter((c) => c.at >= s.startAt - EARLY_TOLERANCE_MS && c.at < next - EARLY_TOLERANCE_MS);
      const deadlines = s.steps.map(([atMs]) => s.base + atMs);
      // A stop is published at the cutoff and reaches the bridge a few ms later, and the bridge hands each
      // step to Hue HUE_DISPATCH_LEAD_MS before its deadline: a step due just after the cutoff may go out
      // before the bridge hears of the stop. Like a step due just before it, it may go either way, as long
      // as the end command follows it.
      const lastDeadline = s.how === 'stopped' ? s.cutoff + STOP_RACE_MS : s.cutoff;
      const firstEnd = mine.find((c) => c.body.on === false);
      const hits = new Map<number, number>();
      for (const c of mine) {
        if (c.body.on === false) continue;
        const bri = c.body.bri;
        let j = -1;
        for (let x = deadlines.length - 1; x >= 0; x--) {
          if (deadlines[x]! <= c.at + EARLY_TOLERANCE_MS && s.steps[x]![1] === bri) {
            j = x;
            break;
          }
        }
        // After the end command, any breath command is wrong: it would leave the lamp lit after a stop.
        const afterEnd = firstEnd !== undefined && lamp.indexOf(c) > lamp.indexOf(firstEnd);
        if (afterEnd || j < 0 || c.at >= s.cutoff + STOP_RACE_MS || deadlines[j]! >= lastDeadline) {
          unexpected += 1;
          if (afterEnd) afterEnds += 1;
          if (strays.length < 20) strays.push(describeStray(home.homeId, k, s, c, j, deadlines, lamp, afterEnd));
          continue;
        }
        if (deadlines[j]! >= s.cutoff) raced += 1;
        hits.set(j, (hits.get(j) ?? 0) + 1);
        const delay = Math.abs(c.at - deadlines[j]!);
        stepDelays.push(delay);
        if (delay > LATE_MS) steps.late! += 1;
      }
      deadlines.forEach((d, j) => {
        if (d < s.startAt || d >= lastDeadline) return;
        const n = hits.get(j) ?? 0;
        const optional = d >= s.cutoff - STOP_RACE_MS;
        if (!optional) steps.expected += 1;
        steps.seen += Math.min(n, 1);
        if (n === 0 && !optional) steps.lost += 1;
        if (n > 1) steps.duplicated += n - 1;
      });
      const fades = mine.filter((c) => c.body.on === false).length;
      // A session stopped before its first step went out never touched the lamp: the bridge leaves it as
      // the person left it, so there is nothing to end.
      const touched = mine.some((c) => c.body.on !== false);
      if (!touched) {
        untouched += 1;
        if (fades > 0) ends.duplicated += fades;
        return;
      }
      ends.expected += 1;
      ends.seen += fades;
      if (fades === 0) {
        ends.lost += 1;
        // Enough to find it again: which home, when, and what its lamp was told around the end.
        const around = lamp.filter((c) => c.at >= s.cutoff - 10_000 && c.at < s.cutoff + 10_000).map((c) => `${Math.round(c.at - s.cutoff)}ms ${JSON.stringify(c.body)}`);
        if (lostEnds.length < 10) lostEnds.push(`${home.homeId} session ${k} (${s.how}, started ${Math.round(s.cutoff - s.startAt)} ms before its end, first step due ${Math.round(s.base + (s.steps[0]?.[0] ?? 0) - s.startAt)} ms after start): lamp around the end: ${around.join('; ') || 'nothing'}`);
      }
      if (fades > 1) ends.duplicated += fades - 1;
    });

    const received = (plugs[home.index] ?? []).filter((r) => r.topic.endsWith('/POWER'));
    // A bridge with no diffuser deadline on record switches its plug OFF as it starts (so a plug left on
    // by a crash goes off): one OFF before anything the skill's side switched.
    const firstSent = home.diffuser[0]?.sentAt ?? Infinity;
    const atStart = received.filter((r) => r.at < firstSent && r.payload === 'OFF');
    startupOff.expected += 1;
    startupOff.seen += atStart.length;
    if (atStart.length === 0) startupOff.lost += 1;
    else startupOff.duplicated += atStart.length - 1;
    const power = received.filter((r) => !atStart.includes(r));
    diffuser.expected += home.diffuser.length;
    diffuser.seen += power.length;
    // Matched in order: the k-th switch sent is the k-th POWER the plug got.
    home.diffuser.forEach((d, k) => {
      const got = power[k];
      if (!got || (got.payload === 'ON') !== d.on) {
        diffuser.lost += 1;
        return;
      }
      const delay = got.at - d.sentAt;
      plugDelays.push(delay);
      if (delay > LATE_MS) diffuser.late! += 1;
    });
    if (power.length > home.diffuser.length) diffuser.duplicated += power.length - home.diffuser.length;

    const count = counts[home.index] ?? { accepted: {}, dropped: {} };
    for (const [type, n] of Object.entries(home.published)) {
      const got = count.accepted[type] ?? 0;
      accepted.expected += n;
      accepted.seen += got;
      if (got < n) accepted.lost += n - got;
      if (got > n) accepted.duplicated += got - n;
    }
    for (const [kind, n] of Object.entries(home.noise)) {
      drops[kind] ??= { expected: 0, counted: 0 };
      drops[kind].expected += n;
    }
    for (const [reason, n] of Object.entries(count.dropped)) {
      drops[reason] ??= { expected: 0, counted: 0 };
      drops[reason].counted += n;
    }
  }
  steps.p99 = stepDelays.length ? percentile(stepDelays, 99) : null;
  steps.max = stepDelays.length ? Math.max(...stepDelays) : null;
  diffuser.p99 = plugDelays.length ? percentile(plugDelays, 99) : null;
  diffuser.max = plugDelays.length ? Math.max(...plugDelays) : null;
  if (unexpected > 0) notes.push(`${unexpected} breath commands matched no step due in their session (sent after its end, a brightness no step has, or after the end command: ${afterEnds})`);
  if (raced > 0) notes.push(`${raced} breath steps due within ${STOP_RACE_MS} ms after a stop was published went out before the bridge had it (handed to Hue ${HUE_DISPATCH_LEAD_MS} ms early), each followed by the end command: counted as either way`);
  if (untouched > 0) notes.push(`${untouched} sessions were stopped before their first step went out: the lamp was never touched, so no end command was due`);
  steps.duplicated += unexpected;
  for (const stray of strays) notes.push(`outside its session: ${stray}`);
  for (const lost of lostEnds) notes.push(`no fade-off: ${lost}`);
  notes.push(`late: a breath step or diffuser switch more than ${LATE_MS} ms after its deadline (or after the skill published it); steps due within ${STOP_RACE_MS} ms of a stop may go either way and are not counted`);
  const sessions = records.reduce((n, r) => n + r.sessions.length, 0);
  const completed = records.reduce((n, r) => n + r.sessions.filter((s) => s.how === 'completed').length, 0);
  notes.push(`${sessions} sessions (${completed} ran to their end, the rest were stopped), ${commands.length} Hue commands in all`);
  return {
    rows: [accepted, steps, ends, startupOff, diffuser],
    drops,
    notes,
    published: records.reduce((n, r) => n + Object.values(r.published).reduce((a, b) => a + b, 0), 0),
    noise: records.reduce((n, r) => n + Object.values(r.noise).reduce((a, b) => a + b, 0), 0),
  };
}

/**
 * A breath command that fits no step of its session, with enough to tell what it was: the session and
 * how it ended, the step it carried (the latest with its brightness due by then) and when that step was
 * due, when it reached Hue, both relative to the end (the stop's publication, or the part's end), and
 * what the lamp was told just before and after it.
 */
function describeStray(homeId: string, k: number, s: SessionRecord, c: HueCommand, j: number, deadlines: number[], lamp: HueCommand[], afterEnd: boolean): string {
  const rel = (t: number): string => `${t - s.cutoff >= 0 ? '+' : ''}${Math.round(t - s.cutoff)}ms`;
  const bri = c.body.bri;
  let step: string;
  if (j >= 0) step = `step ${j} (bri ${String(bri)}) due ${rel(deadlines[j]!)}`;
  else {
    const same = deadlines.map((d, x) => ({ d, x })).filter(({ x }) => s.steps[x]![1] === bri);
    const nearest = same.sort((a, b) => Math.abs(a.d - c.at) - Math.abs(b.d - c.at))[0];
    step = nearest ? `no step with bri ${String(bri)} due yet; nearest is step ${nearest.x} due ${rel(nearest.d)}` : `no step has bri ${String(bri)}`;
  }
  const why = afterEnd ? 'it came after the end command' : j < 0 ? 'matches no step' : deadlines[j]! >= s.cutoff ? 'its step is due at or after the end' : `reached Hue more than ${STOP_RACE_MS} ms after the end`;
  const i = lamp.indexOf(c);
  const around = lamp.slice(Math.max(0, i - 2), i + 3).map((x) => `${x === c ? '>' : ''}${rel(x.at)} ${JSON.stringify(x.body)}`);
  return `${homeId} session ${k} (${s.how}; ${s.steps.length} steps, started ${Math.round(s.cutoff - s.startAt)} ms before its end): ${step}; reached Hue ${rel(c.at)}: ${why}. Lamp around it (relative to the end): ${around.join('; ')}`;
}
