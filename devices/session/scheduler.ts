/**
 * Runs a session's light choreography: the part's timeline (session/timeline.ts) says which step is
 * due and when to look again; the lights' delivery (session/delivery.ts) sends it, retries it and gives
 * the lights back at the end. This file keeps the session's course: start, the next part, the hold
 * between parts, pause, stop, the end, and the state file that lets a restart rejoin.
 */
import type { SessionState } from '../../src/protocol/messages';
import type { ReceivedSessionStart } from '../../src/protocol/earlier-versions';
import type { Clock, TimerHandle } from '../process/clock';
import type { EventBus } from '../events';
import type { Lights, SavedLight } from '../lights/types';
import type { Logger } from '../process/log';
import { errorDetail } from '../process/log';
import { LightsDelivery } from './delivery';
import { due, NOTHING_SENT, offsetAt, timelineOf, type Progress, type Timeline, type TimedStep } from './timeline';
import type { StateStore } from '../state/state-store';

/** A first step further off than this is greeted at once (see `LightsDelivery.greet`): the room answers before it. */
export const GREET_BEFORE_MS = 1000;

/** A non-final part holds its last level this long for the next part, then ends. */
export const DEFAULT_HOLD_TIMEOUT_MS = 5 * 60_000;

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
export type EndCause = 'complete' | 'stop' | 'cancel' | 'hold-timeout' | 'shutdown';

/** The part being played. */
interface Run {
  msg: ReceivedSessionStart;
  timeline: Timeline;
  progress: Progress;
  status: Status;
  /** When a holding or paused session gives up and ends. */
  holdUntil: number | null;
  lights: LightsDelivery;
  /** The one timer: the next wake while running, the hold's end otherwise. */
  timer: TimerHandle | null;
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
  start(msg: ReceivedSessionStart): void {
    const { log, clock } = this.options;
    const previous = this.run;
    if (previous) {
      clock.clearTimer(previous.timer);
      if (previous.msg.sessionId !== msg.sessionId) log.info({ sessionId: previous.msg.sessionId, next: msg.sessionId }, 'session replaced by a new one');
    }
    // The lights' real state was saved before the first session; a new part or session keeps it.
    const lights = previous?.lights ?? this.deliveryFor({ saved: null, touched: false });
    lights.newPart(msg.room === 'dark' ? 'dark' : 'breathe');
    const run: Run = { msg, timeline: timelineOf(msg), progress: NOTHING_SENT, status: 'running', holdUntil: null, lights, timer: null };
    this.run = run;
    // The Hue read (and a step due now) go first; the state file is written behind them.
    lights.capture();
    this.greet(run, previous?.msg.sessionId === msg.sessionId);
    this.persist('soon');
    log.info(
      { sessionId: msg.sessionId, fromMs: msg.fromMs, untilMs: msg.untilMs, final: msg.final, steps: run.timeline.steps.length, startsInMs: msg.startAt - clock.now() },
      previous?.msg.sessionId === msg.sessionId ? 'session continues' : 'session starts',
    );
    this.tick();
  }

  /**
   * A session just asked for, whose first step is still a while off (the instructions are being
   * read): the lamps that are on glide to its first level now, so the room answers within a second or
   * two of "Alexa, start wind down". A later part, or a rejoin, needs no greeting.
   */
  private greet(run: Run, continues: boolean): void {
    const first = run.timeline.steps[0];
    if (continues || run.msg.fromMs !== 0 || first === undefined) return;
    if (first.deadline - this.options.clock.now() <= GREET_BEFORE_MS + this.leadMs) return;
    // Said at once, so a dashboard shows the session running while its lamps glide (no phase yet).
    void run.lights.greet(first.bri, run.msg.lights.ct).then((greeted) => {
      if (greeted) this.publish(run);
    });
  }

  /** Re-joins a session persisted by a bridge that stopped without ending it. */
  resume(): void {
    const persisted = this.options.store.get().session;
    if (!persisted) return;
    const timeline = timelineOf(persisted.start);
    // Before the restart, a step was probably sent if its deadline had come.
    const first = timeline.steps[0];
    const touched = persisted.status !== 'running' || (first !== undefined && this.options.clock.now() >= first.deadline);
    const run: Run = { msg: persisted.start, timeline, progress: NOTHING_SENT, status: persisted.status, holdUntil: persisted.holdUntil, lights: this.deliveryFor({ saved: persisted.saved, touched }), timer: null };
    this.run = run;
    // A dark room stays dark across a restart.
    run.lights.newPart(persisted.start.room === 'dark' ? 'dark' : 'breathe');
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
    if (reason !== 'pause') return this.end(reason);
    run.lights.supersede();
    this.hold(run, 'paused', this.options.clock.now());
    this.options.log.info({ sessionId: run.msg.sessionId }, 'session paused');
    return this.ending;
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
      this.run.lights.supersede();
    }
    this.run = null;
  }

  state(): SessionState {
    const run = this.run;
    const at = this.options.clock.now();
    if (!run) return { sessionId: null, title: null, status: 'idle', phase: null, offsetMs: 0, totalMs: 0, bri: null, at };
    const { totalMs } = run.msg.lights;
    return {
      sessionId: run.msg.sessionId,
      title: run.msg.title,
      status: run.status,
      // The phase of the step last sent, as the message says (null when it does not: version 1).
      phase: run.timeline.steps[run.progress.sent]?.phase ?? null,
      offsetMs: offsetAt(run.timeline, at, totalMs),
      totalMs,
      bri: run.lights.lastBri,
      at,
    };
  }

  /**
   * The lamps' delivery for a run: `saved`, the lamps' state from before the session (null: not read
   * yet); `touched`, whether a step may already have reached them (a rejoined session).
   */
  private deliveryFor({ saved, touched }: { saved: SavedLight[] | null; touched: boolean }): LightsDelivery {
    const { lights, clock, log, events } = this.options;
    const delivery: LightsDelivery = new LightsDelivery({
      lights,
      clock,
      log,
      events,
      saved,
      touched,
      // Written behind the commands, never before them; a bridge that detached keeps its file as it was.
      onSaved: () => {
        if (this.run?.lights === delivery) this.persist('soon');
      },
    });
    return delivery;
  }

  /** What should the lights be doing now, and when to look again. */
  private tick(): void {
    const run = this.run;
    if (!run || run.status !== 'running') return;
    const { clock } = this.options;
    clock.clearTimer(run.timer);
    run.timer = null;
    const now = clock.now();
    const next = due(run.timeline, run.progress, now, this.leadMs);
    if (next.kind === 'over') {
      if (run.msg.final) void this.end('complete');
      else {
        this.hold(run, 'holding', run.timeline.endAt);
        this.options.log.info({ sessionId: run.msg.sessionId, holdUntil: new Date(run.holdUntil ?? 0).toISOString() }, 'part ended: holding for the next one');
      }
      return;
    }
    if (next.kind === 'step') this.send(run, next.step, next.transitionMs, now);
    run.timer = clock.setTimer(next.wakeAt, () => this.tick());
  }

  private send(run: Run, step: TimedStep, transitionMs: number, now: number): void {
    const { log, clock } = this.options;
    run.progress = { sent: step.index, retryAt: null };
    const sessionId = run.msg.sessionId;
    log.debug({ sessionId, atMs: step.atMs, bri: step.bri, transitionMs, dispatchLateMs: now - (step.deadline - this.leadMs) }, 'breath step');
    void run.lights.send({ bri: step.bri, transitionMs }, run.msg.lights.ct).then((outcome) => {
      if (outcome.kind === 'sent') this.publish(run);
      if (outcome.kind !== 'retry' || run.status !== 'running') return;
      run.progress = { ...run.progress, retryAt: clock.now() + outcome.inMs };
      log.warn({ err: errorDetail(outcome.error), sessionId, atMs: step.atMs, retryInMs: outcome.inMs }, 'lights command failed; will send the current step again');
      this.tick();
    });
  }

  /** Holds the lights where they are (after a part, or paused) until the next part, or the hold's end. */
  private hold(run: Run, status: 'holding' | 'paused', from: number): void {
    this.options.clock.clearTimer(run.timer);
    run.status = status;
    run.progress = { ...run.progress, retryAt: null };
    run.holdUntil = from + (this.options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS);
    this.persist('now');
    this.publish(run);
    this.armHold(run);
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
    const { clock, log, events } = this.options;
    clock.clearTimer(run.timer);
    // Nothing of this session leaves after this line but its end.
    run.lights.close();
    this.run = null;
    this.persist('now');
    const { sessionId, title } = run.msg;
    const { end, endTransitionMs, totalMs } = run.msg.lights;
    const action = end === 'restore' || cause === 'shutdown' ? 'restore' : 'fade-off';
    log.info({ sessionId, cause, action, transitionMs: endTransitionMs }, 'session ends');
    events.emit('session.state', { ...this.state(), sessionId, title, status: 'ending', totalMs });
    this.ending = this.ending.then(() => run.lights.finish(action, endTransitionMs, sessionId)).finally(() => events.emit('session.state', this.state()));
    return this.ending;
  }

  /** Writes the running session (or its absence) now, or behind, so nothing on the way to the lights waits for the disk. */
  private persist(when: 'now' | 'soon'): void {
    const run = this.run;
    const session = run ? { start: run.msg, saved: run.lights.saved, status: run.status, holdUntil: run.holdUntil } : null;
    const write = (s: { session: typeof session }): void => {
      s.session = session;
    };
    if (when === 'now') this.options.store.update(write);
    else this.options.store.updateSoon(write);
  }

  private publish(run: Run): void {
    if (this.run === run) this.options.events.emit('session.state', this.state());
  }
}
