/**
 * The whole home, end to end: the skill (virtual-alexa through the real en-US interaction model)
 * publishes to an Aedes broker in this process; the bridge, configured with the variables a person
 * sets (parsed by its own config loader), listens on the same broker and drives the Hue emulator and
 * a fake Tasmota plug. Nothing of ours is mocked.
 *
 * The bridge, the emulator and the plug share a fake clock started at the real time: the skill stamps
 * its messages with the real clock, so they arrive fresh, and the test then moves time along itself,
 * so a ten-minute session or a wait for bedtime takes a moment. Only MQTT and HTTP delivery on
 * loopback is waited for (`until`), never a result that could be computed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { HUE_DISPATCH_LEAD_MS } from '../../devices/lights/hue/hue';
import { SimulatedTasmota } from '../../local/simulators/plugs';
import type { HueCommand, HueEmulator } from '../../local/simulators/hue-emulator';
import { OIL_SAFETY, WELCOME } from '../../lambda/speech';
import { SCRIPTS } from '../../src/content/scripts';
import type { BreathSegment, SessionPlan } from '../../src/engine';
import { choreograph, chooseScript, compilePlan, estimateSpeechMs } from '../../src/engine';
import { LEAD_GAP_MS } from '../../src/engine/ssml';
import type { Command, SessionStart } from '../../src/protocol/messages';
import { parseCommand } from '../../src/protocol/messages';
import type { ReceivedCommand } from '../../src/protocol/earlier-versions';
import { homeTopics } from '../../src/protocol/topics';
import { tempDir } from '../devices/helpers';
import { HOME_ID, ssmlOf, textOf } from '../lambda/helpers';
import { startAedes } from '../support/brokers';
import { startHome as startTestHome, type Home as TestHome, type LampSettings } from '../support/home';
import { closedAtTeardown, onTeardown } from '../support/teardown';
import { until } from '../support/until';
import { parseHomeKey, verifySigned, type HomeKey } from '../../src/protocol/signing';
import { signed, TEST_HOME_KEY } from '../support/signing';

/** The neighbour's key: its own, made at random. */
const OTHER_KEY_HEX = randomBytes(32).toString('hex');
const OTHER_KEY = parseHomeKey(OTHER_KEY_HEX) as HomeKey;

const TZ = 'Europe/London';
const PLUG_TOPIC = 'bedroom_diffuser';
/** Below the skill's 30 minutes, so every switch-on is capped by it. */
const DIFFUSER_MAX_MINUTES = 20;
/** The skill's estimate of the time from its response to Alexa speaking, set explicitly. */
const VOICE_LATENCY_MS = 1500;
const LEAD = HUE_DISPATCH_LEAD_MS;
const MINUTE = 60_000;

jest.setTimeout(60_000);

type Home = TestHome & {
  /** What the skill published on the command topic, byte for byte as the broker saw it, and the command text it signed. */
  sent: { payload: Buffer; text: string; command: Command }[];
};

/** Broker, Hue emulator, plug, bridge (from the env a person would set) and skill, all on loopback. */
async function startHome(lights: LampSettings): Promise<Home> {
  const topic = homeTopics(HOME_ID).command;
  const broker = await closedAtTeardown(startAedes());
  const sent: Home['sent'] = [];
  broker.aedes.on('publish', (packet, client) => {
    if (client === null || !client.id.startsWith('winddown-skill-') || packet.topic !== topic) return;
    const payload = Buffer.from(packet.payload as Uint8Array);
    const verified = verifySigned(TEST_HOME_KEY, payload.toString('utf8'));
    if (!verified.ok) throw new Error(`the skill published a badly signed command: ${verified.detail}`);
    const parsed = parseCommand(verified.commandText);
    if (!parsed.ok) throw new Error(`the skill published an invalid command: ${parsed.reason} ${parsed.detail}`);
    sent.push({ payload, text: verified.commandText, command: parsed.command });
  });
  const home = await startTestHome({
    broker,
    plug: { kind: 'tasmota', id: PLUG_TOPIC },
    lights,
    env: { WINDDOWN_DIFFUSER_MAX_MINUTES: String(DIFFUSER_MAX_MINUTES), TZ },
    skill: { env: { WINDDOWN_VOICE_LATENCY_MS: String(VOICE_LATENCY_MS) } },
  });
  const { plug } = home;
  // A fresh bridge has no deadline on record, so it tells the plug OFF first (a crash may have left it on).
  await until(() => plug.received.length === 1, 'the OFF sent at start');
  expect(plug.received.splice(0).map((m) => m.payload)).toEqual(['OFF']);
  plug.history.splice(0);
  return Object.assign(home, { sent });
}

function sentOf<T extends Command['type']>(home: Home, type: T): { payload: Buffer; text: string; command: Extract<Command, { type: T }> }[] {
  return home.sent.filter((s): s is { payload: Buffer; text: string; command: Extract<Command, { type: T }> } => s.command.type === type);
}

async function acceptedOf<T extends Command['type']>(home: Home, type: T, count = 1): Promise<Extract<ReceivedCommand, { type: T }>[]> {
  const of = (): Extract<ReceivedCommand, { type: T }>[] => home.accepted.filter((c): c is Extract<ReceivedCommand, { type: T }> => c.type === type);
  await until(() => of().length >= count, `the bridge accepting ${count} ${type}`);
  return of();
}

/** The plan Launch plays, compiled here from the same script choice. */
function launchPlan(): SessionPlan {
  const { script, minutes } = chooseScript(SCRIPTS, undefined, undefined);
  return compilePlan(script, { minutes });
}

function breathSegments(plan: SessionPlan): BreathSegment[] {
  return plan.segments.filter((s): s is BreathSegment => s.kind === 'breath');
}

const ENTITIES: Record<string, string> = { '&apos;': "'", '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * When each cue is spoken, in ms from the start of the response's speech, read from the SSML alone:
 * breaks count their length and words the speech model's estimate. `cues` are looked for in order,
 * each as whole words (a cue may follow the words before it in one run of speech).
 */
function cueTimes(ssml: string, cues: readonly string[], ratePercent: number): number[] {
  const body = ssml.replace(/^<speak><prosody rate="\d+%">/, '').replace(/<\/prosody><\/speak>$/, '');
  const times: number[] = [];
  let t = 0;
  let k = 0;
  for (const token of body.split(/(<break time="\d+m?s"\/>)/)) {
    const pause = /^<break time="(\d+)(ms|s)"\/>$/.exec(token);
    if (pause) {
      t += Number(pause[1]) * (pause[2] === 's' ? 1000 : 1);
      continue;
    }
    let text = token.replace(/&(apos|quot|lt|gt|amp);/g, (e) => ENTITIES[e] ?? e).trim();
    while (text !== '') {
      const cue = cues[k];
      let at = -1;
      if (cue !== undefined) {
        for (let from = text.indexOf(cue); from >= 0; from = text.indexOf(cue, from + 1)) {
          const end = from + cue.length;
          if ((from === 0 || text[from - 1] === ' ') && (end === text.length || text[end] === ' ')) {
            at = from;
            break;
          }
        }
      }
      if (cue === undefined || at < 0) {
        t += estimateSpeechMs(text, ratePercent);
        break;
      }
      const before = text.slice(0, at).trim();
      if (before !== '') t += estimateSpeechMs(before, ratePercent);
      times.push(t);
      t += estimateSpeechMs(cue, ratePercent);
      text = text.slice(at + cue.length).trim();
      k += 1;
    }
  }
  return times;
}

/** The first instant after `after` at which the wall clock in `timeZone` reads `hhmm` (minute steps, Intl only). */
function nextWallClock(hhmm: string, timeZone: string, after: number): number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  while (format.format(t) !== hhmm) t += MINUTE;
  return t;
}

/** The commands a lamp received: its own, and those sent to a group it is in. */
function commandsFor(emulator: HueEmulator, lamp: string): HueCommand[] {
  return emulator.commands.filter((c) => (c.kind === 'light' ? c.id === lamp : (emulator.groups.get(c.id)?.lights.includes(lamp) ?? c.id === '0')));
}

test('"Alexa, open wind down": one brightness command per breath phase, each on its deadline, in step with the spoken cues', async () => {
  const home = await startHome({ WINDDOWN_HUE_LIGHTS: '1' });
  const response = await home.skill.launch();
  const [accepted] = await acceptedOf(home, 'session.start');
  const [sent] = sentOf(home, 'session.start');
  if (!sent) throw new Error('the skill sent no session.start');
  const start: SessionStart = sent.command;
  expect(accepted).toEqual(start);

  // The plan the skill played, compiled again here: every breath phase is one light step that starts
  // with the phase and lasts as long; the other steps are the slow drifts over spoken passages.
  const plan = launchPlan();
  expect(start).toMatchObject({ scriptId: plan.scriptId, fromMs: 0, untilMs: plan.totalMs, final: true });
  expect(start.lights.steps).toEqual(choreograph(plan).steps);
  const steps = start.lights.steps;
  expect(new Set(steps.map(([atMs]) => atMs)).size).toBe(steps.length);
  const breaths = breathSegments(plan);
  expect(breaths.length).toBeGreaterThan(50);
  const stepAt = new Map(steps.map((step) => [step[0], step]));
  for (const b of breaths) expect({ phase: b.phase, startMs: b.startMs, step: stepAt.get(b.startMs)?.[2] }).toEqual({ phase: b.phase, startMs: b.startMs, step: b.durationMs });
  const passageStarts = new Set(plan.segments.filter((s) => s.kind !== 'breath').map((s) => s.startMs));
  const breathStarts = new Set(breaths.map((b) => b.startMs));
  for (const [atMs] of steps) expect(breathStarts.has(atMs) || passageStarts.has(atMs)).toBe(true);

  // The room answers at once: before any time passes on the bridge's clock, the lamp (on) glides to
  // the session's first level in its warm colour, while the welcome is still being read; not `on`.
  const { clock, emulator } = home;
  const arrived = clock.now();
  await until(() => emulator.commands.length === 1, 'the greeting glide');
  const [greeting] = emulator.commands;
  expect(greeting).toMatchObject({ at: arrived, kind: 'light', id: '1', body: { bri: steps[0]?.[1], ct: start.lights.ct } });
  expect(greeting?.body).not.toHaveProperty('on');
  expect(start.startAt + (steps[0]?.[0] ?? 0) - arrived).toBeGreaterThan(2000);

  // The session, on the fake clock: each step's timer is the next one due, at its deadline less the
  // dispatch lead, and the lamp hears of the step exactly then, with the phase's whole transition.
  for (const [i, [atMs, bri, transitionMs]] of steps.entries()) {
    const due = start.startAt + atMs - LEAD;
    expect({ step: i, next: clock.pending()[0] }).toEqual({ step: i, next: due });
    await clock.advanceTo(due);
    await until(() => emulator.commands.length === i + 2, `breath step ${i}`);
    expect(emulator.commands[i + 1]).toMatchObject({ at: due, kind: 'light', id: '1', body: { bri, transitiontime: transitionMs / 100 } });
  }
  expect(emulator.commands[1]?.body).toEqual({ on: true, bri: steps[0]?.[1], ct: start.lights.ct, transitiontime: (steps[0]?.[2] ?? 0) / 100 });
  expect(emulator.commands.every((c) => typeof c.body.bri === 'number')).toBe(true);

  // The plan's own end once the session is over: a sleep session fades the lamp off.
  const endAt = start.startAt + start.untilMs;
  expect(clock.pending()[0]).toBe(endAt);
  await clock.advanceTo(endAt);
  await until(() => emulator.commands.length === steps.length + 2, 'the end of the session');
  expect(start.lights.end).toBe('fade-off');
  expect(emulator.commands.at(-1)).toMatchObject({ at: endAt, body: { on: false, transitiontime: start.lights.endTransitionMs / 100 } });
  await clock.advance(10 * MINUTE);
  expect(emulator.commands).toHaveLength(steps.length + 2);

  // The voice: the cued breath phases are spoken, in order, each where the SSML's own timeline puts it
  // at that phase's offset, so a cue is heard at startAt + offset (the skill's latency and lead-in
  // estimate) and the lamp's command for that phase lands then (handed over LEAD ms early).
  const cued = breaths.filter((b): b is BreathSegment & { cue: string } => b.cue !== null);
  expect(cued.length).toBeGreaterThan(5);
  const ssml = ssmlOf(response);
  expect(textOf(response).startsWith(WELCOME)).toBe(true);
  // The voice reaches the plan after the welcome and a short gap; the skill starts the lights then,
  // after its latency estimate (stamped from the same request's clock, a moment before issuedAt).
  // The first time the diffuser comes on for this listener, one line of oil safety follows the welcome.
  expect(textOf(response).startsWith(`${WELCOME} ${OIL_SAFETY}`)).toBe(true);
  const leadInMs = estimateSpeechMs(`${WELCOME} ${OIL_SAFETY}`, plan.options.ratePercent) + LEAD_GAP_MS;
  const stampedBefore = start.issuedAt + VOICE_LATENCY_MS + leadInMs - start.startAt;
  expect(stampedBefore).toBeGreaterThanOrEqual(0);
  expect(stampedBefore).toBeLessThan(1000);
  const spokenAt = cueTimes(ssml, cued.map((b) => b.cue), plan.options.ratePercent).map((t) => t - leadInMs);
  expect(spokenAt).toEqual(cued.map((b) => b.startMs));
  const briBefore = (c: HueCommand): number => emulator.commands[emulator.commands.indexOf(c) - 1]?.body.bri as number;
  for (const b of cued) {
    const command = emulator.commands.find((c) => c.at === start.startAt + b.startMs - LEAD);
    expect({ cue: b.cue, at: b.startMs, transitiontime: command?.body.transitiontime }).toEqual({ cue: b.cue, at: b.startMs, transitiontime: b.durationMs / 100 });
    if (!command) continue;
    // Brighter on the in breath, dimmer on the out breath (the very first command has nothing before it).
    const before = briBefore(command);
    if (before === undefined) continue;
    if (b.phase === 'inhale') expect(command.body.bri).toBeGreaterThan(before);
    if (b.phase === 'exhale') expect(command.body.bri).toBeLessThan(before);
  }
});

test('"stop" mid-session: no breath command after it, and every lamp ends on the end command', async () => {
  const home = await startHome({ WINDDOWN_HUE_GROUP: 'Bedroom' });
  const { clock, emulator } = home;
  await home.skill.launch();
  const [start] = await acceptedOf(home, 'session.start');
  if (!start) throw new Error('no session');
  const plan = launchPlan();
  // Run the session into its first cued breaths (the skill's "stop" must still be fresh for the bridge).
  const firstCue = start.lights.steps.findIndex(([atMs]) => breathSegments(plan).some((b) => b.startMs === atMs && b.cue !== null));
  expect(firstCue).toBeGreaterThan(0);
  const ran = start.lights.steps.slice(0, firstCue + 2);
  // The greeting: every lamp of the room is on, so one command to the room glides them together.
  await until(() => emulator.commands.length === 1, 'the greeting glide');
  expect(emulator.commands[0]).toMatchObject({ kind: 'group', id: '1', body: { bri: ran[0]?.[1] } });
  for (const [i, [atMs, bri]] of ran.entries()) {
    await clock.advanceTo(start.startAt + atMs - LEAD);
    await until(() => emulator.commands.length === i + 2, `breath step ${i}`);
    // WINDDOWN_HUE_GROUP=Bedroom: one command to the room reaches its three lamps together.
    expect(emulator.commands[i + 1]).toMatchObject({ at: start.startAt + atMs - LEAD, kind: 'group', id: '1', body: { bri } });
  }
  const stopAt = clock.now();
  expect(stopAt - Date.now()).toBeLessThan(100_000);

  const r = await home.skill.utter('stop');
  expect(r.response.shouldEndSession).toBe(true);
  const [stop] = await acceptedOf(home, 'session.stop');
  expect(stop).toMatchObject({ reason: 'stop', sessionId: start.sessionId });
  await until(() => emulator.commands.length === ran.length + 2, 'the end command');
  // A sleep session ends as its plan says, at once: the room fades off.
  expect(start.lights.end).toBe('fade-off');
  const end = emulator.commands[ran.length + 1];
  expect(end).toMatchObject({ at: stopAt, body: { on: false, transitiontime: start.lights.endTransitionMs / 100 } });

  // The rest of the session's deadlines pass without a command.
  await clock.advanceTo(start.startAt + start.untilMs + 5 * MINUTE);
  expect(emulator.commands).toHaveLength(ran.length + 2);
  for (const lamp of ['1', '2', '3']) {
    const received = commandsFor(emulator, lamp);
    expect(received).toHaveLength(ran.length + 2);
    expect(received.at(-1)).toBe(end);
    expect(received.filter((c) => c.at > stopAt)).toEqual([]);
    expect(emulator.lamps.get(lamp)?.state.on).toBe(false);
  }
});

test('"turn on the diffuser": the plug gets its PulseTime, then ON, and is off after the maximum run time', async () => {
  const home = await startHome({ WINDDOWN_HUE_LIGHTS: '1' });
  const { clock, plug } = home;
  await home.skill.utter('turn on the diffuser');
  const [on] = await acceptedOf(home, 'diffuser.set');
  expect(on).toMatchObject({ on: true, minutes: 30 });
  await until(() => plug.on, 'the plug switching on');
  const onAt = clock.now();
  expect(plug.received.map((m) => [m.topic, m.payload])).toEqual([
    [`cmnd/${PLUG_TOPIC}/PulseTime`, String(DIFFUSER_MAX_MINUTES * 60 + 100)],
    [`cmnd/${PLUG_TOPIC}/POWER`, 'ON'],
  ]);
  // The plug's own timer would switch it off even if the bridge died now.
  expect(SimulatedTasmota.pulseMs(plug.pulseTime)).toBe(DIFFUSER_MAX_MINUTES * MINUTE);
  await clock.advanceTo(onAt + DIFFUSER_MAX_MINUTES * MINUTE - 1);
  expect(plug.on).toBe(true);
  await clock.advanceTo(onAt + DIFFUSER_MAX_MINUTES * MINUTE);
  await until(() => !plug.on, 'the plug switching off');
  expect(plug.history[0]).toEqual({ at: onAt, on: true, by: 'command' });
  expect(plug.history.at(-1)).toMatchObject({ at: onAt + DIFFUSER_MAX_MINUTES * MINUTE, on: false });
  expect(plug.history.filter((e) => e.on)).toHaveLength(1);
  expect(home.emulator.commands).toEqual([]);
});

test('"set my bedtime to ten thirty p.m.": at the next 22:30 in the home\'s time zone the plug turns on, and off after the maximum run time', async () => {
  const home = await startHome({ WINDDOWN_HUE_LIGHTS: '1' });
  const { clock, plug } = home;
  const r = await home.skill.utter('set my bedtime to ten thirty p.m.');
  expect(textOf(r)).toContain('10:30');
  const [bedtime] = await acceptedOf(home, 'bedtime.set');
  expect(bedtime).toMatchObject({ time: '22:30' });
  const at = nextWallClock('22:30', TZ, clock.now());
  expect(at).toBeGreaterThan(clock.now());

  await clock.advanceTo(at - 1);
  expect(plug.received).toEqual([]);
  await clock.advanceTo(at);
  await until(() => plug.on, 'the plug switching on at bedtime');
  expect(plug.history).toEqual([{ at, on: true, by: 'command' }]);
  expect(plug.received.map((m) => [m.topic, m.payload])).toEqual([
    [`cmnd/${PLUG_TOPIC}/PulseTime`, String(DIFFUSER_MAX_MINUTES * 60 + 100)],
    [`cmnd/${PLUG_TOPIC}/POWER`, 'ON'],
  ]);
  await clock.advanceTo(at + DIFFUSER_MAX_MINUTES * MINUTE - 1);
  expect(plug.on).toBe(true);
  await clock.advanceTo(at + DIFFUSER_MAX_MINUTES * MINUTE);
  await until(() => !plug.on, 'the plug switching off');
  expect(plug.history.at(-1)).toMatchObject({ at: at + DIFFUSER_MAX_MINUTES * MINUTE, on: false });
  // And again the next night.
  const next = nextWallClock('22:30', TZ, at);
  await clock.advanceTo(next - 1);
  expect(plug.on).toBe(false);
  await clock.advanceTo(next);
  await until(() => plug.on, 'the plug switching on the next night');
  expect(plug.history.at(-1)).toEqual({ at: next, on: true, by: 'command' });
  expect(home.emulator.commands).toEqual([]);
});

test('a replayed, a stale and a malformed message reach neither the lamps nor the plug', async () => {
  const home = await startHome({ WINDDOWN_HUE_LIGHTS: '1' });
  const { clock, emulator, plug } = home;
  await home.skill.launch();
  await acceptedOf(home, 'diffuser.set');
  await until(() => plug.on, 'the plug switching on with the session');
  // Stopped before its first step: the lamp it greeted goes back as it was. Then the diffuser off.
  await home.skill.utter('stop');
  await acceptedOf(home, 'session.stop');
  await home.skill.utter('turn off the diffuser');
  await acceptedOf(home, 'diffuser.set', 2);
  await until(() => !plug.on, 'the plug switching off');
  await until(() => emulator.commands.length === 2, 'the greeting, and the lamp given back');
  expect(emulator.commands[1]?.body).toMatchObject({ on: true, bri: 180 });
  const lampCommands = emulator.commands.length;
  const plugMessages = plug.received.length;

  const [session] = sentOf(home, 'session.start');
  const [diffuserOn] = sentOf(home, 'diffuser.set');
  if (!session || !diffuserOn?.command.on) throw new Error('the launch did not send a session and the diffuser');
  const start = session.command;
  const fiveMinutesAgo = clock.now() - 5 * MINUTE;
  const newId = (): string => randomUUID().replace(/-/g, '');
  const bad: [string, string | Buffer][] = [
    ['duplicate', session.payload],
    ['duplicate', diffuserOn.payload],
    ['stale', signed({ ...start, id: newId(), issuedAt: fiveMinutesAgo, startAt: clock.now() + 1000 })],
    ['stale', signed({ ...diffuserOn.command, id: newId(), issuedAt: fiveMinutesAgo })],
    ['malformed', signed(session.text.slice(0, Math.floor(session.text.length / 2)))],
    ['malformed', signed(diffuserOn.text.slice(0, diffuserOn.text.length - 1))],
    // Fresh and well formed, but not signed with this home's key: by someone who can publish on its topic.
    ['signature', JSON.stringify({ ...start, id: newId(), issuedAt: clock.now(), startAt: clock.now() + 1000 })],
    ['signature', JSON.stringify({ ...diffuserOn.command, id: newId(), issuedAt: clock.now() })],
    ['signature', signed({ ...diffuserOn.command, id: newId(), issuedAt: clock.now() }, OTHER_KEY)],
    ['signature', JSON.stringify({ cmd: JSON.stringify({ ...diffuserOn.command, id: newId() }), mac: (JSON.parse(diffuserOn.payload.toString()) as { mac: string }).mac })],
  ];
  const acceptedBefore = home.accepted.length;
  for (const [, payload] of bad) await home.publish(payload);
  await until(() => home.dropped.length === bad.length, 'the bridge dropping each bad message');
  expect(home.dropped.map((d) => d.reason)).toEqual(bad.map(([reason]) => reason));
  expect(home.accepted).toHaveLength(acceptedBefore);

  // A neighbour's home on the same broker, with its own key: this home's real commands, copied to its
  // topic, are not signed with its key. Its lamp (2, on the same emulator) and its plug stay as they are.
  const neighbourState = tempDir('winddown-e2e-neighbour-');
  onTeardown(() => neighbourState.remove());
  const neighbour = await home.startBridge({ WINDDOWN_HOME_ID: 'neighbour', WINDDOWN_HOME_KEY: OTHER_KEY_HEX, WINDDOWN_HUE_LIGHTS: '2', WINDDOWN_STATE_DIR: neighbourState.dir, WINDDOWN_DIFFUSER: undefined });
  const neighbourDrops: string[] = [];
  let neighbourAccepted = 0;
  neighbour.events.on('command.dropped', (drop) => void neighbourDrops.push(drop.reason));
  neighbour.events.on('command', () => void (neighbourAccepted += 1));
  for (const copied of [session.payload, diffuserOn.payload]) await home.publish(copied, homeTopics('neighbour').command);
  await until(() => neighbourDrops.length === 2, 'the neighbour dropping the copies');
  expect(neighbourDrops).toEqual(['signature', 'signature']);
  expect(neighbourAccepted).toBe(0);

  // All of the session's time, and the diffuser's, passes: nothing moves.
  await clock.advanceTo(Math.max(start.startAt + start.untilMs, clock.now() + DIFFUSER_MAX_MINUTES * MINUTE) + MINUTE);
  expect(emulator.commands).toHaveLength(lampCommands);
  expect(plug.received).toHaveLength(plugMessages);
  expect(plug.on).toBe(false);

  // The same session in a fresh envelope does light the lamp: it was the gate that kept it dark.
  const fresh = { ...start, id: newId(), issuedAt: clock.now(), startAt: clock.now() + 1000 };
  await home.publish(signed(fresh));
  await until(() => home.accepted.length === acceptedBefore + 1, 'the fresh session accepted');
  const [firstAt, firstBri] = start.lights.steps[0] ?? [0, 0];
  await clock.advanceTo(fresh.startAt + firstAt - LEAD);
  await until(() => emulator.commands.length === lampCommands + 1, 'the first step of the fresh session');
  expect(emulator.commands[lampCommands]).toMatchObject({ at: fresh.startAt + firstAt - LEAD, body: { bri: firstBri } });
});
