/**
 * The whole bridge against real brokers (Aedes in-process; Mosquitto when installed), the Hue
 * emulator and a fake Tasmota plug, on a fake clock: what the skill publishes is what the lamps and
 * the plug do, and nothing else.
 */
import mqtt from 'mqtt';
import type { BridgeHandle } from '../../devices/bridge';
import { HUE_DISPATCH_LEAD_MS } from '../../devices/lights/hue/hue';
import type { FakeClock } from '../support/fake-clock';
import type { SimulatedTasmota } from '../../local/simulators/plugs';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import type { Command, LightStep, SessionState } from '../../src/protocol/messages';
import { LightsState, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../src/protocol/messages';
import type { SessionStartV1 } from '../../src/protocol/earlier-versions';
import { homeTopics } from '../../src/protocol/topics';
import type { TestBroker } from '../support/brokers';
import { brokerFactories } from '../support/brokers';
import { breathing, messageId, sessionStart, T0 } from './helpers';
import { ownHome, type Home } from '../support/home';
import { closedAtTeardown } from '../support/teardown';
import { until } from '../support/until';

describe.each(brokerFactories)('bridge over %s', (_name, startBroker) => {
  let broker: TestBroker;
  let home: Home;
  let clock: FakeClock;
  let emulator: HueEmulator;
  let plug: SimulatedTasmota;
  let logs: Home['logs'];
  let homeId: string;

  beforeAll(async () => {
    broker = await closedAtTeardown(startBroker());
  });

  beforeEach(async () => {
    home = await ownHome(broker, { startAt: T0, env: { WINDDOWN_DIFFUSER_MAX_MINUTES: '45' } });
    ({ homeId, clock, emulator, plug, logs } = home);
  });

  const bridge = (extra: Record<string, string> = {}): Promise<BridgeHandle> => home.startBridge(extra);

  const envelope = () => home.envelope();
  const send = (command: Command | string | Buffer): Promise<void> => home.send(command);
  /** With no deadline on record, a bridge tells the plug OFF as it starts (a crash may have left it on). */
  const startupOff = async (): Promise<void> => {
    await until(() => plug.received.length === 1, 'the OFF sent at start');
    expect(plug.received.splice(0)).toMatchObject([{ topic: `cmnd/diffuser_${homeId}/POWER`, payload: 'OFF' }]);
  };
  const retainedOn = async (topic: string): Promise<string> => {
    const reader = await mqtt.connectAsync(broker.url, { clientId: `reader-${Math.random().toString(36).slice(2)}` });
    const value = new Promise<string>((resolve) => reader.on('message', (t, p) => t === topic && resolve(p.toString())));
    await reader.subscribeAsync(topic, { qos: 1 });
    const text = await value;
    await reader.endAsync(true);
    return text;
  };

  test('announces itself online (retained) and offline by its last will when it dies', async () => {
    const b = await bridge();
    expect(await retainedOn(homeTopics(homeId).availability)).toBe('online');
    await b.stop({ graceful: false });
    const reader = await mqtt.connectAsync(broker.url, { clientId: `reader-lwt-${homeId}` });
    const seen: string[] = [];
    reader.on('message', (_t, p) => seen.push(p.toString()));
    await reader.subscribeAsync(homeTopics(homeId).availability, { qos: 1 });
    await until(() => seen.includes('offline'), 'last will');
    await reader.endAsync(true);
  });

  test('a session over MQTT breathes the lamp at its deadlines and a stop restores it', async () => {
    await bridge();
    // What the bridge publishes on the lights state topic, each checked against the shared schema.
    const watcher = await mqtt.connectAsync(broker.url, { clientId: `lights-${homeId}` });
    const lightStates: unknown[] = [];
    watcher.on('message', (_t, p) => lightStates.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync(homeTopics(homeId).lightsState, { qos: 1 });
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(2) });
    await send(msg);
    await until(() => logs.lines.some((l) => l.msg === 'session starts'), 'session accepted');
    for (const [i, [atMs]] of msg.lights.steps.slice(0, 3).entries()) {
      await clock.advanceTo(msg.startAt + atMs);
      await until(() => emulator.commands.length === i + 1, `step ${i}`);
      // Published once Hue confirmed the step (before the next one is sent).
      await until(() => lightStates.length === i + 1, `lights state ${i}`);
    }
    expect(emulator.commands.map((c) => [c.at - msg.startAt, c.body.bri, c.body.transitiontime])).toEqual([
      [0, 200, 40],
      [4000, 30, 60],
      [10_000, 200, 40],
    ]);
    await send({ ...envelope(), type: 'session.stop', reason: 'stop' });
    await until(() => emulator.commands.length === 4, 'restore');
    expect(emulator.commands[3]?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
    await clock.advance(60_000);
    expect(emulator.commands).toHaveLength(4);
    // The retained session state ends idle (after 'ending' while the lights were being restored).
    const reader = await mqtt.connectAsync(broker.url, { clientId: `reader-${homeId}` });
    const statuses: string[] = [];
    reader.on('message', (_t, p) => statuses.push((JSON.parse(p.toString()) as { status: string }).status));
    await reader.subscribeAsync(homeTopics(homeId).sessionState, { qos: 1 });
    await until(() => statuses.at(-1) === 'idle', 'idle session state');
    await reader.endAsync(true);
    await until(() => lightStates.length === 4, 'a lights state for the restore');
    await watcher.endAsync(true);
    for (const published of lightStates) expect(LightsState.safeParse(published)).toMatchObject({ success: true });
    expect(lightStates.map((l) => (l as LightsState).bri)).toEqual([200, 30, 200, null]);
    expect(lightStates.at(-1)).toMatchObject({ on: true });
  });

  test('the session state names the phase each step carries; a version-1 session breathes alike, its phase unknown', async () => {
    await bridge();
    const reader = await mqtt.connectAsync(broker.url, { clientId: `phases-${homeId}` });
    const states: SessionState[] = [];
    reader.on('message', (_t, p) => states.push(JSON.parse(p.toString()) as SessionState));
    await reader.subscribeAsync(homeTopics(homeId).sessionState, { qos: 1 });
    // Levels that say nothing of the phase (a drift that brightens, a tensed muscle held level): the state
    // says what the message says.
    const steps: LightStep[] = [[0, 60, 2000, 'drift'], [2000, 90, 2000, 'tense'], [4000, 90, 2000, 'hold'], [6000, 30, 4000, 'release']];
    const msg = sessionStart(clock.now(), { homeId, lights: { ...breathing(1), steps } });
    await send(msg);
    for (const [i, [atMs, bri, , phase]] of steps.entries()) {
      await clock.advanceTo(msg.startAt + atMs);
      await until(() => emulator.commands.length === i + 1, `step ${i}`);
      await until(() => states.some((s) => s.phase === phase && s.bri === bri), `the ${phase} published`);
    }
    await send({ ...envelope(), type: 'session.stop', reason: 'stop' });
    await until(() => states.at(-1)?.status === 'idle', 'idle');

    const v1: SessionStartV1 = { ...sessionStart(clock.now(), { homeId, sessionId: 'sess-v1', lights: breathing(1) }), v: 1, lights: { ...breathing(1), steps: [[0, 200, 4000], [4000, 30, 6000]] } };
    await send(JSON.stringify(v1));
    await until(() => logs.lines.filter((l) => l.msg === 'session starts').length === 2, 'the version-1 session accepted');
    const before = emulator.commands.length;
    await clock.advanceTo(v1.startAt);
    await until(() => emulator.commands.length === before + 1, 'its first step');
    expect(emulator.commands.at(-1)).toMatchObject({ at: v1.startAt, body: { on: true, bri: 200, transitiontime: 40 } });
    await until(() => states.some((s) => s.sessionId === 'sess-v1' && s.bri === 200), 'its state');
    expect(new Set(states.filter((s) => s.sessionId === 'sess-v1').map((s) => s.phase))).toEqual(new Set([null]));
    expect(logs.warnings().filter((l) => l.scope === 'inbox')).toEqual([]);
    await reader.endAsync(true);
  });

  test('a part that is not the last holds for WINDDOWN_SESSION_HOLD_MINUTES, then restores the lights', async () => {
    await bridge({ WINDDOWN_SESSION_HOLD_MINUTES: '2' });
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(2), untilMs: 10_000, final: false });
    await send(msg);
    await until(() => logs.lines.some((l) => l.msg === 'session starts'), 'session accepted');
    await clock.advanceTo(msg.startAt + 4000);
    await until(() => emulator.commands.length === 2, 'two steps');
    await clock.advanceTo(msg.startAt + 10_000 + 2 * 60_000 - 1);
    expect(emulator.commands).toHaveLength(2);
    await clock.advance(1);
    await until(() => emulator.commands.length === 3, 'restored after the hold');
    expect(emulator.commands[2]?.body).toMatchObject({ on: true, bri: 180 });
  });

  test('turn on the diffuser: PulseTime first, then ON; the bridge switches it off at the (capped) deadline', async () => {
    await bridge();
    await startupOff();
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 90 });
    await until(() => plug.on, 'plug on');
    expect(plug.received.map((r) => [r.topic, r.payload])).toEqual([
      [`cmnd/diffuser_${homeId}/PulseTime`, String(45 * 60 + 100)],
      [`cmnd/diffuser_${homeId}/POWER`, 'ON'],
    ]);
    await clock.advance(45 * 60_000 - 1);
    expect(plug.on).toBe(true);
    await clock.advance(1);
    await until(() => !plug.on, 'plug off');
    // The bridge's OFF and the plug's own PulseTime both fire at 45 min; either way it is off.
    expect(plug.history.at(-1)?.at).toBe(T0 + 45 * 60_000);
  });

  test('untrusted input: each bad message is one warn line and touches nothing; the bridge keeps working', async () => {
    await bridge();
    await startupOff();
    const good = { ...envelope(), type: 'diffuser.set' as const, on: true, minutes: 5 };
    const bad: [string, string | Buffer][] = [
      ['malformed', '{not json'],
      ['oversized', Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20)],
      ['version', JSON.stringify({ ...good, id: messageId(), v: PROTOCOL_VERSION + 1 })],
      ['schema', JSON.stringify({ ...good, id: messageId(), minutes: 100_000 })],
      ['other-home', JSON.stringify({ ...good, id: messageId(), homeId: 'someone-else' })],
      ['stale', JSON.stringify({ ...good, id: messageId(), issuedAt: clock.now() - 121_000 })],
      ['future', JSON.stringify({ ...good, id: messageId(), issuedAt: clock.now() + 3_600_000 })],
    ];
    for (const [reason, payload] of bad) {
      const before = logs.warnings().length;
      await send(payload);
      await until(() => logs.warnings().length === before + 1, `${reason} logged`);
      expect(logs.warnings().at(-1)).toMatchObject({ reason, scope: 'inbox' });
    }
    expect(plug.received).toHaveLength(0);
    await send(good);
    await until(() => plug.on, 'the good one acted on');
    const count = plug.received.length;
    // A replay of the good one, a second later: a duplicate.
    await clock.advance(1000);
    const before = logs.warnings().length;
    await send(good);
    await until(() => logs.warnings().length === before + 1, 'duplicate logged');
    expect(logs.warnings().at(-1)).toMatchObject({ reason: 'duplicate' });
    expect(plug.received).toHaveLength(count);
  });

  test('a QoS 1 command sent while the bridge was down arrives when it is back (persistent session)', async () => {
    const first = await bridge();
    await first.stop({ graceful: false });
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 10 });
    expect(plug.on).toBe(false);
    await bridge();
    await until(() => plug.on, 'queued command delivered');
  });

  test('a restart mid-session rejoins at the right phase; a diffuser deadline survives it', async () => {
    const first = await bridge();
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(3) });
    await send(msg);
    await send({ ...envelope(), type: 'diffuser.set', on: true, minutes: 20 });
    await until(() => plug.on && logs.lines.some((l) => l.msg === 'session starts'), 'started');
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    await first.stop({ graceful: false }); // as if it crashed
    await clock.advanceTo(msg.startAt + 15_000); // mid-exhale of breath 2 (14 s + 6 s)
    await bridge();
    await until(() => emulator.commands.length === 2, 'rejoined');
    expect(emulator.commands[1]).toMatchObject({ at: msg.startAt + 15_000, body: { on: true, bri: 30, ct: 454, transitiontime: 50 } });
    await clock.advanceTo(T0 + 20 * 60_000);
    await until(() => !plug.on, 'diffuser off at its deadline after the restart');
  });

  test('a graceful stop (SIGTERM) restores the lights, switches the diffuser off and says offline', async () => {
    const b = await bridge();
    // A sleep session fades off at its end; stopped midway, the person gets their lights back.
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(3, 'fade-off') });
    await send(msg);
    await send({ ...envelope(), type: 'diffuser.set', on: true });
    await until(() => plug.on && logs.lines.some((l) => l.msg === 'session starts'), 'started');
    await clock.advanceTo(msg.startAt);
    await until(() => emulator.commands.length === 1, 'first step');
    await b.stop();
    expect(emulator.commands.at(-1)?.body).toEqual({ on: true, bri: 180, ct: 366, transitiontime: 20 });
    await until(() => !plug.on, 'diffuser off');
    expect(await retainedOn(homeTopics(homeId).availability)).toBe('offline');
  });

  test('a broker restart: the session keeps breathing while it is away and the bridge reconnects', async () => {
    const b = await bridge();
    const msg = sessionStart(clock.now(), { homeId, lights: breathing(3) });
    await send(msg);
    await until(() => logs.lines.some((l) => l.msg === 'session starts'), 'session accepted');
    let reconnected = 0;
    b.events.on('mqtt.connected', () => void (reconnected += 1));
    await broker.down();
    for (const [i, [atMs]] of msg.lights.steps.slice(0, 4).entries()) {
      await clock.advanceTo(msg.startAt + atMs);
      await until(() => emulator.commands.length === i + 1, `step ${i} while the broker is down`);
    }
    // Each is handed over HUE_DISPATCH_LEAD_MS early: on the fake clock it lands between then and its deadline.
    const landed = emulator.commands.map((c, i) => ({ i, early: [0, 4000, 10_000, 14_000][i]! - (c.at - msg.startAt) }));
    expect(landed.map(({ i, early }) => ({ i, onTime: early >= 0 && early <= HUE_DISPATCH_LEAD_MS }))).toEqual([0, 1, 2, 3].map((i) => ({ i, onTime: true })));
    await broker.up();
    await until(() => reconnected > 0, 'reconnected', 10_000);
    await send({ ...envelope(), type: 'session.stop', reason: 'stop' });
    await until(() => emulator.commands.length === 5, 'stop after the broker came back');
    expect(emulator.commands[4]?.body).toMatchObject({ bri: 180 });
  });
});
