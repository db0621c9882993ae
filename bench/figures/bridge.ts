/**
 * The home bridge's figures, each against a real broker and the Hue emulator on loopback with the
 * bridge in a process of its own: scheduling error on an idle and on a loaded machine, MQTT-in to
 * Hue-out latency, memory over a 60-minute session (on a fake clock, faster than real time) and how it
 * scales with the number of lights.
 */
import { spawn } from 'node:child_process';
import { breathingSession, firstPartUntil, hourOfBreathing, sessionStart, sessionStop } from '../lib/commands';
import { preciseClock, sleep, until, withHome, type Home } from '../lib/home';
import { matchSteps, peakPerSecond } from '../lib/hue';
import { driverPath, driverResult, runProcess } from '../lib/proc';
import { figure, type Figure } from '../lib/report';
import { startAedes } from '../../local/broker';
import { HueEmulator } from '../../local/simulators/hue-emulator';
import { summarize } from '../lib/stats';

export const SCHEDULE_IDLE_P99_MS = 10;
export const SCHEDULE_LOADED_P99_MS = 20;
export const MQTT_TO_HUE_P99_MS = 30;
export const RSS_GROWTH_LIMIT_PCT = 10;
export const LIGHT_RATE_LIMIT = 10;
export const GROUP_RATE_LIMIT = 1;
/** "In step": every lamp has a step within one Hue transition unit of its deadline. */
export const IN_STEP_LAG_MS = 100;

/** The lamps of one room, driven as a room: the set-up the README recommends. */
const ROOM = { lamps: 3, hue: { group: 'Bedroom' } } as const;
/** Long runs join the hour-long session ten minutes in, where it is all breathing (no long speech). */
const JOIN_AT_MS = 10 * 60_000;

/**
 * Every light step's arrival at the Hue bridge against its deadline, measured from outside: several
 * sessions, each on a bridge process of its own started for it, so each session's first step meets a
 * bridge that has not yet talked to Hue (it connects and reads the lamps first). The target holds over
 * every step, the first included; the first, second and third steps are also shown apart.
 */
export async function schedulingError(seconds: number, loaded: boolean, sessions: number): Promise<Figure[]> {
  const label = loaded ? 'loaded' : 'idle';
  const limit = loaded ? SCHEDULE_LOADED_P99_MS : SCHEDULE_IDLE_P99_MS;
  const busy = loaded ? spawn(process.execPath, [driverPath('busy'), String(seconds + 15 * sessions)], { stdio: 'ignore' }) : null;
  const every: number[] = [];
  const byPosition: number[][] = [[], [], []];
  let steps = 0;
  let missed = 0;
  let unmatched = 0;
  try {
    for (let i = 0; i < sessions; i++) {
      await withHome({ ...ROOM, clock: preciseClock }, async (home) => {
        const { lights, startAt, end } = await breatheThenStop(home, seconds / sessions, 300);
        const m = matchSteps(home.emulator.commands, lights.steps, startAt - JOIN_AT_MS, startAt, end, 1);
        m.steps.forEach((t, k) => {
          for (const at of t.arrivals) every.push(Math.abs(at - t.deadline));
          byPosition[k]?.push(Math.max(...t.arrivals) - t.deadline);
        });
        steps += m.steps.length;
        missed += m.missed;
        unmatched += m.unmatched;
      });
    }
  } finally {
    busy?.kill('SIGKILL');
  }
  const name = `bridge scheduling error, ${label}${loaded ? ' (a core kept busy)' : ''}`;
  const ordinal = ['first', 'second', 'third'];
  return [
    figure({
      id: `schedule.${label}`,
      figure: `${name}, every step`,
      unit: 'ms',
      summary: summarize(every),
      target: { on: 'p99', max: limit },
      notes: `|Hue command received − deadline| for every step, the first included, over ${sessions} sessions of ${Math.round(seconds / sessions)} s (60-minute session joined at 10 min), each on a fresh bridge process; 3 lamps as a room; ${steps} steps, ${missed} missed, ${unmatched} unmatched`,
      detail: { seconds, sessions, steps, missed, unmatched, max: Math.max(0, ...every) },
      ...(missed > 0 || unmatched > 0 ? { status: 'FAIL' as const } : {}),
    }),
    ...byPosition.map((lags, k) =>
      figure({
        id: `schedule.${label}.step${k + 1}`,
        figure: `${name}, each session's ${ordinal[k]} step`,
        unit: 'ms',
        summary: summarize(lags.map(Math.abs)),
        target: { on: 'p99', max: limit },
        notes: `signed (received − deadline): ${lags.map((l) => l.toFixed(1)).join(', ')} ms${k === 0 ? '; the bridge connects to Hue and reads the lamps before it' : ''}`,
      }),
    ),
  ];
}

/**
 * A session start published as the skill does, until the bridge's first request reaches the Hue
 * bridge (it reads the lamps' state, to restore them later), and until the first breath command.
 * Two messages alternate: what "Alexa, start wind down" sends (the first response's part of the
 * default 10-minute session) and the largest a bridge gets (a whole 60-minute session at once).
 */
export async function mqttToHue(samples: number): Promise<Figure[]> {
  return withHome({ lamps: 1, hue: { lights: '1' }, clock: preciseClock }, async (home) => {
    const kinds = [
      { key: 'default', lights: breathingSession(10), part: { untilMs: firstPartUntil(10) } },
      { key: 'hour', lights: hourOfBreathing(), part: {} },
    ] as const;
    const firstRequest = { default: [] as number[], hour: [] as number[] };
    const firstCommand = { default: [] as number[], hour: [] as number[] };
    let bytes = { default: 0, hour: 0 };
    const warmup = 6;
    for (let i = 0; i < warmup + 2 * samples; i++) {
      const kind = kinds[i % 2]!;
      const requestsBefore = home.emulator.requests.length;
      const commandsBefore = home.emulator.commands.length;
      // Due at once: the first step goes out as soon as the message is in.
      const message = sessionStart(home.homeId, Date.now(), Date.now(), kind.lights, kind.part);
      bytes = { ...bytes, [kind.key]: JSON.stringify(message).length };
      const t0 = preciseClock.now();
      await home.publish(message);
      const ok = await until(() => home.emulator.commands.length > commandsBefore, 3000);
      if (!ok) throw new Error('the bridge sent no Hue command for a session start within 3 s');
      if (i >= warmup) {
        firstRequest[kind.key].push(home.emulator.requests[requestsBefore]!.at - t0);
        firstCommand[kind.key].push(home.emulator.commands[commandsBefore]!.at - t0);
      }
      const beforeStop = home.emulator.commands.length;
      await home.publish(sessionStop(home.homeId, Date.now()));
      await until(() => home.emulator.commands.length > beforeStop, 3000);
      // node-hue-api sends to one light at most every 60 ms; start the next one clear of that.
      await sleep(100);
    }
    const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
    return [
      figure({
        id: 'mqtt.to-hue',
        figure: 'MQTT in → first Hue request out',
        unit: 'ms',
        summary: summarize(firstRequest.default),
        target: { on: 'p99', max: MQTT_TO_HUE_P99_MS },
        notes: `from the skill publishing session.start (QoS 1, the first part of the default session, ${kb(bytes.default)}) to the first request at the Hue emulator; broker hop included; 1 lamp`,
      }),
      figure({
        id: 'mqtt.to-hue.hour',
        figure: 'MQTT in → first Hue request, whole hour',
        unit: 'ms',
        summary: summarize(firstRequest.hour),
        notes: `the same with a whole 60-minute session in one message (${kb(bytes.hour)})`,
      }),
      figure({
        id: 'mqtt.to-light',
        figure: 'MQTT in → first breath command at Hue',
        unit: 'ms',
        summary: summarize(firstCommand.default),
        notes: 'the default session, to the first light command, which follows the read of the lamp state',
      }),
    ];
  });
}

interface RssResult {
  series: { minute: number; rss: number; heapUsed: number }[];
  steps: number;
  sent: number;
  stalled: number;
  wallMs: number;
}

/** Bridge memory over a whole 60-minute session, run on a fake clock as fast as the lamp answers. */
export async function bridgeRss(minutes: number): Promise<Figure> {
  const broker = await startAedes();
  const emulator = new HueEmulator({ lamps: ['Lamp 1'] });
  await emulator.start();
  try {
    const run = await runProcess(
      ['--expose-gc', driverPath('bridge-rss'), broker.url, emulator.url, emulator.username, String(minutes)],
      { PATH: process.env.PATH, HOME: process.env.HOME, NODE_HUE_API_USE_INSECURE_CONNECTION: '1' },
      15 * 60_000,
    );
    const result = driverResult<RssResult>(run);
    const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
    const first = result.series[0]!;
    const last = result.series.at(-1)!;
    const peak = Math.max(...result.series.map((s) => s.rss));
    const growth = ((last.rss - first.rss) / first.rss) * 100;
    return figure({
      id: 'bridge.rss',
      figure: `bridge RSS growth, ${minutes}-minute session`,
      unit: '%',
      value: growth,
      n: result.series.length,
      target: { on: 'value', max: RSS_GROWTH_LIMIT_PCT },
      notes: `RSS after GC ${mb(first.rss)} MB at minute 1 → ${mb(last.rss)} MB at the end (peak ${mb(peak)} MB); ${result.sent}/${result.steps} steps sent, on a fake clock in ${(result.wallMs / 1000).toFixed(0)} s`,
      detail: { series: result.series.map((s) => ({ minute: s.minute, rssMb: mb(s.rss), heapMb: mb(s.heapUsed) })), stalled: result.stalled },
      ...(result.stalled > 0 ? { status: 'FAIL' as const } : {}),
    });
  } finally {
    await emulator.stop();
    await broker.close();
  }
}

/** 1, 10 and 50 lights: commands per second within Hue's limits, and every lamp in step. */
export async function lightScaling(counts: readonly number[], seconds: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const count of counts) {
    const ids = Array.from({ length: count }, (_, i) => String(i + 1)).join(',');
    const result = await withHome({ lamps: count, hue: { lights: ids } }, async (home) => {
      const { lights, startAt, end } = await breatheThenStop(home, seconds, 500);
      const commands = home.emulator.commands.filter((c) => c.at < end);
      const grouped = commands.some((c) => c.kind === 'group');
      const m = matchSteps(commands, lights.steps, startAt - JOIN_AT_MS, startAt, end, grouped ? 1 : count);
      return { grouped, m, lightPeak: peakPerSecond(home.emulator.commands, 'light'), groupPeak: peakPerSecond(home.emulator.commands, 'group') };
    });
    const { grouped, m, lightPeak, groupPeak } = result;
    const within = lightPeak <= LIGHT_RATE_LIMIT && groupPeak <= GROUP_RATE_LIMIT;
    figures.push(
      figure({
        id: `lights.${count}.rate`,
        figure: `${count} light${count > 1 ? 's' : ''}: peak Hue commands per second`,
        unit: '/s',
        value: Math.max(lightPeak, groupPeak),
        target: { on: 'value', max: grouped ? GROUP_RATE_LIMIT : LIGHT_RATE_LIMIT },
        targetText: `≤ ${LIGHT_RATE_LIMIT}/s lights, ≤ ${GROUP_RATE_LIMIT}/s group`,
        status: within ? 'PASS' : 'FAIL',
        notes: `${grouped ? 'as a group' : 'per light'}: peak ${lightPeak}/s to lights, ${groupPeak}/s to the group, over ${seconds} s (stop included)`,
        detail: { grouped, lightPeak, groupPeak, seconds },
      }),
      figure({
        id: `lights.${count}.in-step`,
        figure: `${count} light${count > 1 ? 's' : ''}: last lamp's lag behind each step`,
        unit: 'ms',
        summary: summarize(m.lastLamp),
        target: { on: 'p99', max: IN_STEP_LAG_MS },
        notes: `${m.steps.length} steps after the first, ${m.missed} missed by some lamp, ${m.unmatched} unmatched commands`,
        detail: { steps: m.steps.length, missed: m.missed, unmatched: m.unmatched },
        ...(m.missed > 0 ? { status: 'FAIL' as const } : {}),
      }),
      figure({
        id: `lights.${count}.first-step`,
        figure: `${count} light${count > 1 ? 's' : ''}: first step late by`,
        unit: 'ms',
        value: m.firstLag ?? Number.NaN,
        notes: 'the session\'s first step: the bridge first connects to Hue and reads each lamp\'s state (to restore it at the end)',
      }),
    );
  }
  return figures;
}

/**
 * Joins an hour of breathing part-way (as a bridge restarted mid-session would), lets it run for
 * `seconds`, stops it, and waits `settleMs` for the end commands to land.
 */
async function breatheThenStop(home: Home, seconds: number, settleMs: number) {
  const lights = hourOfBreathing();
  const now = Date.now();
  const startAt = now + 1000;
  await home.publish(sessionStart(home.homeId, now, startAt, lights, { fromMs: JOIN_AT_MS }));
  await sleep(1000 + seconds * 1000);
  const end = Date.now();
  await home.publish(sessionStop(home.homeId, Date.now()));
  await sleep(settleMs);
  return { lights, startAt, end };
}
