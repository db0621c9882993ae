/**
 * The bridge refuses a choreography that could flash or jump in a dark bedroom, whoever sent it: the
 * pure check rule by rule, every session the skill can send passing it, and the whole bridge (real
 * broker, Hue emulator) sending nothing at all for a strobe.
 */
import mqtt from 'mqtt';
import { lightSafetyProblem } from '../../devices/inbox/light-safety';
import { SCRIPTS } from '../../src/content/scripts';
import { choreograph } from '../../src/engine/choreography';
import { compilePlan } from '../../src/engine/compile';
import { renderSsml } from '../../src/engine/ssml';
import type { LightStep, SessionStart } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import { breathing, sessionStart, T0 } from './helpers';
import { signed } from '../support/signing';
import { until } from '../support/until';
import { startHome } from '../support/home';

/** 100 ms apart, between the dimmest and the brightest, with no transition: a strobe. */
function strobe(count: number): LightStep[] {
  return Array.from({ length: count }, (_, i): LightStep => (i % 2 === 0 ? [i * 100, 1, 0, 'exhale'] : [i * 100, 254, 0, 'inhale']));
}

const withSteps = (steps: LightStep[], totalMs = 60_000): SessionStart => sessionStart(T0, { lights: { ...breathing(1), steps, totalMs }, untilMs: totalMs });

describe('light safety check', () => {
  test('a gentle breathing session passes', () => {
    expect(lightSafetyProblem(sessionStart(T0, { lights: breathing(3) }))).toBeNull();
  });

  test('every part of every session the skill can send passes', () => {
    let parts = 0;
    for (const script of SCRIPTS) {
      for (const minutes of script.minutes) {
        const plan = compilePlan(script, { minutes });
        const lights = choreograph(plan);
        for (const part of renderSsml(plan)) {
          const steps = lights.steps.filter(([atMs]) => atMs >= part.fromMs && atMs < part.untilMs);
          const msg = sessionStart(T0, { lights: { ...lights, steps }, fromMs: part.fromMs, untilMs: part.untilMs, startAt: T0 + 1500 + part.leadMs });
          expect([script.id, minutes, part.index, lightSafetyProblem(msg)]).toEqual([script.id, minutes, part.index, null]);
          parts += 1;
        }
      }
    }
    expect(parts).toBeGreaterThan(SCRIPTS.length);
  });

  test.each<[string, SessionStart, RegExp]>([
    ['steps 100 ms apart between 1 and 254', withSteps(strobe(50)), /transition/],
    ['steps under a second apart', withSteps([[0, 100, 2000, 'drift'], [900, 110, 2000, 'drift']]), /900 ms after the one before/],
    ['a transition under a second', withSteps([[0, 100, 900, 'drift']]), /900 ms transition/],
    ['faster than 60 units a second', withSteps([[0, 20, 2000, 'drift'], [2000, 200, 2000, 'drift']]), /changes brightness by 180 in 2000 ms/],
    ['steps out of time order', withSteps([[5000, 100, 2000, 'drift'], [0, 100, 2000, 'drift']]), /comes before/],
    ['startAt more than 5 minutes after issuedAt', sessionStart(T0, { startAt: T0 + 5 * 60_000 + 1 }), /after issuedAt/],
    ['fromMs after untilMs', sessionStart(T0, { fromMs: 20_000, untilMs: 10_000 }), /out of order/],
    ['untilMs beyond totalMs', sessionStart(T0, { untilMs: 31_000 }), /out of order/],
  ])('refuses %s', (_name, msg, reason) => {
    expect(lightSafetyProblem(msg)).toMatch(reason);
  });

  test('a version 1 session (steps without a phase) is checked the same way', () => {
    const v1 = { ...sessionStart(T0), lights: { ...breathing(1), steps: [[0, 1, 0], [100, 254, 0]] as [number, number, number][], totalMs: 10_000 }, untilMs: 10_000 };
    expect(lightSafetyProblem(v1)).toMatch(/transition/);
  });

  test('a change at the limit, rounded to whole units, passes', () => {
    expect(lightSafetyProblem(withSteps([[0, 20, 2000, 'drift'], [2000, 141, 2000, 'drift']]))).toBeNull();
  });
});

describe('light safety at the bridge', () => {
  test('a session with 100 ms steps between brightness 1 and 254 reaches no lamp: dropped as unsafe, counted and logged', async () => {
    const homeId = 'home-strobe';
    // No diffuser: the lamps alone.
    const home = await startHome({ startAt: T0, lights: { WINDDOWN_HUE_GROUP: '1' }, env: { WINDDOWN_HOME_ID: homeId, WINDDOWN_DIFFUSER: undefined, TZ: 'UTC' } });
    const { broker, bridge, clock, emulator, logs } = home;
    const dropped: string[] = [];
    bridge.events.on('command.dropped', (drop) => void dropped.push(drop.reason));
    const skill = await mqtt.connectAsync(broker.url, { clientId: 'skill-strobe' });
    const msg = sessionStart(clock.now(), { homeId, lights: { ...breathing(1), steps: strobe(300), totalMs: 30_000 }, untilMs: 30_000 });
    await skill.publishAsync(homeTopics(homeId).command, signed(msg), { qos: 1 });
    await until(() => dropped.length === 1, 'the session dropped');
    expect(dropped).toEqual(['unsafe']);
    expect(logs.warnings().filter((l) => l.scope === 'inbox')).toEqual([expect.objectContaining({ reason: 'unsafe', scope: 'inbox', id: msg.id, type: 'session.start' })]);
    await clock.advanceTo(msg.startAt + 60_000);
    expect(emulator.commands).toEqual([]);
    expect(logs.lines.some((l) => l.msg === 'session starts')).toBe(false);
    await skill.endAsync(true);
  });
});
