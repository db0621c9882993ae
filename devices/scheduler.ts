/**
 * Runs a session's light choreography on absolute deadlines. Each step `[atMs, bri, transitionMs]` of a
 * part is due at `startAt + (atMs − fromMs)`; one timer is armed for the next deadline and, when it
 * fires, the scheduler works out which step is current *now* and sends that one. So a late timer, a
 * restart or a Hue outage never replays an old phase: it rejoins the breathing where it is, with
 * what is left of the step's transition.
 */
import type { SessionStart, SessionState, LightStep } from '../src/protocol/messages';
import type { Clock, TimerHandle } from './clock';
import type { EventBus } from './events';
import type { Lights, LightTarget, SavedLight } from './lights/types';
import type { Logger } from './log';
import { errorDetail } from './log';
import type { StateStore } from './state-store';

/** A non-final part holds its last level this long for the next part, then ends. */
export const DEFAULT_HOLD_TIMEOUT_MS = 5 * 60_000;
/** A rejoined step with almost nothing left still moves gently rather than jumping. */
export const MIN_TRANSITION_MS = 400;
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 8000;
/** How often the end action (restore or fade-off) is tried before giving up. */
const END_ATTEMPTS = 4;
/**
 * The end waits for the steps already handed to the lights to settle, so it is the last command they
 * get; a command that hangs longer than this (the Hue adapter times out well before) is not waited for.
 */
const END_WAITS_FOR_STEPS_MS = 10_000;

export interface SchedulerOptions {
  lights: Lights | null;
  clock: Clock;
  log: Logger;
  store: StateStore;
  events: EventBus;
  holdTimeoutMs?: number;
  /** Overrides the lights' own `dispatchLeadMs`. */
  dispatchLeadMs?: number;
}

type Status = 'running' | 'holding' | 'paused';
export type EndCause = 'complete' | 'stop' | 'cancel' | 'hold-timeout' | 'shutdown' | 'replaced';

interface Run {
  msg: SessionStart;
  steps: LightStep[];
  /** Each step's breath phase or drift, for the published state (see `stepPhases`). */
  phases: StepPhase[];
  /** Wall time of plan offset 0 for this part: a step is due at `base + atMs`. */
  base: number;
  endAt: number;
  saved: SavedLight[] | null;
  status: Status;
  holdUntil: number | null;
  /** Index of the step last sent (or being sent); -1 before the first. */
  sentIdx: number;
  /** Bumped on every send; only the latest send's outcome counts. */
  seq: number;
  /** The next command also switches the lights on and sets their colour temperature. */
  full: boolean;
  retryAt: number | null;
  backoffMs: number;
  timer: TimerHandle | null;
  lastBri: number | null;
  /** Whether any command of this session may have reached the lights. */
  touched: boolean;
  /** Settles when every step command handed to the lights so far has gone out or failed. */
  inflight: Promise<void>;
  /** The capture started when the session arrived, so it is done before the first deadline. */
  capturing: Promise<SavedLight[]> | null;
}

export class SessionScheduler {
  private run: Run | null = null;
  private ending: Promise<void> = Promise.resolve();

  /** Each step's command is handed to the lights this long before its deadline (see `Lights.dispatchLeadMs`). */
  readonly leadMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.leadMs = Math.max(0, options.dispatchLeadMs ?? options.lights?.dispatchLeadMs ?? 0);
  }

  get active(): boolean {
    return this.run !== null;
  }

  /** Starts a session, or continues it when the message is the next part of the one running. */
  start(msg: SessionStart): void {
    const { log, clock } = this.options;
    const previous = this.run;
    let saved: SavedLight[] | null = null;
    if (previous) {
      // The lights' real state was saved before the first session; a new part or session keeps it.
      saved = previous.saved;
      this.options.clock.clearTimer(previous.timer);
      previous.seq += 1;
      if (previous.msg.sessionId !== msg.sessionId) log.info({ sessionId: previous.msg.sessionId, next: msg.sessionId }, 'session replaced by a new one');
    }
    const run = this.makeRun(msg, saved, 'running', null);
    run.touched = previous?.touched ?? false;
    this.run = run;
    // The Hue read (and a step due now) go first; the state file is written behind them.
    this.startCapture(run);
    this.persistSoon();
    log.info(
      { sessionId: msg.sessionId, fromMs: msg.fromMs, untilMs: msg.untilMs, final: msg.final, steps: run.steps.length, startsInMs: msg.startAt - clock.now() },
      previous?.msg.sessionId === msg.sessionId ? 'session continues' : 'session starts',
    );
    this.tick();
  }

  /** Re-joins a session persisted by a bridge that stopped without ending it. */
  resume(): void {
    const persisted = this.options.store.get().session;
    if (!persisted) return;
    const run = this.makeRun(persisted.start, persisted.saved, persisted.status, persisted.holdUntil);
    // Before the restart, a step was probably sent if its deadline had come.
    const first = run.steps[0];
    run.touched = persisted.status !== 'running' || (first !== undefined && this.options.clock.now() >= run.base + first[0]);
    this.run = run;
    this.options.log.info({ sessionId: run.msg.sessionId, status: run.status }, 'rejoining the session that was running');
    if (run.status === 'running') this.tick();
    else this.armHold(run);
  }

  /** `stop`/`cancel` end the session now (restore or fade-off); `pause` holds it for a while. */
  stop(reason: 'stop' | 'cancel' | 'pause', sessionId?: string): Promise<void> {
    const run = this.run;
    if (!run) {
      this.options.log.info({ reason }, 'stop: no session running');
      return this.ending;
    }
    if (sessionId !== undefined && sessionId !== run.msg.sessionId) {
      this.options.log.info({ reason, sessionId, running: run.msg.sessionId }, 'stop for another session: ignored');
      return this.ending;
    }
    if (reason === 'pause') {
      this.options.clock.clearTimer(run.timer);
      run.seq += 1;
      run.status = 'paused';
      run.retryAt = null;
      run.holdUntil = this.options.clock.now() + (this.options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS);
      this.persist();
      this.publish(run);
      this.armHold(run);
      this.options.log.info({ sessionId: run.msg.sessionId }, 'session paused');
      return this.ending;
    }
    return this.end(reason);
  }

  /**
   * Ends whatever runs on SIGINT/SIGTERM or `bridge.stop()`: the lights go back to how they were before
   * the session, whatever the plan's end action. Someone who stops the bridge mid-session expects their
   * lights back, not a fade to dark; only a session that runs to its end fades off as its plan says.
   */
  shutdown(): Promise<void> {
    return this.run ? this.end('shutdown') : this.ending;
  }

  /** Stops every timer and forgets the run without touching the lights (the state file keeps it). */
  detach(): void {
    if (this.run) {
      this.options.clock.clearTimer(this.run.timer);
      this.run.seq += 1;
    }
    this.run = null;
  }

  state(): SessionState {
    const run = this.run;
    const at = this.options.clock.now();
    if (!run) return { sessionId: null, title: null, status: 'idle', phase: null, offsetMs: 0, totalMs: 0, bri: null, at };
    const step = run.sentIdx >= 0 ? run.steps[run.sentIdx] : undefined;
    return {
      sessionId: run.msg.sessionId,
      title: run.msg.title,
      status: run.status,
      phase: step ? (run.phases[run.sentIdx] ?? null) : null,
      offsetMs: Math.max(0, Math.min(run.msg.lights.totalMs, at - run.base)),
      totalMs: run.msg.lights.totalMs,
      bri: run.lastBri,
      at,
    };
  }

  private makeRun(msg: SessionStart, saved: SavedLight[] | null, status: Status, holdUntil: number | null): Run {
    const steps = msg.lights.steps.filter(([atMs]) => atMs >= msg.fromMs && atMs < msg.untilMs).sort((a, b) => a[0] - b[0]);
    const base = msg.startAt - msg.fromMs;
    return { msg, steps, phases: stepPhases(steps), base, endAt: base + msg.untilMs, saved, status, holdUntil, sentIdx: -1, seq: 0, full: true, retryAt: null, backoffMs: RETRY_INITIAL_MS, timer: null, lastBri: null, capturing: null, touched: false, inflight: Promise.resolve() };
  }

  /** The heart of it: what should the lights be doing now, and when to look again. */
  private tick(): void {
    const run = this.run;
    if (!run || run.status !== 'running') return;
    const { clock } = this.options;
    clock.clearTimer(run.timer);
    run.timer = null;
    const now = clock.now();
    if (now >= run.endAt) {
      if (run.msg.final) {
        void this.end('complete');
        return;
      }
      run.status = 'holding';
      run.holdUntil = run.endAt + (this.options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS);
      run.retryAt = null;
      this.persist();
      this.publish(run);
      this.options.log.info({ sessionId: run.msg.sessionId, holdUntil: new Date(run.holdUntil).toISOString() }, 'part ended: holding for the next one');
      this.armHold(run);
      return;
    }
    // A step is current from its true deadline; its command is handed over `leadMs` early so it lands then.
    const idx = currentIndex(run, now + this.leadMs);
    const retryDue = run.retryAt !== null && now >= run.retryAt;
    if (idx >= 0 && (idx !== run.sentIdx || retryDue)) this.send(run, idx, now);
    let next = run.endAt;
    const following = run.steps[idx + 1];
    if (following) next = Math.min(next, run.base + following[0] - this.leadMs);
    if (run.retryAt !== null) next = Math.min(next, run.retryAt);
    run.timer = clock.setTimer(next, () => this.tick());
  }

  private send(run: Run, idx: number, now: number): void {
    const step = run.steps[idx];
    if (!step) return;
    const [atMs, bri, transitionMs] = step;
    const wall = run.base + atMs;
    // Sent early (by the lead), the command lands at the deadline with the whole transition; sent late
    // (a rejoin, a retry), with what is left of it.
    let remaining = Math.floor((wall + transitionMs - Math.max(now, wall)) / 100) * 100;
    if (remaining < MIN_TRANSITION_MS) remaining = Math.min(MIN_TRANSITION_MS, Math.max(transitionMs, 0));
    const target: LightTarget = { bri, transitionMs: Math.max(0, remaining) };
    if (run.full) {
      target.on = true;
      target.ct = run.msg.lights.ct;
      run.full = false;
    }
    run.seq += 1;
    const seq = run.seq;
    run.sentIdx = idx;
    run.retryAt = null;
    this.options.log.debug({ sessionId: run.msg.sessionId, atMs, bri, transitionMs: target.transitionMs, dispatchLateMs: now - (wall - this.leadMs) }, 'breath step');
    const delivery = this.deliver(run, target);
    const before = run.inflight;
    run.inflight = delivery.then(
      () => before,
      () => before,
    );
    void delivery
      .then(() => {
        if (this.run !== run) return;
        run.backoffMs = RETRY_INITIAL_MS;
        run.lastBri = bri;
        this.options.events.emit('lights.state', { bri, on: true, at: this.options.clock.now() });
        this.publish(run);
      })
      .catch((error: unknown) => {
        if (this.run !== run || run.seq !== seq || run.status !== 'running') return;
        run.retryAt = this.options.clock.now() + run.backoffMs;
        // The bridge may have been power-cycled: the next command switches the lights on again too.
        run.full = true;
        this.options.log.warn({ err: errorDetail(error), sessionId: run.msg.sessionId, atMs, retryInMs: run.backoffMs }, 'lights command failed; will send the current step again');
        run.backoffMs = Math.min(RETRY_MAX_MS, run.backoffMs * 2);
        this.tick();
      });
  }

  /** Reads the lights' state as soon as a session arrives (a failure is retried before the first command). */
  private startCapture(run: Run): void {
    const lights = this.options.lights;
    if (!lights || run.saved !== null || run.capturing) return;
    const capturing = lights.capture();
    run.capturing = capturing;
    capturing.then(
      (saved) => {
        if (run.saved === null) run.saved = saved;
        if (this.run === run) this.persistSoon();
      },
      (error: unknown) => {
        if (run.capturing === capturing) run.capturing = null;
        this.options.log.warn({ err: errorDetail(error) }, 'could not read the lights before the session; will try again');
      },
    );
  }

  /**
   * Saves the lights' state before the first command of a session, then sends the command, unless the
   * session ended (or was replaced) while the state was being read: its end command may already have
   * gone out, and a step sent after it would leave the lights lit after a stop.
   */
  private async deliver(run: Run, target: LightTarget): Promise<void> {
    const lights = this.options.lights;
    if (!lights) return;
    if (run.saved === null) {
      const saved = await (run.capturing ?? lights.capture());
      run.saved ??= saved;
      // Written behind the command, never before it.
      if (this.run === run) this.persistSoon();
      if (this.run !== run) return;
    }
    run.touched = true;
    await lights.set(target);
  }

  private armHold(run: Run): void {
    const at = run.holdUntil ?? this.options.clock.now();
    this.options.clock.clearTimer(run.timer);
    run.timer = this.options.clock.setTimer(at, () => {
      if (this.run === run) void this.end('hold-timeout');
    });
  }

  private end(cause: EndCause): Promise<void> {
    const run = this.run;
    if (!run) return this.ending;
    const { clock, log, lights } = this.options;
    clock.clearTimer(run.timer);
    run.seq += 1;
    this.run = null;
    this.options.store.update((s) => {
      s.session = null;
    });
    const { end, endTransitionMs } = run.msg.lights;
    const wantsRestore = end === 'restore' || cause === 'shutdown';
    log.info({ sessionId: run.msg.sessionId, cause, action: wantsRestore ? 'restore' : 'fade-off', transitionMs: endTransitionMs }, 'session ends');
    this.options.events.emit('session.state', { ...this.state(), sessionId: run.msg.sessionId, title: run.msg.title, status: 'ending', totalMs: run.msg.lights.totalMs });
    const action = async (): Promise<void> => {
      if (!lights) return;
      // Step commands already handed to the lights go out (or fail) first; one still waiting for the read
      // of the lamps is dropped (see `deliver`). So the end is the last command every light gets.
      let capped: TimerHandle | null = null;
      await Promise.race([run.inflight, new Promise<void>((resolve) => (capped = clock.setTimer(clock.now() + END_WAITS_FOR_STEPS_MS, resolve)))]);
      clock.clearTimer(capped);
      // Nothing was ever sent: the lights are as the person left them.
      if (!run.touched) return;
      // Without a saved state (the lights could not be read) there is nothing to restore: fade off.
      const restore = wantsRestore && run.saved !== null && run.saved.length > 0;
      for (let attempt = 1; ; attempt++) {
        try {
          if (restore && run.saved) await lights.restore(run.saved, endTransitionMs);
          else await lights.set({ on: false, transitionMs: endTransitionMs });
          // Restored lights are on if any of them was on before the session.
          this.options.events.emit('lights.state', { bri: null, on: restore && (run.saved ?? []).some((l) => l.on), at: clock.now() });
          return;
        } catch (error) {
          if (attempt >= END_ATTEMPTS) {
            log.error({ err: errorDetail(error), sessionId: run.msg.sessionId }, 'could not restore or fade off the lights');
            return;
          }
          log.warn({ err: errorDetail(error), attempt }, 'end of session: lights command failed; retrying');
          await new Promise<void>((resolve) => clock.setTimer(clock.now() + RETRY_INITIAL_MS * 2 ** attempt, resolve));
        }
      }
    };
    this.ending = this.ending.then(action).finally(() => this.options.events.emit('session.state', this.state()));
    return this.ending;
  }

  private persist(): void {
    const run = this.run;
    this.options.store.update((s) => {
      s.session = run ? { start: run.msg, saved: run.saved, status: run.status, holdUntil: run.holdUntil } : null;
    });
  }

  /** As `persist`, written behind (asynchronously) so nothing on the way to the lights waits for the disk. */
  private persistSoon(): void {
    const run = this.run;
    this.options.store.updateSoon((s) => {
      s.session = run ? { start: run.msg, saved: run.saved, status: run.status, holdUntil: run.holdUntil } : null;
    });
  }

  private publish(run: Run): void {
    if (this.run === run) this.options.events.emit('session.state', this.state());
  }
}

/** The last step due at or before `now` (-1 before the first). */
function currentIndex(run: Run, now: number): number {
  let lo = 0;
  let hi = run.steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const step = run.steps[mid] as LightStep;
    if (run.base + step[0] <= now) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export type StepPhase = 'inhale' | 'hold' | 'exhale' | 'drift';

/**
 * What each step is, for the published session state. Steps carry only levels, so this reads the
 * choreography's shape (src/engine/choreography.ts): a breath is an inhale (brighter), perhaps a hold
 * (level), then an exhale (dimmer); a spoken passage between breaths is one slow drift that never
 * brightens. So: brighter than the step before is an inhale; after an inhale, level is a hold and
 * dimmer an exhale; after a hold, dimmer is an exhale; anything else (after an exhale or a drift, not
 * brighter) is a drift. With no step before (a session or part opening), a step the next one
 * brightens from is a drift (a passage leads into the first inhale), otherwise an inhale. Heuristic:
 * a passage right after an inhale reads as an exhale. Nothing is added to the wire format for it.
 * Lamps that never change level (a session for the middle of the night keeps them at the dimmest)
 * are not breathing at all: every step is a drift.
 */
export function stepPhases(steps: readonly LightStep[]): StepPhase[] {
  const first = steps[0];
  if (first !== undefined && steps.every(([, bri]) => bri === first[1])) return steps.map(() => 'drift');
  const phases: StepPhase[] = [];
  steps.forEach(([, bri], i) => {
    const prev = steps[i - 1];
    const before = phases[i - 1];
    if (!prev || before === undefined) {
      const next = steps[i + 1];
      phases.push(next && next[1] > bri ? 'drift' : 'inhale');
    } else if (bri > prev[1]) phases.push('inhale');
    else if (before === 'inhale') phases.push(bri === prev[1] ? 'hold' : 'exhale');
    else if (before === 'hold' && bri < prev[1]) phases.push('exhale');
    else phases.push('drift');
  });
  return phases;
}
