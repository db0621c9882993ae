import fc from 'fast-check';
import { SCRIPTS } from '../../src/content/scripts';
import { choreograph } from '../../src/engine/choreography';
import { compilePlan } from '../../src/engine/compile';
import { renderSsml, renderSsmlFrom } from '../../src/engine/ssml';
import { choreographyProblems, planProblems, ssmlProblems } from './support';

/** Any script, at any length it can stretch to, at any calm pace, rate and response size. */
const sessions = fc
  .record({
    script: fc.constantFrom(...SCRIPTS),
    stretch: fc.double({ min: 0, max: 1, noNaN: true }),
    startBpm: fc.double({ min: 5, max: 12, noNaN: true }),
    endBpm: fc.double({ min: 4, max: 10, noNaN: true }),
    ratePercent: fc.integer({ min: 70, max: 110 }),
    maxChars: fc.integer({ min: 1_500, max: 7_600 }),
    resumeAt: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ script, stretch, ...rest }) => {
    const low = Math.min(...script.minutes);
    const high = Math.max(...script.minutes);
    return { script, minutes: Math.round(low + (high - low) * stretch), ...rest };
  });

describe('any session the engine accepts', () => {
  it('is a contiguous plan whose SSML is valid and whose lights stay within Hue limits', async () => {
    await fc.assert(
      fc.asyncProperty(sessions, async ({ script, minutes, startBpm, endBpm, ratePercent, maxChars, resumeAt }) => {
        const plan = compilePlan(script, { minutes, startBpm, endBpm, ratePercent });
        expect(planProblems(plan)).toEqual([]);
        expect(Math.abs(plan.totalMs - minutes * 60_000)).toBeLessThanOrEqual(minutes * 60_000 * 0.05);
        expect(choreographyProblems(plan, choreograph(plan))).toEqual([]);
        const parts = [...renderSsml(plan, { maxChars, lead: 'Welcome back.' }), ...renderSsmlFrom(plan, plan.totalMs * resumeAt, { maxChars })];
        for (const part of parts) {
          expect(part.ssml.length).toBeLessThan(maxChars);
          expect(await ssmlProblems(part)).toEqual([]);
        }
      }),
      { numRuns: 80 },
    );
  });
});
