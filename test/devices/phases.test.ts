/**
 * The session state's phase comes from the steps' levels alone (the wire format carries no phase).
 * Checked against what the engine really planned, for every script: a step that starts a breath phase
 * is that phase, a step that starts a spoken passage or a rest is a drift. Where the room is dark (the
 * middle of the night) the lamps hold one level, so every step reads as a drift.
 */
import { stepPhases } from '../../devices/scheduler';
import { SCRIPTS } from '../../src/content/scripts';
import { choreograph, compilePlan } from '../../src/engine';

describe('step phases', () => {
  test.each(SCRIPTS.map((s) => [s.id, s] as const))('%s: every step reads as what the plan has there', (_id, script) => {
    const plan = compilePlan(script, { minutes: 10 });
    const { steps } = choreograph(plan);
    const truth = steps.map(([atMs]) => {
      const segment = plan.segments.find((s) => s.startMs === atMs);
      return segment?.kind === 'breath' && plan.room === 'breathe' ? segment.phase : 'drift';
    });
    const phases = stepPhases(steps);
    const wrong = phases.flatMap((p, i) => (p === truth[i] ? [] : [`${i} at ${steps[i]?.[0]} ms: ${p}, planned ${truth[i]}`]));
    // (The old rule, brighter/dimmer/level from the step before, got 3 to 25 steps wrong per script.)
    expect(wrong).toEqual([]);
  });

  test('a session opening with a passage drifts first; one opening with a breath inhales', () => {
    expect(stepPhases([[0, 40, 20_000], [20_000, 120, 4000], [24_000, 30, 6000], [30_000, 28, 15_000]])).toEqual(['drift', 'inhale', 'exhale', 'drift']);
    expect(stepPhases([[0, 120, 4000], [4000, 120, 2000], [6000, 30, 6000], [12_000, 140, 4000]])).toEqual(['inhale', 'hold', 'exhale', 'inhale']);
  });

  test('lamps held at one level are not breathing: every step is a drift', () => {
    expect(stepPhases([[0, 1, 4000], [4000, 1, 6000], [10_000, 1, 4000]])).toEqual(['drift', 'drift', 'drift']);
    expect(stepPhases([])).toEqual([]);
  });
});
