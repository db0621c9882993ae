/**
 * The diffuser always goes off, whatever else fails: a disk that refuses writes mid-run, a state file
 * found as garbage after a crash, an exception nothing caught. The whole bridge against a real broker
 * (Aedes), the Hue emulator and a fake Tasmota plug, on a fake clock.
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BridgeHandle } from '../../devices/bridge';
import { installFailSafe } from '../../devices/process/fail-safe';
import type { FakeClock } from '../support/fake-clock';
import type { SimulatedTasmota } from '../../local/simulators/plugs';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import type { Command } from '../../src/protocol/messages';
import type { TestBroker } from '../support/brokers';
import { startAedes } from '../support/brokers';
import { breathing, sessionStart, T0 } from './helpers';
import { ownHome, type Home } from '../support/home';
import { closedAtTeardown } from '../support/teardown';
import { until } from '../support/until';

describe('fail-safe bridge', () => {
  let broker: TestBroker;
  let home: Home;
  let clock: FakeClock;
  let emulator: HueEmulator;
  let plug: SimulatedTasmota;
  let stateDir: string;
  let logs: Home['logs'];
  let homeId: string;

  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
  });

  beforeEach(async () => {
    home = await ownHome(broker, { startAt: T0, env: { WINDDOWN_DIFFUSER_MAX_MINUTES: '45' } });
    ({ homeId, clock, emulator, plug, logs } = home);
    stateDir = path.join(home.stateDir, 'state');
  });

  const bridge = (): Promise<BridgeHandle> => home.startBridge({ WINDDOWN_STATE_DIR: stateDir });

  const envelope = () => home.envelope();
  const send = (command: Command): Promise<void> => home.send(command);
  /** Root ignores permissions, so the state directory is replaced by a file: every write fails. */
  const breakTheDisk = (): void => {
    rmSync(stateDir, { recursive: true, force: true });
    writeFileSync(stateDir, 'not a directory');
  };
  const started = (): boolean => logs.lines.some((l) => l.msg === 'session starts');

  test('diffuser on, the state directory replaced by a file mid-run: the plug still goes OFF at its deadline, and the bridge keeps obeying', async () => {
    await bridge();
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 20 });
    await until(() => plug.on, 'plug on');
    breakTheDisk();
    await clock.advance(20 * 60_000);
    // The plug's own PulseTime fires then too; the bridge's OFF must be there as well.
    await until(() => plug.received.at(-1)?.payload === 'OFF', 'OFF sent at the deadline');
    expect(plug.received.at(-1)).toEqual({ at: T0 + 20 * 60_000, topic: `cmnd/diffuser_${homeId}/POWER`, payload: 'OFF' });
    expect(plug.on).toBe(false);
    // Still obeying: the diffuser again, and a session that breathes and fades off at its end.
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 5 });
    await until(() => plug.on, 'plug on again');
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(1, 'fade-off') });
    await send(msg);
    await until(started, 'session accepted');
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'inhale');
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => emulator.commands.length === 2, 'exhale');
    await clock.advanceTo(msg.startAt + msg.lights.totalMs);
    await until(() => emulator.commands.length === 3, 'faded off at the end');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: false, transitiontime: 20 });
    expect(emulator.commands.map((c) => c.body.bri ?? null)).toEqual([200, 30, null]);
    await clock.advance(5 * 60_000);
    await until(() => !plug.on, 'plug off again');
    // Logged once per kind of failure, not once per write.
    const failures = logs.lines.filter((l) => l.msg.startsWith('could not write the state file')).map((l) => l.code);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures).size).toBe(failures.length);
  });

  test('bridge killed with the diffuser on, state file replaced by garbage, started again: the plug is OFF at once and the bad file is kept aside', async () => {
    const first = await bridge();
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 30 });
    await until(() => plug.on, 'plug on');
    await first.stop({ graceful: false }); // as if it crashed
    const file = path.join(stateDir, 'state.json');
    writeFileSync(file, '\u0000\u0000garbage{');
    await bridge();
    await until(() => !plug.on, 'plug off after the restart');
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
    await until(() => plug.on && started(), 'started');
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    proc.emit('uncaughtException', new Error('something nobody expected'));
    await until(() => exits.length > 0, 'exit');
    expect(exits).toEqual([1]);
    await until(() => !plug.on, 'plug off');
    expect(emulator.commands.at(-1)?.body).toEqual({ on: false, transitiontime: 20 });
    expect(logs.lines.find((l) => l.level === 60)).toMatchObject({ msg: 'uncaught exception: switching the diffuser off and ending the lights, then exiting', err: 'something nobody expected' });
  });

  test('an unhandled rejection is treated the same way', async () => {
    const handle = await bridge();
    const proc = new EventEmitter();
    const exits: number[] = [];
    installFailSafe({ proc, bridge: handle, log: logs.log, exit: (code) => void exits.push(code) });
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 30 });
    await until(() => plug.on, 'plug on');
    proc.emit('unhandledRejection', new Error('a promise nobody awaited'));
    await until(() => exits.length > 0, 'exit');
    expect(exits).toEqual([1]);
    await until(() => !plug.on, 'plug off');
  });
});
