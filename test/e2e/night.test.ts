/**
 * The middle of the night, end to end: the skill (virtual-alexa through the real en-US interaction
 * model, asking the device's zone of a loopback stand-in for the Alexa Settings API) publishes to an
 * Aedes broker; the bridge drives the Hue emulator and a fake Tasmota plug. The skill, the bridge, the
 * emulator and the plug share one fake clock set to 3 a.m. in New York, so a whole session passes in
 * a moment and every command is stamped fresh for the bridge.
 *
 * What is held: a back-to-sleep session in a room whose lamps are off switches nothing on and sets
 * nothing above brightness 2; a lamp that is on is only ever dimmed; no diffuser; while the same
 * launch at 9 p.m. breathes the lamps and brings the diffuser on.
 */
import { clearTimeZoneCache } from '../../lambda/alexa-apis/time-zone';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import type { SimulatedTasmota } from '../../local/simulators/plugs';
import type { ReceivedCommand } from '../../src/protocol/earlier-versions';
import type { Harness } from '../lambda/helpers';
import { startAlexaApis } from '../support/alexa-apis';
import type { FakeClock } from '../support/fake-clock';
import { startHome, type Home } from '../support/home';
import { onTeardown } from '../support/teardown';
import { until } from '../support/until';

jest.setTimeout(60_000);

const THREE_AM_NEW_YORK = Date.UTC(2026, 11, 7, 8, 0);
const NINE_PM_NEW_YORK = Date.UTC(2026, 11, 8, 2, 0);
const MINUTE = 60_000;

/** Waits for MQTT or HTTP delivery on loopback (never a clock: time is the fake clock's). */
const delivered = (condition: () => boolean, what: string): Promise<void> => until(condition, what);

interface Bedroom {
  clock: FakeClock;
  emulator: HueEmulator;
  plug: SimulatedTasmota;
  skill: Harness;
  accepted: ReceivedCommand[];
  /** Whether the bridge has given the lights back (its session is over). */
  ended: () => boolean;
}

/**
 * The emulator's three lamps (`lit` says which are on when the person asks; `lamps` which the bridge
 * drives) and a diffuser plug, at `at` in New York; the skill asks a stand-in Settings API the zone.
 */
async function bedroom(at: number, lit: readonly string[], lamps = '1,2,3'): Promise<Bedroom> {
  clearTimeZoneCache();
  const apis = await startAlexaApis({ defaultTimeZone: 'America/New_York' });
  onTeardown(() => apis.close());
  let home: Home | null = null;
  const now = (): number => home?.clock.now() ?? at;
  home = await startHome({ startAt: at, lights: { WINDDOWN_HUE_LIGHTS: lamps }, env: { TZ: 'America/New_York' }, skill: { apiEndpoint: apis.url, now } });
  const { clock, emulator, plug, accepted } = home;
  for (const [id, lamp] of emulator.lamps) lamp.state.on = lit.includes(id);
  await delivered(() => plug.received.length === 1, 'the OFF a fresh bridge sends its plug');
  plug.received.splice(0);
  let ending = false;
  let ended = false;
  home.bridge.events.on('session.state', (s) => {
    if (s.status === 'ending') ending = true;
    else if (ending && s.status === 'idle') ended = true;
  });
  return { clock, emulator, plug, skill: home.skill, accepted, ended: () => ended };
}

/**
 * Lets the whole session pass on the fake clock, step by step, and its end after it. With a lamp on,
 * each step's command is waited for (the Hue client spaces commands in real time); with every lamp off
 * there is none to wait for, and the bridge's own end of the session says it is over.
 */
async function playThrough(room: Bedroom, anyLit: boolean): Promise<Extract<ReceivedCommand, { type: 'session.start' }>> {
  await delivered(() => room.accepted.some((c) => c.type === 'session.start'), 'the bridge accepting the session');
  const start = room.accepted.find((c): c is Extract<ReceivedCommand, { type: 'session.start' }> => c.type === 'session.start')!;
  // The bridge reads the lamps before its first step (a list at connect, then the session's read).
  await delivered(() => room.emulator.requests.filter((r) => r.path.endsWith('/lights')).length >= 2, 'the lamps read');
  for (const [atMs] of start.lights.steps) {
    const before = room.emulator.commands.length;
    await room.clock.advanceTo(start.startAt + atMs);
    if (anyLit) await delivered(() => room.emulator.commands.length > before, `the step at ${atMs} ms`);
  }
  await room.clock.advanceTo(start.startAt + start.untilMs + 2 * MINUTE);
  await delivered(room.ended, 'the end of the session');
  return start;
}

describe('at 3 a.m. in the device\'s zone', () => {
  it.each([
    ['a launch', (h: Harness) => h.launch()],
    ["I can't sleep", (h: Harness) => h.utter("I can't sleep")],
    ['help me sleep', (h: Harness) => h.utter('help me sleep')],
  ])('%s in a room whose lamps are off switches nothing on and sets nothing above brightness 2', async (_said, ask) => {
    const room = await bedroom(THREE_AM_NEW_YORK, []);
    const r = await ask(room.skill);
    expect(r.response.shouldEndSession).toBe(true);
    const start = await playThrough(room, false);
    expect(start).toMatchObject({ scriptId: 'back-to-sleep', room: 'dark' });
    expect(room.emulator.commands.filter((c) => c.body.on === true)).toEqual([]);
    expect(room.emulator.commands.filter((c) => typeof c.body.bri === 'number' && c.body.bri > 2)).toEqual([]);
    for (const lamp of room.emulator.lamps.values()) expect(lamp.state.on).toBe(false);
    expect(room.plug.received.filter((m) => m.payload === 'ON')).toEqual([]);
    expect(room.accepted.filter((c) => c.type === 'diffuser.set')).toEqual([]);
  });

  it('a lamp left on is only dimmed, never brightened or joined by the others', async () => {
    const room = await bedroom(THREE_AM_NEW_YORK, ['2']);
    await room.skill.launch();
    // The room answers at once: the lamp that is on dims before any time passes.
    await delivered(() => room.emulator.commands.length > 0, 'the lamp that is on dimming');
    expect(room.emulator.commands[0]).toMatchObject({ at: THREE_AM_NEW_YORK, kind: 'light', id: '2', body: { bri: 1 } });
    await playThrough(room, true);
    const commands = room.emulator.commands;
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.filter((c) => c.body.on === true)).toEqual([]);
    expect(commands.filter((c) => typeof c.body.bri === 'number' && c.body.bri > 1)).toEqual([]);
    expect(commands.filter((c) => c.kind === 'light' && c.id !== '2' && c.body.on !== false)).toEqual([]);
    expect(room.emulator.lamps.get('1')?.state.on).toBe(false);
    expect(room.emulator.lamps.get('3')?.state.on).toBe(false);
  });
});

describe('at 9 p.m.', () => {
  it('the same launch is the evening session: the lamps that are on answer at once, then breathe, and the diffuser comes on', async () => {
    // One lamp, so each breath is one command (node-hue-api spaces commands to several in real time).
    const room = await bedroom(NINE_PM_NEW_YORK, ['1'], '1');
    await room.skill.launch();
    await delivered(() => room.emulator.commands.length > 0, 'the greeting glide');
    // Within 2 s of the launch (no time has passed on the bridge's clock), a lamp that is on moves.
    expect(room.emulator.commands[0]!.at - NINE_PM_NEW_YORK).toBeLessThanOrEqual(2000);
    await delivered(() => room.plug.on, 'the diffuser coming on with the session');
    const start = await playThrough(room, true);
    expect(start).toMatchObject({ scriptId: 'paced-breathing' });
    expect(start).not.toHaveProperty('room');
    expect(Math.max(...room.emulator.commands.map((c) => (typeof c.body.bri === 'number' ? c.body.bri : 0)))).toBeGreaterThan(100);
  });
});
