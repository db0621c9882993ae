/**
 * A home with a diffuser on a smart plug and no lamps, end to end: the skill (virtual-alexa through the
 * real interaction model) and the real bridge on an Aedes broker in this process, the bridge driving a
 * simulated Tasmota plug. The bridge says (retained) that it has no lamps, so the voice keeps the pace;
 * and someone who said "don't use the diffuser with my sessions" falls asleep with the plug off.
 */
import type { BridgeHandle } from '../../devices/bridge';
import { startBridge } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { SimulatedTasmota } from '../../local/simulators/plugs';
import * as say from '../../lambda/speech';
import type { ReceivedCommand } from '../../src/protocol/v1';
import { memoryLogger, tempDir } from '../devices/helpers';
import { harness, HOME_ID, textOf } from '../lambda/helpers';
import type { Harness } from '../lambda/helpers';
import { startAedes } from '../support/brokers';
import { FakeClock } from '../support/fake-clock';
import { TEST_HOME_KEY_HEX } from '../support/signing';

const PLUG_TOPIC = 'bedroom_diffuser';
const MINUTE = 60_000;
jest.setTimeout(60_000);

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHome(): Promise<{ clock: FakeClock; plug: SimulatedTasmota; bridge: BridgeHandle; accepted: ReceivedCommand[]; skill: () => Harness }> {
  const broker = await startAedes();
  cleanups.push(() => broker.close());
  const clock = new FakeClock(Date.now());
  const plug = new SimulatedTasmota(PLUG_TOPIC, broker.url, clock);
  await plug.start();
  cleanups.push(() => plug.stop());
  const state = tempDir('winddown-e2e-');
  cleanups.push(() => state.remove());
  const config = loadConfig({
    env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: HOME_ID, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_DIFFUSER: `tasmota:${PLUG_TOPIC}`, WINDDOWN_STATE_DIR: state.dir, TZ: 'Europe/London' },
  });
  const bridge = await startBridge(config, { clock, log: memoryLogger().log, reconnectMinMs: 50, reconnectMaxMs: 200 });
  cleanups.push(() => bridge.stop({ graceful: false }));
  await bridge.connected;
  const accepted: ReceivedCommand[] = [];
  bridge.events.on('command', (command) => void accepted.push(command));
  let first: Harness | null = null;
  const skill = (): Harness => {
    const h = harness({ env: { WINDDOWN_MQTT_URL: broker.url }, ...(first ? { sameUserAs: first } : {}) });
    first ??= h;
    cleanups.push(() => h.close());
    return h;
  };
  return { clock, plug, bridge, accepted, skill };
}

test('"don\'t use the diffuser with my sessions": a sleep session later starts with the plug off, and the voice keeps the pace', async () => {
  const home = await startHome();
  const tonight = home.skill();
  expect(textOf(await tonight.utter("don't use the diffuser with my sessions"))).toBe(say.DIFFUSER_SESSIONS_OFF);
  await until(() => home.accepted.some((c) => c.type === 'diffuser.set'), 'the switch-off reaching the bridge');

  const later = home.skill();
  const r = await later.utter('start a body scan for twenty minutes');
  await until(() => home.accepted.some((c) => c.type === 'session.start'), 'the session reaching the bridge');
  // This bridge has no lamps: the voice says nothing of lights and keeps the breath going itself.
  expect(textOf(r)).not.toMatch(/\blights?\b/i);
  expect(textOf(r)).toMatch(/\bIn\. /);
  // The whole session and its fade pass on the bridge's clock: the plug never switches on.
  await home.clock.advance(25 * MINUTE);
  expect(home.accepted.filter((c) => c.type === 'diffuser.set' && c.on)).toEqual([]);
  expect(home.plug.history.filter((e) => e.on)).toEqual([]);
  expect(home.plug.on).toBe(false);
  expect(home.plug.received.some((m) => m.topic.endsWith('/POWER') && m.payload === 'ON')).toBe(false);
});

test('without the choice, the session switches the plug on, with one line of oil safety the first time', async () => {
  const home = await startHome();
  const first = await home.skill().launch();
  expect(textOf(first)).toContain(say.OIL_SAFETY);
  await until(() => home.plug.on, 'the plug switching on with the session');
  const second = await home.skill().launch();
  expect(textOf(second)).not.toContain(say.OIL_SAFETY);
});
