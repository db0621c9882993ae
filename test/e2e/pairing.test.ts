/**
 * Hosted mode end to end: a skill with no home id, an Aedes broker, the Hue emulator and a Tasmota
 * plug. `winddown pair` (the CLI's own command, run in this process) offers the home under a code;
 * PairHomeIntent with that code pairs the Alexa user who said it; `winddown bridge` starts from the
 * identity `pair` stored; that user's "start wind down" breathes the lamps, while another, unpaired
 * user's launch reaches no home at all. Wrong, expired and too many codes pair nothing.
 *
 * Against the named attacker: a whole pairing recorded at the broker holds no key in any form; two
 * accounts saying one code at once yield one pairing; wrong codes stay counted across a success of the
 * same account; two pairings hold two keys, and `winddown unpair` (one, or --all) makes the running
 * bridge drop the revoked keys' commands while their users hear how to pair again.
 *
 * The bridge, the emulator and the plug share a fake clock started at the real time (the skill stamps
 * its commands with the real clock); only MQTT and HTTP delivery on loopback is waited for.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { buildProgram, type CliIo } from '../../devices/cli';
import { loadConfig } from '../../devices/config';
import { readIdentity } from '../../devices/pairing/identity';
import { MemoryLedger } from '../../lambda/pairing-ledger';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import * as say from '../../lambda/speech';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { signCommand } from '../../src/protocol/signing';
import { homeTopics } from '../../src/protocol/topics';
import { textOf, type Harness } from '../lambda/helpers';
import { startAedes, type AedesBroker } from '../support/brokers';
import type { FakeClock } from '../support/fake-clock';
import { startHome, type Home } from '../support/home';
import { retainedOffers } from '../support/offers';
import { closedAtTeardown } from '../support/teardown';
import { until } from '../support/until';

jest.setTimeout(60_000);

const PLUG_TOPIC = 'paired_diffuser';
const MINUTE = 60_000;

interface World {
  broker: AedesBroker;
  clock: FakeClock;
  emulator: HueEmulator;
  home: Home;
  stateDir: string;
  /** The home's settings as a person sets them for hosted mode: no home id, no key. */
  env: NodeJS.ProcessEnv;
  /** Every command any skill client published, by topic. */
  commands: string[];
  /** Every payload any client published, as text, in order. */
  recorded: string[];
  /** One table shared by every skill container of this world. */
  ledger: MemoryLedger;
  skill(options?: { now?: () => number }): Harness;
}

async function world(): Promise<World> {
  const broker = await closedAtTeardown(startAedes());
  const commands: string[] = [];
  const recorded: string[] = [];
  broker.aedes.on('publish', (packet, client) => {
    if (client) recorded.push(Buffer.from(packet.payload).toString('utf8'));
    if (client?.id.startsWith('winddown-skill-') && /^winddown\/[^/]+\/cmd$/.test(packet.topic) && packet.topic !== 'winddown/pairing/cmd') commands.push(packet.topic);
  });
  const home = await startHome({
    broker,
    plug: { kind: 'tasmota', id: PLUG_TOPIC },
    env: { WINDDOWN_HOME_ID: undefined, WINDDOWN_HOME_KEY: undefined, TZ: 'UTC' },
    // Hosted: the harness's home id cleared (an empty setting counts as unset).
    skill: { env: { WINDDOWN_HOME_ID: '' } },
    bridge: false,
  });
  // A directory `winddown pair` makes itself.
  const stateDir = path.join(home.stateDir, 'home');
  const env = { ...home.env, WINDDOWN_STATE_DIR: stateDir };
  const ledger = new MemoryLedger();
  const skill = (options: { now?: () => number } = {}): Harness => home.newSkill({ pairingLedger: ledger, ...options });
  return { broker, clock: home.clock, emulator: home.emulator, home, stateDir, env, commands, recorded, ledger, skill };
}

interface PairRun {
  code: Promise<string>;
  done: Promise<void>;
  out: string[];
  err: string[];
  codes: number[];
}

/** `winddown pair` as a person runs it, its output collected; resolves `code` once it asks for it to be said. */
function pair(env: NodeJS.ProcessEnv, io: Partial<CliIo> = {}): PairRun {
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  let gotCode: (code: string) => void = () => undefined;
  const code = new Promise<string>((resolve) => (gotCode = resolve));
  const done = buildProgram({
    out: (text) => {
      out.push(text);
      const said = /^Say: "Alexa, ask Wind Down to pair with code (\d{3}) (\d{3}) (\d{3})"$/.exec(text);
      if (said) gotCode(`${said[1]}${said[2]}${said[3]}`);
    },
    err: (text) => void err.push(text),
    fail: (c) => void codes.push(c),
    env,
    signals: null,
    ...io,
  })
    .parseAsync(['node', 'winddown', 'pair'])
    .then(() => undefined);
  return { code, done, out, err, codes };
}

test('pair by voice, then the bridge starts from the stored identity and only the paired user breathes its lamps', async () => {
  const w = await world();

  // Before pairing the bridge has nothing to be, and says how to get it.
  const before = { out: [] as string[], err: [] as string[], codes: [] as number[] };
  await buildProgram({ out: (t) => void before.out.push(t), err: (t) => void before.err.push(t), fail: (c) => void before.codes.push(c), env: w.env }).parseAsync(['node', 'winddown', 'bridge']);
  expect(before.codes).toEqual([2]);
  expect(before.err.join('\n')).toMatch(/WINDDOWN_HOME_ID: is required \(or stored by `npx winddown pair` in WINDDOWN_STATE_DIR: run it once to pair this home by voice\)/);

  const run = pair(w.env);
  const code = await run.code;
  const identity = readIdentity(w.stateDir);
  expect(identity?.homeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(identity?.key).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(path.join(w.stateDir, 'identity.json')).mode & 0o777).toBe(0o600);
  expect(statSync(w.stateDir).mode & 0o777).toBe(0o700);
  const homeId = identity!.homeId;

  const sleeper = w.skill();
  expect(textOf(await sleeper.intend('PairHomeIntent', { code }))).toBe(say.PAIRED);
  await run.done;
  expect(run.out.at(-1)).toMatch(/^paired: [0-9a-f]{12} \(Alexa account [0-9a-f]{8}\)/);
  expect(run.codes).toEqual([]);
  // The code worked once: its offer is gone from the broker.
  expect(await retainedOffers(w.broker.url)).toEqual([]);

  // The bridge, with no home id or key set, is the home that was paired.
  const config = loadConfig({ env: w.env });
  expect({ homeId: config.homeId, key: config.homeKey }).toEqual({ homeId, key: identity!.key });
  expect(readIdentity(w.stateDir)?.pairings).toHaveLength(1);
  const bridge = await w.home.startBridge({ WINDDOWN_STATE_DIR: w.stateDir });
  const accepted: string[] = [];
  bridge.events.on('command', (command) => void accepted.push(command.type));

  await sleeper.launch();
  await until(() => accepted.includes('session.start'), 'the paired home accepting the session');
  expect(w.commands.every((topic) => topic === `winddown/${homeId}/cmd`)).toBe(true);
  await w.clock.advance(2 * MINUTE);
  await until(() => w.emulator.commands.length > 0, 'the lamp breathing');

  // Another Alexa user, never paired: voice-only sessions, no home reached, and the hint once, before a
  // session that ends awake, never before one that ends in sleep.
  const stranger = w.skill();
  const published = w.commands.length;
  expect(textOf(await stranger.launch())).not.toContain(say.PAIR_HINT);
  await stranger.endSession();
  const first = textOf(await stranger.intend('StartSessionIntent', { technique: 'breathing', minutes: '2' }));
  expect(first).toContain(say.PAIR_HINT);
  await stranger.endSession();
  const again = textOf(await stranger.intend('StartSessionIntent', { technique: 'breathing', minutes: '2' }));
  expect(again).not.toContain(say.PAIR_HINT);
  expect(textOf(await stranger.intend('DiffuserOnIntent'))).toBe(say.NO_HOME_PAIRED_YET);
  expect(w.commands).toHaveLength(published);

  // A second person in the same household pairs with a new code, to the same home.
  const second = pair(w.env);
  const partner = w.skill();
  expect(textOf(await partner.intend('PairHomeIntent', { code: await second.code }))).toBe(say.PAIRED);
  await second.done;
  // The same home, now holding two pairings with two different keys; the first is not cut off.
  const both = readIdentity(w.stateDir)!;
  expect(both.homeId).toBe(homeId);
  expect(both.pairings).toHaveLength(2);
  expect(new Set(both.pairings!.map((p) => p.key)).size).toBe(2);
  const acceptedBefore = accepted.length;
  await partner.launch();
  await until(() => accepted.length > acceptedBefore, 'the same home accepting the partner\'s session');

  // Forgetting unpairs that user only.
  expect(textOf(await partner.intend('ForgetHomeIntent'))).toBe(say.HOME_FORGOTTEN);
  const afterForget = w.commands.length;
  await partner.launch();
  expect(w.commands).toHaveLength(afterForget);
  expect(textOf(await partner.intend('ForgetHomeIntent'))).toBe(say.NO_HOME_TO_FORGET);
  const sleeperBefore = w.commands.length;
  await sleeper.intend('AMAZON.StopIntent');
  await sleeper.launch();
  await until(() => w.commands.length > sleeperBefore, 'the first user still reaching the home');
});

test('a wrong code, an expired code and a sixth try after five wrong ones pair nothing', async () => {
  const w = await world();
  const run = pair(w.env, { pairingTtlMs: MINUTE });
  const code = await run.code;
  const wrong = code === '123456789' ? '987654321' : '123456789';

  // Said after the code's time (the skill's clock): the offer has expired, and is cleared.
  const late = w.skill({ now: () => Date.now() + MINUTE + 1000 });
  expect(textOf(await late.intend('PairHomeIntent', { code }))).toBe(say.PAIR_CODE_EXPIRED);
  expect(await retainedOffers(w.broker.url)).toEqual([]);

  const guesser = w.skill();
  for (let i = 0; i < 4; i++) expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong }))).toBe(say.PAIR_CODE_UNKNOWN);
  expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong }))).toBe(say.PAIR_LOCKED);

  // A fresh code, right this time, but the guesser is refused for a while: it stays offered.
  const next = pair(w.env);
  const fresh = await next.code;
  expect(textOf(await guesser.intend('PairHomeIntent', { code: fresh }))).toBe(say.PAIR_LOCKED);
  expect(await retainedOffers(w.broker.url)).toHaveLength(1);
  // Not a code at all: asked again, not counted.
  expect(textOf(await w.skill().intend('PairHomeIntent', { code: '12' }))).toBe(say.PAIR_NO_CODE);

  // Nobody paired: launches reach no home.
  await guesser.launch();
  await late.launch();
  expect(w.commands).toEqual([]);
  // Someone else can still use the fresh code.
  expect(textOf(await w.skill().intend('PairHomeIntent', { code: fresh }))).toBe(say.PAIRED);
  await next.done;
  expect(next.out.at(-1)).toMatch(/^paired: /);
  // The first `pair` saw its spent offer cleared without a confirm: it ends as an expired code does.
  await run.done;
  expect(run.codes).toEqual([1]);
});

test('`winddown pair` exits 1 when its code expires, and clears its offer', async () => {
  const w = await world();
  const run = pair(w.env, { pairingTtlMs: 300 });
  const code = await run.code;
  await run.done;
  expect(run.codes).toEqual([1]);
  expect(run.err.join('\n')).toMatch(/The code expired.*`npx winddown pair` again/);
  expect(run.out.some((line) => line.startsWith('paired'))).toBe(false);
  expect(await retainedOffers(w.broker.url)).toEqual([]);
  expect(textOf(await w.skill().intend('PairHomeIntent', { code }))).toBe(say.PAIR_CODE_UNKNOWN);
});

/** The payload retained on a topic (empty when none). */
async function retainedOn(url: string, topic: string): Promise<string> {
  const reader = await mqtt.connectAsync(url, { clientId: `reader-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0 });
  try {
    let seen = '';
    reader.on('message', (_t, payload) => (seen = payload.toString()));
    await reader.subscribeAsync(topic, { qos: 1 });
    await reader.unsubscribeAsync(`${topic}/barrier`);
    return seen;
  } finally {
    await reader.endAsync(true);
  }
}

/** Waits until the home's retained list of revoked pairings is `ids`. */
async function untilRevoked(url: string, homeId: string, ids: string[]): Promise<void> {
  for (let tries = 0; (await retainedOn(url, homeTopics(homeId).pairingsState)) !== JSON.stringify({ revoked: ids }); tries++) {
    if (tries > 200) throw new Error('the bridge never said which pairings it revoked');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function publishOnce(url: string, topic: string, payload: string): Promise<void> {
  const writer = await mqtt.connectAsync(url, { clientId: `writer-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0 });
  await writer.publishAsync(topic, payload, { qos: 1 });
  await writer.endAsync();
}

/** `winddown <args>` (pairings, unpair) as a person runs it, its output collected. */
async function winddown(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ out: string[]; err: string[]; codes: number[] }> {
  const run = { out: [] as string[], err: [] as string[], codes: [] as number[] };
  await buildProgram({ out: (t) => void run.out.push(t), err: (t) => void run.err.push(t), fail: (c) => void run.codes.push(c), env, signals: null }).parseAsync(['node', 'winddown', ...args]);
  return run;
}

/** `count` Alexa users, each paired to the world's home with a code of their own. */
async function pairedPeople(w: World, count: number): Promise<Harness[]> {
  const people: Harness[] = [];
  for (let i = 0; i < count; i++) {
    const person = w.skill();
    const run = pair(w.env);
    expect(textOf(await person.intend('PairHomeIntent', { code: await run.code }))).toBe(say.PAIRED);
    await run.done;
    people.push(person);
  }
  return people;
}

/** The bridge as `winddown bridge` starts it from the stored identity, with what it accepts and drops. */
async function bridgeOf(w: World): Promise<{ accepted: string[]; dropped: { reason: string; detail: string }[] }> {
  const bridge = await w.home.startBridge({ WINDDOWN_STATE_DIR: w.stateDir });
  const accepted: string[] = [];
  const dropped: { reason: string; detail: string }[] = [];
  bridge.events.on('command', (command) => void accepted.push(command.type));
  bridge.events.on('command.dropped', (drop) => void dropped.push(drop));
  return { accepted, dropped };
}

/** Every way a key could be written into a payload: hex (either case), base64 and base64url. */
function keyForms(hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex');
  return [hex.toLowerCase(), hex.toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')];
}

test('a whole pairing, recorded message by message at the broker, puts no key in any payload', async () => {
  const w = await world();
  const run = pair(w.env);
  const code = await run.code;
  const sleeper = w.skill();
  expect(textOf(await sleeper.intend('PairHomeIntent', { code }))).toBe(say.PAIRED);
  await run.done;
  const { accepted } = await bridgeOf(w);
  await sleeper.launch();
  await until(() => accepted.includes('session.start'), 'the paired home accepting the session');

  const identity = readIdentity(w.stateDir)!;
  const keys = [identity.key, ...identity.pairings!.map((p) => p.key)];
  expect(keys).toHaveLength(2);
  // The offer, the confirm, the cleared offer, the session's commands and states: all of it.
  expect(w.recorded.length).toBeGreaterThan(4);
  expect(w.recorded.some((payload) => payload.includes('"pub"'))).toBe(true);
  expect(w.recorded.some((payload) => payload.includes('"sealed"'))).toBe(true);
  for (const key of keys) for (const form of keyForms(key)) expect(w.recorded.filter((payload) => payload.includes(form))).toEqual([]);
});

test('two accounts saying one code at the same moment: exactly one is paired, the other hears it was just used', async () => {
  const w = await world();
  for (let trial = 0; trial < 3; trial++) {
    const run = pair(w.env);
    const code = await run.code;
    const [a, b] = [w.skill(), w.skill()];
    const answers = (await Promise.all([a.intend('PairHomeIntent', { code }), b.intend('PairHomeIntent', { code })])).map(textOf);
    expect(answers.sort()).toEqual([say.PAIRED, say.PAIR_CODE_TAKEN].sort());
    await run.done;
  }
  // One pairing per code, three codes.
  expect(readIdentity(w.stateDir)?.pairings).toHaveLength(3);
});

test('six wrong codes in a minute, with a success of its own in between, and the account cannot pair a newly offered home', async () => {
  const w = await world();
  const guesser = w.skill();
  const wrong = (n: number): string => String(100_000_000 + n);
  for (let i = 0; i < 3; i++) expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong(i) }))).toBe(say.PAIR_CODE_UNKNOWN);
  // A home of its own, paired in between: the count of wrong codes stays.
  const own = pair(w.env);
  expect(textOf(await guesser.intend('PairHomeIntent', { code: await own.code }))).toBe(say.PAIRED);
  await own.done;
  expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong(3) }))).toBe(say.PAIR_CODE_UNKNOWN);
  expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong(4) }))).toBe(say.PAIR_LOCKED);
  expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong(5) }))).toBe(say.PAIR_LOCKED);

  // Another household offers its home: the guesser cannot have it, even with the right code.
  const other = { ...w.env, WINDDOWN_STATE_DIR: path.join(w.stateDir, '..', 'neighbour') };
  const offered = pair(other);
  const code = await offered.code;
  expect(textOf(await guesser.intend('PairHomeIntent', { code }))).toBe(say.PAIR_LOCKED);
  expect(await retainedOffers(w.broker.url)).toHaveLength(1);
  expect(textOf(await w.skill().intend('PairHomeIntent', { code }))).toBe(say.PAIRED);
  await offered.done;
});

test('two pairings hold two keys and both reach the lamps; after `winddown unpair --all` neither does, and each hears how to pair again', async () => {
  const w = await world();
  const people = await pairedPeople(w, 2);
  const listed = await winddown(w.env, 'pairings');
  expect(listed.out).toHaveLength(2);
  for (const line of listed.out) expect(line).toMatch(/^[0-9a-f]{12} {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}account [0-9a-f]{8}$/);
  const identity = readIdentity(w.stateDir)!;
  expect(new Set(identity.pairings!.map((p) => p.key)).size).toBe(2);

  const { accepted, dropped } = await bridgeOf(w);
  for (const [i, person] of people.entries()) {
    await person.launch();
    await until(() => accepted.filter((t) => t === 'session.start').length === i + 1, `person ${i + 1}'s session accepted`);
    await person.intend('AMAZON.StopIntent');
  }
  await until(() => accepted.filter((t) => t === 'session.stop').length === 2, 'both sessions stopped');

  const unpaired = await winddown(w.env, 'unpair', '--all');
  expect(unpaired.codes).toEqual([]);
  expect(unpaired.out.join('\n')).toContain(identity.pairings![0]!.id);
  expect(readIdentity(w.stateDir)?.pairings).toEqual([]);
  expect(readIdentity(w.stateDir)?.key).not.toBe(identity.key);
  expect((await winddown(w.env, 'pairings')).out.join('\n')).toMatch(/^No pairings/);

  // The running bridge noticed: it says so, retained, for the skill...
  const ids = identity.pairings!.map((p) => p.id);
  await untilRevoked(w.broker.url, identity.homeId, ids);
  // ...and a command signed with either revoked key (a skill that has not heard yet) is dropped as `signature`.
  const acceptedBefore = accepted.length;
  for (const p of identity.pairings!) {
    const command = { v: PROTOCOL_VERSION, id: randomUUID().replace(/-/g, ''), homeId: identity.homeId, issuedAt: Date.now(), type: 'diffuser.set', on: true, minutes: 5 };
    await publishOnce(w.broker.url, homeTopics(identity.homeId).command, signCommand(Buffer.from(p.key, 'hex'), command, p.id));
  }
  await until(() => dropped.length === 2, 'both revoked keys dropped');
  expect(accepted.length).toBe(acceptedBefore);
  expect(dropped.map((d) => d.reason)).toEqual(['signature', 'signature']);
  expect(dropped.map((d) => d.detail).join('\n')).toMatch(/not one this home holds/);

  // Each person hears, once, that the home let them go and how to pair again, whatever they asked of
  // it (a session start is in the next test); nothing reaches the home.
  const sent = w.commands.length;
  const [first, second] = people;
  expect(textOf(await first!.intend('DiffuserOnIntent'))).toBe(say.PAIR_REVOKED_HOME);
  expect(textOf(await second!.intend('SetBedtimeIntent', { time: '22:00' }))).toBe(`${say.PAIR_REVOKED_HOME} ${say.bedtimeSet('22:00', 'disabled')}`);
  for (const person of people) {
    expect(textOf(await person.launch())).not.toMatch(/disconnected|winddown pair/);
    expect(textOf(await person.intend('AMAZON.StopIntent'))).toBe(say.GOODNIGHT);
  }
  expect(w.commands).toHaveLength(sent);
  expect(accepted.length).toBe(acceptedBefore);
});

test('`winddown unpair <id>` revokes one pairing and leaves the other', async () => {
  const w = await world();
  const people = await pairedPeople(w, 2);
  const [first, second] = readIdentity(w.stateDir)!.pairings!;
  expect((await winddown(w.env, 'unpair', 'zz')).codes).toEqual([1]);
  expect((await winddown(w.env, 'unpair')).codes).toEqual([2]);
  const { accepted, dropped } = await bridgeOf(w);
  expect((await winddown(w.env, 'unpair', first!.id.slice(0, 6))).out.join('\n')).toContain(first!.id);
  expect(readIdentity(w.stateDir)?.pairings?.map((p) => p.id)).toEqual([second!.id]);
  await untilRevoked(w.broker.url, readIdentity(w.stateDir)!.homeId, [first!.id]);
  expect(textOf(await people[0]!.launch())).toContain(say.PAIR_REVOKED);
  // Told once: a "stop" then sends nothing and says nothing more of it.
  expect(textOf(await people[0]!.intend('AMAZON.StopIntent'))).toBe(say.GOODNIGHT);
  await people[1]!.launch();
  await until(() => accepted.includes('session.start'), 'the other pairing still obeyed');
  expect(dropped).toEqual([]);
});
