/**
 * One home on loopback for a bridge bench: a real broker, a Hue emulator standing in for the Hue
 * bridge, the home bridge in a process of its own, and an MQTT client publishing as the skill does.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../devices/process/clock';
import { systemClock } from '../../devices/process/clock';
import { HueEmulator } from '../../local/simulators/hue-emulator';
import type { Command } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import { startBridgeProcess, type BridgeProcess } from './bridge-proc';
import { startAedes, type AedesBroker } from '../../local/broker';
import { benchKeyHex, signedFor } from './commands';
import { pollUntil } from '../../test/support/until';

/** Wall time with sub-millisecond resolution, for measurements taken within this one process. */
export const preciseClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer: (at, fn) => systemClock.setTimer(at, fn),
  clearTimer: (handle) => systemClock.clearTimer(handle),
};

export interface HomeOptions {
  homeId?: string;
  lamps?: number;
  /** WINDDOWN_HUE_LIGHTS or WINDDOWN_HUE_GROUP, as a user would set them. */
  hue: { lights: string } | { group: string };
  /** The emulator's clock: the system clock (comparable with the bridge's deadlines) or a finer one. */
  clock?: Clock;
}

export interface Home {
  homeId: string;
  broker: AedesBroker;
  emulator: HueEmulator;
  bridge: BridgeProcess;
  skill: MqttClient;
  publish(command: Command): Promise<void>;
}

export async function withHome<T>(options: HomeOptions, run: (home: Home) => Promise<T>): Promise<T> {
  const homeId = options.homeId ?? 'bench-home';
  const broker = await startAedes();
  const emulator = new HueEmulator({ clock: options.clock ?? systemClock, lamps: Array.from({ length: options.lamps ?? 3 }, (_, i) => `Lamp ${i + 1}`) });
  await emulator.start();
  let bridge: BridgeProcess | null = null;
  let skill: MqttClient | null = null;
  try {
    const hue: Record<string, string> = 'lights' in options.hue ? { WINDDOWN_HUE_LIGHTS: options.hue.lights } : { WINDDOWN_HUE_GROUP: options.hue.group };
    bridge = await startBridgeProcess({ WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: homeId, WINDDOWN_HOME_KEY: benchKeyHex(homeId), WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: emulator.username, ...hue });
    skill = await connectAsync(broker.url, { clientId: `bench-skill-${process.pid}`, clean: true, reconnectPeriod: 0 });
    const client = skill;
    const topic = homeTopics(homeId).command;
    const home: Home = {
      homeId,
      broker,
      emulator,
      bridge,
      skill,
      publish: async (command) => {
        await client.publishAsync(topic, signedFor(command), { qos: 1 });
      },
    };
    return await run(home);
  } finally {
    if (skill) await skill.endAsync(true);
    if (bridge) await bridge.stop();
    await emulator.stop();
    await broker.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling every millisecond) until `condition` holds or `ms` pass; says which. */
export const until = (condition: () => boolean, ms: number): Promise<boolean> => pollUntil(condition, ms, 1);
