/**
 * The scheduler's pure part, property-tested: for any part (steps in any order, some outside it, with
 * or without phases), any dispatch lead, any moment of joining and timers that fire late, the timeline
 * hands every step over exactly once and never early, wakes at the earliest thing pending, rejoins at
 * the step current now, and ends last.
 */
import fc from 'fast-check';
import { currentIndex, due, MIN_TRANSITION_MS, NOTHING_SENT, timelineOf, transitionLeft, type Progress, type Timeline } from '../../devices/session/timeline';
import type { LightStep, StepPhase } from '../../src/protocol/messages';
import type { ReceivedSessionStart } from '../../src/protocol/earlier-versions';
import { sessionStart, T0 } from './helpers';

const PHASES: StepPhase[] = ['inhale', 'hold', 'exhale', 'tense', 'release', 'drift'];

interface Case {
  msg: ReceivedSessionStart;
  timeline: Timeline;
  leadMs: number;
}

/** A part of a session: distinct step offsets in any order, a window `fromMs..untilMs`, a start and a lead. */
const part = fc
  .record({
    offsets: fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { maxLength: 40 }),
    bris: fc.array(fc.integer({ min: 1, max: 254 }), { minLength: 40, maxLength: 40 }),
    transitions: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 40, maxLength: 40 }),
    phases: fc.array(fc.constantFrom(...PHASES), { minLength: 40, maxLength: 40 }),
    v1: fc.boolean(),
    window: fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 400 })),
    startIn: fc.integer({ min: 0, max: 300_000 }),
    leadMs: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ offsets, bris, transitions, phases, v1, window: [from, length], startIn, leadMs }): Case => {
    // Offsets in 100 ms units, so steps are at least 100 ms apart (the plan's own unit).
    const steps: LightStep[] = offsets.map((o, i) => [o * 100, bris[i] ?? 1, (transitions[i] ?? 0) * 100, phases[i] ?? 'drift']);
    const fromMs = from * 100;
    const untilMs = fromMs + length * 100;
    const lights = { ct: 455, steps, end: 'fade-off' as const, endTransitionMs: 2000, totalMs: 100_000 };
    const start = sessionStart(T0, { startAt: T0 + startIn, fromMs, untilMs, lights });
    const msg: ReceivedSessionStart = v1 ? { ...start, v: 1, lights: { ...lights, steps: steps.map(([a, b, c]) => [a, b, c] as [number, number, number]) } } : start;
    return { msg, timeline: timelineOf(msg), leadMs };
  });

const handOver = (c: Case, index: number): number => (c.timeline.steps[index]?.deadline ?? Infinity) - c.leadMs;

interface Sent {
  index: number;
  at: number;
  transitionMs: number;
}

/**
 * Plays the part from `joinAt` the way the scheduler does: at each wake, send what is due and sleep
 * until `wakeAt`, plus whatever the timer is late by. `fails(n)` makes the n-th send fail and be retried.
 */
function play(c: Case, joinAt: number, late: (n: number) => number = () => 0, fails: (n: number) => boolean = () => false): { sent: Sent[]; overAt: number } {
  const sent: Sent[] = [];
  let progress: Progress = NOTHING_SENT;
  let now = joinAt;
  for (let wake = 0; wake < 10_000; wake++) {
    const next = due(c.timeline, progress, now, c.leadMs);
    if (next.kind === 'over') return { sent, overAt: now };
    expect(next.wakeAt).toBeGreaterThan(now);
    if (next.kind === 'step') {
      sent.push({ index: next.step.index, at: now, transitionMs: next.transitionMs });
      progress = { sent: next.step.index, retryAt: fails(sent.length) ? now + 500 : null };
    }
    // A failed step asks to be looked at again by its retry time.
    const wakeAt = progress.retryAt !== null && next.kind === 'step' ? Math.min(next.wakeAt, progress.retryAt) : next.wakeAt;
    now = wakeAt + late(wake);
  }
  throw new Error('the part never ended');
}

describe('session timeline', () => {
  test('holds exactly the steps of the part, in deadline order, each due at startAt + (atMs − fromMs), with its phase or none', () => {
    fc.assert(
      fc.property(part, ({ msg, timeline }) => {
        const inPart = msg.lights.steps.filter(([atMs]) => atMs >= msg.fromMs && atMs < msg.untilMs).sort((a, b) => a[0] - b[0]);
        expect(timeline.steps.map((s) => [s.atMs, s.bri, s.transitionMs])).toEqual(inPart.map(([a, b, t]) => [a, b, t]));
        expect(timeline.steps.map((s) => s.deadline)).toEqual(inPart.map(([a]) => msg.startAt + a - msg.fromMs));
        expect(timeline.steps.map((s) => s.phase)).toEqual(inPart.map((step) => (step.length === 4 ? step[3] : null)));
        expect(timeline.steps.map((s) => s.index)).toEqual(inPart.map((_, i) => i));
        expect(timeline.endAt).toBe(msg.startAt + msg.untilMs - msg.fromMs);
      }),
    );
  });

  test('joined before it starts: every step is handed over exactly once, in order, exactly its lead before its deadline, whole', () => {
    fc.assert(
      fc.property(part, fc.integer({ min: 0, max: 60_000 }), (c, early) => {
        const joinAt = Math.min(handOver(c, 0), c.timeline.endAt) - early;
        const { sent, overAt } = play(c, joinAt);
        expect(sent.map((s) => s.index)).toEqual(c.timeline.steps.map((s) => s.index));
        expect(sent.map((s) => s.at)).toEqual(c.timeline.steps.map((s) => s.deadline - c.leadMs));
        expect(sent.map((s) => s.transitionMs)).toEqual(c.timeline.steps.map((s) => s.transitionMs));
        // The end comes last, on its own time.
        expect(overAt).toBe(c.timeline.endAt);
      }),
    );
  });

  test('nothing is due before its hand-over, and what is due is the step current now', () => {
    fc.assert(
      fc.property(part, fc.integer({ min: -1, max: 39 }), fc.option(fc.integer({ min: -10_000, max: 100_000 })), fc.integer({ min: -10_000, max: 100_000 }), (c, sentIdx, retryIn, offset) => {
        const now = c.msg.startAt + offset;
        const progress: Progress = { sent: Math.min(sentIdx, c.timeline.steps.length - 1), retryAt: retryIn === null ? null : now + retryIn };
        const next = due(c.timeline, progress, now, c.leadMs);
        if (now >= c.timeline.endAt) {
          expect(next).toEqual({ kind: 'over' });
          return;
        }
        const current = currentIndex(c.timeline, now + c.leadMs);
        if (next.kind === 'step') {
          expect(handOver(c, next.step.index)).toBeLessThanOrEqual(now);
          expect(handOver(c, next.step.index + 1)).toBeGreaterThan(now);
          expect(next.step.index).toBe(current);
          // Sent again only when it is new or its retry is due.
          expect(next.step.index !== progress.sent || (progress.retryAt !== null && progress.retryAt <= now)).toBe(true);
        } else {
          expect(next.kind).toBe('wait');
          expect(current === -1 || (current === progress.sent && (progress.retryAt === null || progress.retryAt > now))).toBe(true);
        }
      }),
    );
  });

  test('the next wake is the earliest pending deadline: the next hand-over, a pending retry or the end', () => {
    fc.assert(
      fc.property(part, fc.integer({ min: -10_000, max: 100_000 }), fc.option(fc.integer({ min: 1, max: 20_000 })), fc.integer({ min: 1, max: 1000 }), (c, offset, retryIn, probe) => {
        const now = c.msg.startAt + offset;
        const current = currentIndex(c.timeline, now + c.leadMs);
        // The current step was sent; a retry of it may be pending.
        const progress: Progress = { sent: current, retryAt: retryIn === null || current < 0 ? null : now + retryIn };
        const next = due(c.timeline, progress, now, c.leadMs);
        if (next.kind === 'over') return;
        expect(next.kind).toBe('wait');
        if (next.kind !== 'wait') return;
        const pending = [c.timeline.endAt, ...c.timeline.steps.map((s) => s.deadline - c.leadMs).filter((t) => t > now), ...(progress.retryAt === null ? [] : [progress.retryAt])];
        expect(next.wakeAt).toBe(Math.min(...pending));
        // Nothing becomes due in between.
        const between = now + Math.floor(((next.wakeAt - now - 1) * probe) / 1000);
        if (between > now && between < next.wakeAt) expect(due(c.timeline, progress, between, c.leadMs)).toEqual({ kind: 'wait', wakeAt: next.wakeAt });
      }),
    );
  });

  test('joining late (a restart) sends the step current at the join, with what is left of it, then each later step once', () => {
    fc.assert(
      fc.property(part, fc.double({ min: 0, max: 1, noNaN: true }), (c, where) => {
        const first = handOver(c, 0);
        fc.pre(first < c.timeline.endAt);
        const joinAt = Math.floor(first + (c.timeline.endAt - first) * where);
        fc.pre(joinAt < c.timeline.endAt);
        const current = currentIndex(c.timeline, joinAt + c.leadMs);
        const { sent } = play(c, joinAt);
        expect(sent[0]?.index).toBe(current);
        const step = c.timeline.steps[current]!;
        expect(sent[0]?.transitionMs).toBe(transitionLeft(step, joinAt));
        expect(sent.map((s) => s.index)).toEqual(c.timeline.steps.slice(current).map((s) => s.index));
      }),
    );
  });

  test('what is left of a transition: in 100 ms units, never more than the step, never an abrupt jump', () => {
    fc.assert(
      fc.property(part, fc.integer({ min: 0, max: 39 }), fc.integer({ min: -5_000, max: 30_000 }), (c, i, after) => {
        const step = c.timeline.steps[i];
        fc.pre(step !== undefined);
        if (!step) return;
        const left = transitionLeft(step, step.deadline + after);
        expect(left % 100).toBe(0);
        expect(left).toBeLessThanOrEqual(step.transitionMs);
        expect(left).toBeGreaterThanOrEqual(Math.min(MIN_TRANSITION_MS, step.transitionMs));
        if (after <= 0) expect(left).toBe(step.transitionMs);
      }),
    );
  });

  test('with late timers and failed sends: steps only move forward, each is current when sent, and the end comes last', () => {
    fc.assert(
      fc.property(part, fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 50 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }), (c, lateness, failures) => {
        const late = (n: number): number => lateness[n % lateness.length] ?? 0;
        const fails = (n: number): boolean => failures[n % failures.length] ?? false;
        const { sent, overAt } = play(c, c.msg.startAt - 1_000, late, fails);
        for (const [n, s] of sent.entries()) {
          expect(s.index).toBe(currentIndex(c.timeline, s.at + c.leadMs));
          // The same step twice only as a retry of a failed send; never an older one.
          const before = sent[n - 1];
          if (before) expect(s.index === before.index ? fails(n) : s.index > before.index).toBe(true);
          expect(s.at).toBeLessThan(c.timeline.endAt);
        }
        expect(overAt).toBeGreaterThanOrEqual(c.timeline.endAt);
        // A step is skipped only when the wake after its hand-over came too late for it: the step after
        // it was already due then (or the part was over).
        for (const step of c.timeline.steps) {
          if (sent.some((s) => s.index === step.index)) continue;
          const later = sent.find((s) => s.index > step.index);
          if (later) expect(handOver(c, step.index + 1)).toBeLessThanOrEqual(later.at);
        }
      }),
    );
  });
});
