/**
 * The diffuser always goes off, whatever else fails: a disk that refuses writes mid-run, a state file
 * found as garbage after a crash, an exception nothing caught. The whole bridge against a real broker
 * (Aedes), the Hue emulator and a fake Tasmota plug, on a fake clock.
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { BridgeHandle } from '../../devices/bridge';
import { startBridge } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { installFailSafe } from '../../devices/process/fail-safe';
import { FakeClock } from '../support/fake-clock';
import { SimulatedTasmota } from '../../local/simulators/plugs';
import { HueEmulator } from '../../local/simulators/hue-emulator';
import type { Command } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from './brokers';
import { startAedes } from './brokers';
import { breathing, memoryLogger, messageId, sessionStart, T0, tempDir, waitFor } from './helpers';
import { signed, TEST_HOME_KEY_HEX } from '../support/signing';

describe('fail-safe bridge', () => {
  let broker: TestBroker;
  let clock: FakeClock;
  let emulator: HueEmulator;
  let plug: SimulatedTasmota;
  let skill: MqttClient;
  let root: ReturnType<typeof tempDir>;
  let stateDir: string;
  let logs: ReturnType<typeof memoryLogger>;
  let homeId: string;
  const bridges: BridgeHandle[] = [];

  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => {
    await broker.close();
  });

  beforeEach(async () => {
    clock = new FakeClock(T0);
    emulator = new HueEmulator({ clock });
    await emulator.start();
    homeId = `home-${Math.random().toString(36).slice(2, 10)}`;
    plug = new SimulatedTasmota(`diffuser_${homeId}`, broker.url, clock);
    await plug.start();
    skill = await mqtt.connectAsync(broker.url, { clientId: `skill-${homeId}`, reconnectPeriod: 50 });
    root = tempDir();
    stateDir = path.join(root.dir, 'state');
    logs = memoryLogger();
  });
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop({ graceful: false });
    await skill.endAsync(true);
    await plug.stop();
    await emulator.stop();
    root.remove();
  });

  async function bridge(): Promise<BridgeHandle> {
    const config = loadConfig({
      env: {
        WINDDOWN_MQTT_URL: broker.url,
        WINDDOWN_HOME_ID: homeId, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX,
        WINDDOWN_HUE_URL: emulator.url,
        WINDDOWN_HUE_USERNAME: emulator.username,
        WINDDOWN_HUE_LIGHTS: '1',
        WINDDOWN_DIFFUSER: `tasmota:diffuser_${homeId}`,
        WINDDOWN_DIFFUSER_MAX_MINUTES: '45',
        WINDDOWN_STATE_DIR: stateDir,
        TZ: 'Europe/London',
      },
    });
    const handle = await startBridge(config, { clock, log: logs.log, reconnectMinMs: 50, reconnectMaxMs: 200 });
    bridges.push(handle);
    await handle.connected;
    return handle;
  }

  const envelope = () => ({ v: PROTOCOL_VERSION as typeof PROTOCOL_VERSION, id: messageId(), homeId, issuedAt: clock.now() });
  const send = async (command: Command): Promise<void> => {
    await skill.publishAsync(homeTopics(homeId).command, signed(command), { qos: 1 });
  };
  /** Root ignores permissions, so the state directory is replaced by a file: every write fails. */
  const breakTheDisk = (): void => {
    rmSync(stateDir, { recursive: true, force: true });
    writeFileSync(stateDir, 'not a directory');
  };
  const started = (): boolean => logs.lines.some((l) => l.msg === 'session starts');

  test('diffuser on, the state directory replaced by a file mid-run: the plug still goes OFF at its deadline, and the bridge keeps obeying', async () => {
    await bridge();
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 20 });
    await waitFor(() => plug.on, 'plug on');
    breakTheDisk();
    await clock.advance(20 * 60_000);
    // The plug's own PulseTime fires then too; the bridge's OFF must be there as well.
    await waitFor(() => plug.received.at(-1)?.payload === 'OFF', 'OFF sent at the deadline');
    expect(plug.received.at(-1)).toEqual({ at: T0 + 20 * 60_000, topic: `cmnd/diffuser_${homeId}/POWER`, payload: 'OFF' });
    expect(plug.on).toBe(false);
    // Still obeying: the diffuser again, and a session that breathes and fades off at its end.
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 5 });
    await waitFor(() => plug.on, 'plug on again');
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(1, 'fade-off') });
    await send(msg);
    await waitFor(started, 'session accepted');
    await clock.advanceTo(msg.startAt);
    await waitFor(() => emulator.commands.length === 1, 'inhale');
    await clock.advanceTo(msg.startAt + 4000);
    await waitFor(() => emulator.commands.length === 2, 'exhale');
    await clock.advanceTo(msg.startAt + msg.lights.totalMs);
    await waitFor(() => emulator.commands.length === 3, 'faded off at the end');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: false, transitiontime: 20 });
    expect(emulator.commands.map((c) => c.body.bri ?? null)).toEqual([200, 30, null]);
    await clock.advance(5 * 60_000);
    await waitFor(() => !plug.on, 'plug off again');
    // Logged once per kind of failure, not once per write.
    const failures = logs.lines.filter((l) => l.msg.startsWith('could not write the state file')).map((l) => l.code);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures).size).toBe(failures.length);
  });

  test('bridge killed with the diffuser on, state file replaced by garbage, started again: the plug is OFF at once and the bad file is kept aside', async () => {
    const first = await bridge();
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 30 });
    await waitFor(() => plug.on, 'plug on');
    bridges.splice(bridges.indexOf(first), 1);
    await first.stop({ graceful: false }); // as if it crashed
    const file = path.join(stateDir, 'state.json');
    writeFileSync(file, '\u0000\u0000garbage{');
    await bridge();
    await waitFor(() => !plug.on, 'plug off after the restart');
    expect(clock.now()).toBe(T0);
    const aside = readdirSync(stateDir).filter((f) => f.startsWith('state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(stateDir, aside[0] ?? ''), 'utf8')).toBe('\u0000\u0000garbage{');
  });

  test('an uncaught exception: the diffuser goes off, the lights get their end action, it is logged, and the process exits non-zero', async () => {
    const handle = await bridge();
    const proc = new EventEmitter();
    const exits: number[] = [];
    installFailSafe({ proc, bridge: handle, log: logs.log, exit: (code) => void exits.push(code) });
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(3, 'fade-off') });
    await send(msg);
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 30 });
    await waitFor(() => plug.on && started(), 'started');
    await clock.advanceTo(msg.startAt);
    await waitFor(() => emulator.commands.length === 1, 'first step');
    proc.emit('uncaughtException', new Error('something nobody expected'));
    await waitFor(() => exits.length > 0, 'exit');
    expect(exits).toEqual([1]);
    await waitFor(() => !plug.on, 'plug off');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: false, transitiontime: 20 });
    expect(logs.lines.find((l) => l.level === 60)).toMatchObject({ msg: 'uncaught exception: switching the diffuser off and ending the lights, then exiting', err: 'something nobody expected' });
    bridges.splice(bridges.indexOf(handle), 1);
  });

  test('an unhandled rejection is treated the same way', async () => {
    const handle = await bridge();
    const proc = new EventEmitter();
    const exits: number[] = [];
    installFailSafe({ proc, bridge: handle, log: logs.log, exit: (code) => void exits.push(code) });
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 30 });
    await waitFor(() => plug.on, 'plug on');
    proc.emit('unhandledRejection', new Error('a promise nobody awaited'));
    await waitFor(() => exits.length > 0, 'exit');
    expect(exits).toEqual([1]);
    await waitFor(() => !plug.on, 'plug off');
    bridges.splice(bridges.indexOf(handle), 1);
  });
});
