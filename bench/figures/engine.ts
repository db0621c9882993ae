/**
 * Session-plan compile time for a 60-minute session: the script laid out as one timeline, and the
 * whole of what a LaunchRequest renders from it (plan, SSML parts, light choreography).
 */
import { SCRIPTS } from '../../src/content/scripts';
import { choreograph, compilePlan, renderSsml, type SessionPlan } from '../../src/engine';
import { figure, type Figure } from '../lib/report';
import { nowMs, summarize } from '../lib/stats';

const MINUTES = 60;

/** Scripts that stretch to an hour (those with `fill` breathing); the others are offered shorter. */
function hourScripts(): { id: string; plan: SessionPlan }[] {
  const out: { id: string; plan: SessionPlan }[] = [];
  for (const script of SCRIPTS) {
    try {
      out.push({ id: script.id, plan: compilePlan(script, { minutes: MINUTES }) });
    } catch {
      // Not offered at this length.
    }
  }
  return out;
}

export function planCompile(runs: number): Figure[] {
  const candidates = hourScripts();
  const compile: number[] = [];
  const pipeline: number[] = [];
  const sizes: Record<string, { segments: number; steps: number; parts: number }> = {};
  for (const { id, plan } of candidates) {
    const script = SCRIPTS.find((s) => s.id === id)!;
    sizes[id] = { segments: plan.segments.length, steps: choreograph(plan).steps.length, parts: renderSsml(plan).length };
    for (let i = 0; i < 10; i++) {
      const warm = compilePlan(script, { minutes: MINUTES });
      renderSsml(warm);
      choreograph(warm);
    }
    for (let i = 0; i < runs; i++) {
      const t0 = nowMs();
      const compiled = compilePlan(script, { minutes: MINUTES });
      const t1 = nowMs();
      renderSsml(compiled);
      choreograph(compiled);
      const t2 = nowMs();
      compile.push(t1 - t0);
      pipeline.push(t2 - t0);
    }
  }
  const which = candidates.map((c) => c.id).join(', ');
  return [
    figure({
      id: 'plan.compile',
      figure: 'plan compile, 60-minute session',
      unit: 'ms',
      summary: summarize(compile),
      notes: `compilePlan over ${which}; no target of its own (it runs inside the warm LaunchRequest budget)`,
      detail: { plans: sizes },
    }),
    figure({
      id: 'plan.render',
      figure: 'plan + SSML + lights, 60-minute session',
      unit: 'ms',
      summary: summarize(pipeline),
      notes: 'compilePlan, renderSsml and choreograph together',
    }),
  ];
}
