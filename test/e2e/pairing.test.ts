/**
 * Hosted mode end to end: a skill with no home id, an Aedes broker, the Hue emulator and a Tasmota
 * plug. `winddown pair` (the CLI's own command, run in this process) offers the home under a code;
 * PairHomeIntent with that code pairs the Alexa user who said it; `winddown bridge` starts from the
 * identity `pair` stored; that user's "start wind down" breathes the lamps, while another, unpaired
 * user's launch reaches no home at all. Wrong, expired and too many codes pair nothing.
 *
 * The bridge, the emulator and the plug share a fake clock started at the real time (the skill stamps
 * its commands with the real clock); only MQTT and HTTP delivery on loopback is waited for.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { buildProgram, type CliIo } from '../../devices/cli';
import { loadConfig } from '../../devices/config';
import { readIdentity } from '../../devices/pairing/identity';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import * as say from '../../lambda/speech';
import { offerTopic } from '../../src/protocol/pairing';
import { textOf, type Harness } from '../lambda/helpers';
import { startAedes, type AedesBroker } from '../support/brokers';
import type { FakeClock } from '../support/fake-clock';
import { startHome, type Home } from '../support/home';
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
  skill(options?: { now?: () => number }): Harness;
}

async function world(): Promise<World> {
  const broker = await closedAtTeardown(startAedes());
  const commands: string[] = [];
  broker.aedes.on('publish', (packet, client) => {
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
  const skill = (options: { now?: () => number } = {}): Harness => home.newSkill(options);
  return { broker, clock: home.clock, emulator: home.emulator, home, stateDir, env, commands, skill };
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
      const said = /^Say: "Alexa, ask Wind Down to pair with code (\d{3}) (\d{3})"$/.exec(text);
      if (said) gotCode(`${said[1]}${said[2]}`);
    },
    err: (text) => void err.push(text),
    fail: (c) => void codes.push(c),
    env,
    ...io,
  })
    .parseAsync(['node', 'winddown', 'pair'])
    .then(() => undefined);
  return { code, done, out, err, codes };
}

async function retainedOffer(url: string, code: string): Promise<string | null> {
  const reader = await mqtt.connectAsync(url, { clientId: `offer-reader-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 0 });
  try {
    let seen: string | null = null;
    reader.on('message', (_t, payload) => (seen = payload.toString()));
    await reader.subscribeAsync(offerTopic(code), { qos: 1 });
    await reader.unsubscribeAsync(`${offerTopic(code)}/barrier`);
    return seen;
  } finally {
    await reader.endAsync(true);
  }
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
  expect(run.out.at(-1)).toBe('paired');
  expect(run.codes).toEqual([]);
  // The code worked once: its offer is gone from the broker.
  expect(await retainedOffer(w.broker.url, code)).toBeNull();

  // The bridge, with no home id or key set, is the home that was paired.
  const config = loadConfig({ env: w.env });
  expect({ homeId: config.homeId, key: config.homeKey }).toEqual({ homeId, key: identity!.key });
  const bridge = await w.home.startBridge({ WINDDOWN_STATE_DIR: w.stateDir });
  const accepted: string[] = [];
  bridge.events.on('command', (command) => void accepted.push(command.type));

  await sleeper.launch();
  await until(() => accepted.includes('session.start'), 'the paired home accepting the session');
  expect(w.commands.every((topic) => topic === `winddown/${homeId}/cmd`)).toBe(true);
  await w.clock.advance(2 * MINUTE);
  await until(() => w.emulator.commands.length > 0, 'the lamp breathing');

  // Another Alexa user, never paired: a voice-only session with the hint, once, and no home reached.
  const stranger = w.skill();
  const published = w.commands.length;
  const first = textOf(await stranger.launch());
  expect(first).toContain(say.PAIR_HINT);
  await stranger.endSession();
  const again = textOf(await stranger.launch());
  expect(again).not.toContain(say.PAIR_HINT);
  expect(textOf(await stranger.intend('DiffuserOnIntent'))).toBe(say.NO_HOME_PAIRED_YET);
  expect(w.commands).toHaveLength(published);

  // A second person in the same household pairs with a new code, to the same home.
  const second = pair(w.env);
  const partner = w.skill();
  expect(textOf(await partner.intend('PairHomeIntent', { code: await second.code }))).toBe(say.PAIRED);
  await second.done;
  expect(readIdentity(w.stateDir)).toEqual(identity);
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
  const run = pair(w.env);
  const code = await run.code;
  const wrong = code === '123456' ? '654321' : '123456';

  // Said eleven minutes later (the skill's clock): the offer has expired, and is cleared.
  const late = w.skill({ now: () => Date.now() + 11 * MINUTE });
  expect(textOf(await late.intend('PairHomeIntent', { code }))).toBe(say.PAIR_CODE_EXPIRED);
  expect(await retainedOffer(w.broker.url, code)).toBeNull();

  const guesser = w.skill();
  for (let i = 0; i < 4; i++) expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong }))).toBe(say.PAIR_CODE_UNKNOWN);
  expect(textOf(await guesser.intend('PairHomeIntent', { code: wrong }))).toBe(say.PAIR_LOCKED);

  // A fresh code, right this time, but the guesser is refused for a while: it stays offered.
  const next = pair(w.env);
  const fresh = await next.code;
  expect(textOf(await guesser.intend('PairHomeIntent', { code: fresh }))).toBe(say.PAIR_LOCKED);
  expect(await retainedOffer(w.broker.url, fresh)).not.toBeNull();
  // Not a code at all: asked again, not counted.
  expect(textOf(await w.skill().intend('PairHomeIntent', { code: '12' }))).toBe(say.PAIR_NO_CODE);

  // Nobody paired: launches reach no home.
  await guesser.launch();
  await late.launch();
  expect(w.commands).toEqual([]);
  // Someone else can still use the fresh code.
  expect(textOf(await w.skill().intend('PairHomeIntent', { code: fresh }))).toBe(say.PAIRED);
  await next.done;
  expect(next.out.at(-1)).toBe('paired');
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
  expect(run.out).not.toContain('paired');
  expect(await retainedOffer(w.broker.url, code)).toBeNull();
  expect(textOf(await w.skill().intend('PairHomeIntent', { code }))).toBe(say.PAIR_CODE_UNKNOWN);
});
