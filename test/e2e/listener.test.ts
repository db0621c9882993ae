/**
 * A home with a diffuser on a smart plug and no lamps, end to end: the skill (virtual-alexa through the
 * real interaction model) and the real bridge on an Aedes broker in this process, the bridge driving a
 * simulated Tasmota plug. The bridge says (retained) that it has no lamps, so the voice keeps the pace;
 * and someone who said "don't use the diffuser with my sessions" falls asleep with the plug off.
 */
import * as say from '../../lambda/speech';
import { textOf } from '../lambda/helpers';
import { startHome as startTestHome, type Home } from '../support/home';
import { until } from '../support/until';

const PLUG_TOPIC = 'bedroom_diffuser';
const MINUTE = 60_000;
jest.setTimeout(60_000);

/** A home with a diffuser on a Tasmota plug and no lamps. */
const startHome = (): Promise<Home> => startTestHome({ plug: { kind: 'tasmota', id: PLUG_TOPIC }, lights: null });

test('"don\'t use the diffuser with my sessions": a sleep session later starts with the plug off, and the voice keeps the pace', async () => {
  const home = await startHome();
  const tonight = home.skill;
  expect(textOf(await tonight.utter("don't use the diffuser with my sessions"))).toBe(say.DIFFUSER_SESSIONS_OFF);
  await until(() => home.accepted.some((c) => c.type === 'diffuser.set'), 'the switch-off reaching the bridge');

  const later = home.later();
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
  const first = await home.skill.launch();
  expect(textOf(first)).toContain(say.OIL_SAFETY);
  await until(() => home.plug.on, 'the plug switching on with the session');
  const second = await home.later().launch();
  expect(textOf(second)).not.toContain(say.OIL_SAFETY);
});
