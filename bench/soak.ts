/**
 * `npm run soak`: many homes on one broker for a bounded time. Each home is a real bridge (200 of them
 * in a second process) driving its own lamp on one Hue emulator and its own Tasmota diffuser plug,
 * while the skill's side starts and stops sessions, switches diffusers and mixes in malformed,
 * foreign, stale, oversized and duplicate messages. Then it reports what was lost, duplicated or late:
 * every breath step due, every end of a session (the fade-off), every diffuser switch, every command
 * the bridges should have accepted or dropped.
 *
 *   npm run soak              200 homes, 180 s of traffic
 *   npm run soak:smoke        20 homes, 20 s (CI)
 *   node bench/run.mjs soak --homes=50 --seconds=60 --seed=7
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { FakeTasmota } from '../devices/sim/fake-plugs';
import { HueEmulator, type HueCommand } from '../devices/sim/hue-emulator';
import type { Command, LightStep, SessionStart } from '../src/protocol/messages';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../src/protocol/messages';
import { homeTopics } from '../src/protocol/topics';
import { startBroker } from './lib/broker';
import { diffuserSet, hourOfBreathing, sessionStart, sessionStop } from './lib/commands';
import { sleep } from './lib/home';
import { HUE_DISPATCH_LEAD_MS } from '../devices/lights/hue';
import { EARLY_TOLERANCE_MS } from './lib/hue';
import { driverPath, ROOT } from './lib/proc';
import { environment } from './lib/report';
import { percentile } from './lib/stats';

/** A breath step (or a diffuser switch) that arrives later than this after its deadline is late. */
const LATE_MS = 100;
/** A step due this close to a stop may or may not go out before the stop arrives: either is right. */
const STOP_RACE_MS = 150;
const PREFIX = 'soak';

type NoiseKind = 'malformed' | 'version' | 'schema' | 'other-home' | 'stale' | 'oversized' | 'duplicate';
const NOISE: readonly NoiseKind[] = ['malformed', 'version', 'schema', 'other-home', 'stale', 'oversized'];

interface SessionRecord {
  startAt: number;
  /** Wall time of plan offset 0. */
  base: number;
  steps: LightStep[];
  /** When the session ended: the stop was published, or the part ran out. */
  cutoff: number;
  how: 'stopped' | 'completed';
}

interface HomeRecord {
  index: number;
  homeId: string;
  sessions: SessionRecord[];
  diffuser: { on: boolean; sentAt: number }[];
  published: Record<string, number>;
  noise: Record<string, number>;
}

/** Deterministic pseudo-random numbers (mulberry32), so a soak can be run again as it was. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function arg(name: string, fallback: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`));
  return raw ? Number(raw.slice(name.length + 3)) : fallback;
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const homes = arg('homes', smoke ? 20 : 200);
  const seconds = arg('seconds', smoke ? 20 : 180);
  const seed = arg('seed', 1);
  const rand = random(seed);
  const started = Date.now();
  process.stderr.write(`soak: ${homes} homes, ${seconds} s of traffic, seed ${seed}\n`);

  const broker = await startBroker();
  const emulator = new HueEmulator({ lamps: Array.from({ length: homes }, (_, i) => `Lamp ${i + 1}`) });
  await emulator.start();
  const plugs = Array.from({ length: homes }, (_, i) => new FakeTasmota(`${PREFIX}_${i}`, broker.url));
  await Promise.all(plugs.map((p) => p.start()));

  const child = spawn(process.execPath, [driverPath('bridges'), broker.url, emulator.url, emulator.username, String(homes), PREFIX], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_HUE_API_USE_INSECURE_CONNECTION: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let childOut = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (childOut += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await Promise.race([
    (async () => {
      while (!childOut.includes('BENCH_READY')) await sleep(20);
      return true;
    })(),
    exited.then(() => false),
    sleep(120_000).then(() => false),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error('the bridges did not start');
  }
  process.stderr.write(`soak: ${homes} bridges up in ${((Date.now() - started) / 1000).toFixed(1)} s; traffic for ${seconds} s…\n`);

  // The skill's side: a few clients, as several Lambda containers would be.
  const skills: MqttClient[] = [];
  for (let k = 0; k < 4; k++) skills.push(await connectAsync(broker.url, { clientId: `soak-skill-${k}`, reconnectPeriod: 0 }));
  const lights = { ...hourOfBreathing(), end: 'fade-off' as const };
  const trafficEnd = Date.now() + seconds * 1000;
  const records: HomeRecord[] = [];

  const runHome = async (index: number): Promise<void> => {
    const homeId = `${PREFIX}-${index}`;
    const topic = homeTopics(homeId).command;
    const skill = skills[index % skills.length]!;
    const record: HomeRecord = { index, homeId, sessions: [], diffuser: [], published: {}, noise: {} };
    records.push(record);
    let lastValid: string | null = null;
    let diffuserOn = false;
    const send = async (payload: string): Promise<void> => {
      await skill.publishAsync(topic, payload, { qos: 1 });
    };
    const sendCommand = async (command: Command): Promise<void> => {
      const payload = JSON.stringify(command);
      lastValid = payload;
      record.published[command.type] = (record.published[command.type] ?? 0) + 1;
      await send(payload);
    };
    const sendNoise = async (kind: NoiseKind): Promise<void> => {
      const now = Date.now();
      let payload: string;
      switch (kind) {
        case 'malformed':
          payload = '{"v":1,"type":"session.start",';
          break;
        case 'version':
          payload = JSON.stringify({ ...diffuserSet(homeId, now, true, 5), v: PROTOCOL_VERSION + 1 });
          break;
        case 'schema':
          payload = JSON.stringify({ ...sessionStop(homeId, now), reason: 'explode' });
          break;
        case 'other-home':
          payload = JSON.stringify(diffuserSet(`${homeId}-next-door`, now, true, 5));
          break;
        case 'stale':
          payload = JSON.stringify(diffuserSet(homeId, now - 10 * 60_000, true, 5));
          break;
        case 'oversized':
          payload = JSON.stringify({ ...sessionStop(homeId, now), pad: 'x'.repeat(MAX_MESSAGE_BYTES) });
          break;
        case 'duplicate':
          if (lastValid === null) return;
          payload = lastValid;
          break;
      }
      record.noise[kind] = (record.noise[kind] ?? 0) + 1;
      await send(payload);
    };

    await sleep(rand() * 5000);
    while (Date.now() < trafficEnd - 12_000) {
      const fromMs = Math.round((10 + rand() * 40) * 600) * 100;
      const completes = rand() < 0.3;
      const durationMs = Math.round(8000 + rand() * 25_000);
      const now = Date.now();
      const startAt = now + 1500;
      const message: SessionStart = sessionStart(homeId, now, startAt, lights, completes ? { fromMs, untilMs: fromMs + durationMs, final: true } : { fromMs });
      const session: SessionRecord = { startAt, base: startAt - fromMs, steps: message.lights.steps, cutoff: Infinity, how: completes ? 'completed' : 'stopped' };
      record.sessions.push(session);
      await sendCommand(message);
      const ends = startAt + durationMs;
      while (Date.now() < ends - 1500) {
        await sleep(Math.min(1000 + rand() * 4000, Math.max(0, ends - 1500 - Date.now())));
        const r = rand();
        if (r < 0.3) await sendNoise(NOISE[Math.floor(rand() * NOISE.length)]!);
        else if (r < 0.45) await sendNoise('duplicate');
        else if (r < 0.6) {
          diffuserOn = !diffuserOn;
          record.diffuser.push({ on: diffuserOn, sentAt: Date.now() });
          await sendCommand(diffuserSet(homeId, Date.now(), diffuserOn, diffuserOn ? 30 : undefined));
        }
      }
      if (completes) {
        session.cutoff = session.base + fromMs + durationMs;
        await sleep(Math.max(0, session.cutoff - Date.now()) + 1000);
      } else {
        await sleep(Math.max(0, ends - Date.now()));
        session.cutoff = Date.now();
        await sendCommand(sessionStop(homeId, session.cutoff));
      }
      await sleep(2000 + rand() * 3000);
    }
  };
  await Promise.all(Array.from({ length: homes }, (_, i) => runHome(i)));
  // Let the last fade-offs and plug switches land, then take what the devices saw.
  await sleep(3000);
  const commands = [...emulator.commands];
  const plugReceived = plugs.map((p) => [...p.received]);

  child.stdin.end();
  await Promise.race([exited, sleep(30_000)]);
  const line = childOut.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error('the bridges did not report');
  const bridgeReport = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
    counts: { accepted: Record<string, number>; dropped: Record<string, number> }[];
    logged: Record<string, number>;
    rss: number;
  };
  for (const s of skills) await s.endAsync(true);
  await Promise.all(plugs.map((p) => p.stop()));
  await emulator.stop();
  await broker.close();

  const report = analyse(records, commands, plugReceived, bridgeReport.counts);
  const table = [
    ['what', 'expected', 'seen', 'lost', 'duplicated', `late (>${LATE_MS} ms)`, 'p99 delay', 'max delay'],
    ...report.rows.map((r) => [r.what, String(r.expected), String(r.seen), String(r.lost), String(r.duplicated), r.late === null ? '—' : String(r.late), fmt(r.p99), fmt(r.max)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const out = table.map((row) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  out.splice(1, 0, `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  process.stdout.write(`\nSoak: ${homes} homes on one broker, ${seconds} s of traffic (seed ${seed}), ${report.published} commands and ${report.noise} bad or repeated messages published\n\n`);
  process.stdout.write(`${out.join('\n')}\n\n`);
  process.stdout.write(`Dropped by the bridges, by reason (expected → counted): ${Object.entries(report.drops).map(([k, v]) => `${k} ${v.expected}→${v.counted}`).join(', ')}\n`);
  process.stdout.write(`Bridges' process: ${Math.round(bridgeReport.rss / 2 ** 20)} MB RSS for ${homes} bridges\n`);
  const logged = Object.entries(bridgeReport.logged).sort((a, b) => b[1] - a[1]);
  process.stdout.write(`Warnings and errors the bridges logged: ${logged.length === 0 ? 'none' : ''}\n${logged.map(([k, v]) => `  ${v} × ${k}`).join('\n')}\n`);
  for (const note of report.notes) process.stdout.write(`- ${note}\n`);
  const problems = report.rows.reduce((n, r) => n + r.lost + r.duplicated, 0) + Object.values(report.drops).reduce((n, d) => n + Math.abs(d.expected - d.counted), 0);
  const late = report.rows.reduce((n, r) => n + (r.late ?? 0), 0);
  process.stdout.write(`\nSoak ${problems === 0 ? 'PASS' : 'FAIL'}: ${problems} lost, duplicated or mis-dropped; ${late} late\n`);
  if (!smoke) {
    const path = join(ROOT, 'bench', 'soak-results.json');
    writeFileSync(path, `${JSON.stringify({ generatedAt: new Date().toISOString(), homes, seconds, seed, durationS: Math.round((Date.now() - started) / 1000), environment: environment(ROOT), ...report, bridgeRssMb: Math.round(bridgeReport.rss / 2 ** 20), logged: bridgeReport.logged }, null, 2)}\n`);
    process.stdout.write(`wrote ${path}\n`);
  }
  process.exit(problems === 0 ? 0 : 1);
}

interface Row {
  what: string;
  expected: number;
  seen: number;
  lost: number;
  duplicated: number;
  late: number | null;
  p99: number | null;
  max: number | null;
}

function analyse(records: HomeRecord[], commands: HueCommand[], plugs: { at: number; topic: string; payload: string }[][], counts: { accepted: Record<string, number>; dropped: Record<string, number> }[]) {
  const steps: Row = { what: 'breath steps at Hue', expected: 0, seen: 0, lost: 0, duplicated: 0, late: 0, p99: null, max: null };
  const ends: Row = { what: 'session ends (fade-off)', expected: 0, seen: 0, lost: 0, duplicated: 0, late: null, p99: null, max: null };
  const diffuser: Row = { what: 'diffuser switches at plug', expected: 0, seen: 0, lost: 0, duplicated: 0, late: 0, p99: null, max: null };
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

    const power = (plugs[home.index] ?? []).filter((r) => r.topic.endsWith('/POWER'));
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
    rows: [accepted, steps, ends, diffuser],
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

function fmt(ms: number | null): string {
  return ms === null ? '—' : `${Math.round(ms)} ms`;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
