/**
 * One home on loopback for a test: a real broker (Aedes in this process, or the suite's own), the Hue
 * emulator, a simulated smart plug for the diffuser, the bridge configured with the variables a person
 * sets (read by its own config loader) and, when a test speaks, the skill's handler through the real
 * interaction model. The bridge, the emulator and the plug share one fake clock.
 *
 * Everything it starts is closed after the test by the shared teardown (test/support/teardown.ts), so
 * a test file neither repeats the set-up nor has to remember to close it.
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { startBridge, type BridgeDeps, type BridgeHandle } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import { SimulatedShelly, SimulatedTasmota, SimulatedZigbeePlug } from '../../local/simulators/plugs';
import { homeTopics } from '../../src/protocol/topics';
import { PROTOCOL_VERSION, type Command } from '../../src/protocol/messages';
import type { ReceivedCommand } from '../../src/protocol/earlier-versions';
import { memoryLogger, messageId, tempDir } from '../devices/helpers';
import { harness, HOME_ID, type Harness, type HarnessOptions } from '../lambda/helpers';
import { startAedes, type TestBroker } from './brokers';
import { FakeClock } from './fake-clock';
import { startEmulator } from './hue';
import { signed, TEST_HOME_KEY_HEX } from './signing';
import { onTeardown } from './teardown';

/** The plugs a home can have, each simulated as its firmware behaves; the key is WINDDOWN_DIFFUSER's kind. */
const SIMULATED_PLUGS = {
  tasmota: SimulatedTasmota,
  shelly: SimulatedShelly,
  zigbee2mqtt: SimulatedZigbeePlug,
} as const;
export type PlugKind = keyof typeof SIMULATED_PLUGS;

/** The lamps as a person names them: a list of light ids, or a room. */
export type LampSettings = { WINDDOWN_HUE_LIGHTS: string } | { WINDDOWN_HUE_GROUP: string };

export interface HomeOptions<K extends PlugKind = 'tasmota'> {
  /** The diffuser's plug: its kind and the name it has on the broker. Default a Tasmota plug `bedroom_diffuser`. */
  plug?: { kind: K; id: string };
  /** The lamps the bridge breathes, on the Hue emulator; null: a home without Hue lamps. Default lamp 1. */
  lights?: LampSettings | null;
  /** How the skill is started when the test speaks (`home.skill`); it talks to this home's broker. */
  skill?: HarnessOptions;
  /** More of the bridge's settings; they win over the home's own (undefined: unset). */
  env?: Record<string, string | undefined>;
  /** A broker the suite started (one per broker kind); a fresh Aedes when omitted. */
  broker?: TestBroker;
  /** The fake clock's start; default now (the skill stamps its commands with the real clock). */
  startAt?: number;
  /** false: the test starts the bridge itself (`home.startBridge`, or the CLI with `home.env`). */
  bridge?: boolean;
  /** The bridge's own collaborators, beside the home's clock (and its log, unless one is given). */
  deps?: Omit<BridgeDeps, 'clock'>;
}

export interface Home<K extends PlugKind = 'tasmota'> {
  homeId: string;
  broker: TestBroker;
  clock: FakeClock;
  emulator: HueEmulator;
  plug: InstanceType<(typeof SIMULATED_PLUGS)[K]>;
  /** The bridge's settings, as a person would export them. */
  env: Record<string, string | undefined>;
  stateDir: string;
  logs: ReturnType<typeof memoryLogger>;
  /** The first bridge started (fails when none is). */
  readonly bridge: BridgeHandle;
  /** Commands the bridges let through their inboxes, and the ones they dropped. */
  accepted: ReceivedCommand[];
  dropped: { reason: string; detail: string }[];
  /** A bridge on this home's settings and `env` over them (undefined: unset), connected; another one each call. */
  startBridge(env?: Record<string, string | undefined>): Promise<BridgeHandle>;
  /** The skill as the home's listener speaks to it (made on first use). */
  readonly skill: Harness;
  /** Another skill on this home's broker (another listener, or the same one later). */
  newSkill(options?: HarnessOptions): Harness;
  /** The home's listener again, in a later Alexa session (what `skill` saved, it remembers). */
  later(): Harness;
  /** Publishes as another client on the broker (the skill's command topic by default). */
  publish(payload: string | Buffer, topic?: string): Promise<void>;
  /** A command's envelope for this home, fresh on its clock. */
  envelope(): { v: typeof PROTOCOL_VERSION; id: string; homeId: string; issuedAt: number };
  /**
   * Sends a command on the home's topic, signed with its key as the skill signs, even a malformed
   * text (so that it is dropped for what it tests); a Buffer goes as it is.
   */
  send(command: Command | string | Buffer): Promise<void>;
}

export async function startHome<K extends PlugKind = 'tasmota'>(options: HomeOptions<K> = {}): Promise<Home<K>> {
  const homeId = options.env?.WINDDOWN_HOME_ID ?? HOME_ID;
  const broker = options.broker ?? (await startAedes());
  if (!options.broker) onTeardown(() => broker.close());
  const clock = new FakeClock(options.startAt ?? Date.now());
  const emulator = await startEmulator({ clock });
  const { kind, id } = options.plug ?? { kind: 'tasmota' as K, id: 'bedroom_diffuser' };
  const plug = new SIMULATED_PLUGS[kind](id, broker.url, clock) as InstanceType<(typeof SIMULATED_PLUGS)[K]>;
  await plug.start();
  onTeardown(() => plug.stop());
  const state = tempDir('winddown-home-');
  onTeardown(() => state.remove());
  const logs = memoryLogger();

  const lamps = options.lights === undefined ? { WINDDOWN_HUE_LIGHTS: '1' } : options.lights;
  const env: Record<string, string | undefined> = {
    WINDDOWN_MQTT_URL: broker.url,
    WINDDOWN_HOME_ID: homeId,
    WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX,
    ...(lamps ? { WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: emulator.username, ...lamps } : {}),
    WINDDOWN_DIFFUSER: `${kind}:${id}`,
    WINDDOWN_STATE_DIR: state.dir,
    TZ: 'Europe/London',
    ...options.env,
  };

  const bridges: BridgeHandle[] = [];
  const accepted: ReceivedCommand[] = [];
  const dropped: Home['dropped'] = [];
  const bridgeOn = async (extra: Record<string, string | undefined> = {}): Promise<BridgeHandle> => {
    const config = loadConfig({ env: { ...env, ...extra } });
    const bridge = await startBridge(config, { reconnectMinMs: 50, reconnectMaxMs: 200, log: logs.log, ...options.deps, clock });
    onTeardown(() => bridge.stop({ graceful: false }));
    bridges.push(bridge);
    bridge.events.on('command', (command) => void accepted.push(command));
    bridge.events.on('command.dropped', (drop) => void dropped.push(drop));
    await bridge.connected;
    return bridge;
  };
  if (options.bridge !== false) await bridgeOn();

  const newSkill = (more: HarnessOptions = {}): Harness =>
    harness({ ...options.skill, ...more, env: { WINDDOWN_MQTT_URL: broker.url, ...options.skill?.env, ...more.env } });
  let publisher: mqtt.MqttClient | null = null;
  let skill: Harness | null = null;
  const publish = async (payload: string | Buffer, topic = homeTopics(homeId).command): Promise<void> => {
    if (!publisher) {
      const client = await mqtt.connectAsync(broker.url, { clientId: `publisher-${randomUUID().slice(0, 8)}`, reconnectPeriod: 50 });
      publisher = client;
      onTeardown(() => client.endAsync(true));
    }
    await publisher.publishAsync(topic, payload, { qos: 1 });
  };
  const listener = (): Harness => (skill ??= newSkill());

  return {
    homeId,
    broker,
    clock,
    emulator,
    plug,
    env,
    stateDir: state.dir,
    logs,
    get bridge() {
      const [first] = bridges;
      if (!first) throw new Error('no bridge started in this home');
      return first;
    },
    accepted,
    dropped,
    startBridge: bridgeOn,
    get skill() {
      return listener();
    },
    newSkill,
    later: () => newSkill({ sameUserAs: listener() }),
    publish,
    envelope: () => ({ v: PROTOCOL_VERSION, id: messageId(), homeId, issuedAt: clock.now() }),
    send: (command) => publish(Buffer.isBuffer(command) ? command : signed(command)),
  };
}

/**
 * A home of its own on a broker a suite shares: its own id and a Tasmota plug named for it, so that
 * nothing a test leaves on the broker reaches the next; its bridge is started by the test.
 */
export function ownHome(broker: TestBroker, options: Pick<HomeOptions, 'startAt' | 'env'> = {}): Promise<Home> {
  const homeId = `home-${randomUUID().slice(0, 8)}`;
  return startHome({ ...options, broker, plug: { kind: 'tasmota', id: `diffuser_${homeId}` }, env: { WINDDOWN_HOME_ID: homeId, ...options.env }, bridge: false });
}
