/**
 * The lights while a session has them: read (so their state is saved) before the first command, sent
 * each step, given back at the end. One `LightsDelivery` lasts from a session's start to its end,
 * across its parts (and a session that replaces it), so the state saved before the first is the one
 * restored.
 *
 * A step still waiting for the read of the lamps when a new part, a pause or the end comes is dropped,
 * and only the latest step's failure is retried. The end waits for the steps already handed over, so it
 * is the last command every light gets.
 *
 * A dark room (someone woken in the night) is kept dark here, where the light is, whatever the steps
 * say: only the lamps that were on when the session began are addressed, none is ever sent `on`, and
 * none is raised above the dimmest level any of them had. A room whose lamps are all off hears nothing.
 *
 * The room answers at once (`greet`): when a session begins, the lamps that are on glide to its warm
 * starting level straight away, while the instructions are still being read; the breathing joins at
 * the plan's first step. Lamps that are off wait for that step (and in a dark room, stay off).
 */
import type { Clock, TimerHandle } from '../process/clock';
import type { EventBus } from '../events';
import type { LightTarget, Lights, SavedLight } from '../lights/types';
import type { Logger } from '../process/log';
import { errorDetail } from '../process/log';

export const RETRY_INITIAL_MS = 500;
export const RETRY_MAX_MS = 8000;
/** The greeting glide takes at least this long, longer for a big change (at most `GREET_BRI_PER_SECOND`). */
export const GREET_MIN_MS = 1500;
/** The same gentleness as the breathing itself: the full range takes more than 4 s. */
const GREET_BRI_PER_SECOND = 60;
/** How often the end action (restore or fade-off) is tried before giving up. */
const END_ATTEMPTS = 4;
/**
 * The end waits for the steps already handed to the lights to settle, so it is the last command they
 * get; a command that hangs longer than this (the Hue adapter times out well before) is not waited for.
 */
const END_WAITS_FOR_STEPS_MS = 10_000;

/** `retry`: it failed and is the latest step; send the current step again after `inMs`. */
export type SendOutcome = { kind: 'sent' } | { kind: 'superseded' } | { kind: 'retry'; inMs: number; error: unknown };

export interface LightsDeliveryOptions {
  /** Null: no lights configured; every step "goes out" at once. */
  lights: Lights | null;
  clock: Clock;
  log: Logger;
  events: EventBus;
  /** The lights' state from before the session, when a restarted bridge already knows it. */
  saved: SavedLight[] | null;
  /** Whether a command of this session may already have reached the lights (a rejoin). */
  touched: boolean;
  /** The saved state became known (to be written to disk, behind the commands). */
  onSaved: () => void;
}

export class LightsDelivery {
  saved: SavedLight[] | null;
  /** Whether any command of this session may have reached the lights. */
  private touched: boolean;
  /** The brightness of the last step that reached the lights. */
  lastBri: number | null = null;
  /** The next command also switches the lights on and sets their colour temperature. */
  private resync = true;
  /** The part being played is for a dark room (see the header). */
  private dark = false;
  /** Whether a step of the plan (not only the greeting) may have reached the lights. */
  private stepped: boolean;
  private backoffMs = RETRY_INITIAL_MS;
  /** Bumped whenever the steps handed over so far stop counting (a new part, a pause, the end). */
  private generation = 0;
  /** Bumped on every step: only the latest one's failure is retried. */
  private latest = 0;
  private closed = false;
  /** Settles when every step handed to the lights so far has gone out or failed. */
  private inflight: Promise<void> = Promise.resolve();
  private capturing: Promise<SavedLight[]> | null = null;

  constructor(private readonly options: LightsDeliveryOptions) {
    this.saved = options.saved;
    this.touched = options.touched;
    this.stepped = options.touched;
  }

  /** Reads the lights as soon as a session arrives, so it is done before the first deadline. */
  capture(): void {
    const { lights, log } = this.options;
    if (!lights || this.saved !== null || this.capturing) return;
    const capturing = lights.capture();
    this.capturing = capturing;
    capturing.then(
      (saved) => this.keep(saved),
      (error: unknown) => {
        // A failure is tried again before the first command.
        if (this.capturing === capturing) this.capturing = null;
        log.warn({ err: errorDetail(error) }, 'could not read the lights before the session; will try again');
      },
    );
  }

  /** A new part begins: nothing sent before counts, and its first step switches the lights on again (not in a dark room). */
  newPart(room: 'breathe' | 'dark' = 'breathe'): void {
    this.supersede();
    this.resync = true;
    this.dark = room === 'dark';
    this.backoffMs = RETRY_INITIAL_MS;
  }

  /**
   * The room answers at once: the lamps that are on glide to `bri` (capped in a dark room) in the
   * session's colour now, gently; lamps that are off are left for the first step. Whether any lamp was
   * told to; never rejects.
   */
  async greet(bri: number, ct: number): Promise<boolean> {
    const { lights, log, events, clock } = this.options;
    if (!lights) return false;
    const generation = this.generation;
    const greeting = (async () => {
      if (this.saved === null) this.keep(await (this.capturing ?? lights.capture()));
      const lit = (this.saved ?? []).filter((light) => light.on);
      if (!this.counts(generation) || lit.length === 0) return false;
      const level = this.dark ? Math.min(bri, dimmest(lit)) : bri;
      const farthest = Math.max(...lit.map((light) => Math.abs((light.bri ?? level) - level)));
      const transitionMs = Math.max(GREET_MIN_MS, Math.ceil((farthest * 1000) / GREET_BRI_PER_SECOND / 100) * 100);
      this.touched = true;
      await lights.set({ bri: level, ct, transitionMs, ...onlyLit(this.saved ?? []) });
      this.lastBri = level;
      events.emit('lights.state', { bri: level, on: true, at: clock.now() });
      return true;
    })();
    this.track(greeting);
    try {
      const greeted = await greeting;
      if (greeted) log.info({ bri, ct }, 'the room answers: lamps that are on glide to the starting level');
      return greeted;
    } catch (error) {
      log.warn({ err: errorDetail(error) }, 'could not move the lamps at the start; the first step will');
      return false;
    }
  }

  /** Steps handed over so far no longer count (a pause, a restart): none of them is retried. */
  supersede(): void {
    this.generation += 1;
  }

  /** Sends one step; resolves with what became of it. Never rejects. */
  async send(target: { bri: number; transitionMs: number }, ct: number): Promise<SendOutcome> {
    const ticket = ++this.latest;
    const generation = this.generation;
    const command: LightTarget = this.resync ? { ...target, on: true, ct } : target;
    this.resync = false;
    const delivery = this.deliver(generation, command);
    this.track(delivery);
    try {
      const went = await delivery;
      if (went === false || !this.counts(generation)) return { kind: 'superseded' };
      this.backoffMs = RETRY_INITIAL_MS;
      // A dark room whose lamps are all off: nothing was sent, and nothing changed.
      if (went === null) return { kind: 'sent' };
      this.lastBri = went.bri ?? target.bri;
      this.options.events.emit('lights.state', { bri: this.lastBri, on: true, at: this.options.clock.now() });
      return { kind: 'sent' };
    } catch (error) {
      if (!this.counts(generation) || ticket !== this.latest) return { kind: 'superseded' };
      // The Hue bridge may have been power-cycled: the next command switches the lights on again too.
      this.resync = true;
      const inMs = this.backoffMs;
      this.backoffMs = Math.min(RETRY_MAX_MS, this.backoffMs * 2);
      return { kind: 'retry', inMs, error };
    }
  }

  /** No step leaves from now on; the end follows with `finish`. Synchronous, so nothing slips in between. */
  close(): void {
    this.closed = true;
    this.generation += 1;
  }

  /**
   * Gives the lights back: restores the state saved before the session, or fades them off; after the
   * steps already handed over, and not at all if no command of the session can have reached them.
   */
  async finish(action: 'restore' | 'fade-off', transitionMs: number, sessionId: string): Promise<void> {
    const { lights, clock, log, events } = this.options;
    if (!lights) return;
    let capped: TimerHandle | null = null;
    await Promise.race([this.inflight, new Promise<void>((resolve) => (capped = clock.setTimer(clock.now() + END_WAITS_FOR_STEPS_MS, resolve)))]);
    clock.clearTimer(capped);
    // Nothing was ever sent: the lights are as the person left them.
    if (!this.touched) return;
    // Stopped before its first step, only greeted: the lamps go back to how they were, not dark (a dark
    // room excepted: at night nothing is raised again, it ends as its plan says).
    const giveBack = action === 'restore' || (!this.stepped && !this.dark);
    // Without a saved state (the lights could not be read) there is nothing to restore: fade off.
    const saved = giveBack && this.saved !== null && this.saved.length > 0 ? this.saved : null;
    for (let attempt = 1; ; attempt++) {
      try {
        if (saved) await lights.restore(saved, transitionMs);
        else await lights.set({ on: false, transitionMs });
        // Restored lights are on if any of them was on before the session.
        events.emit('lights.state', { bri: null, on: saved !== null && saved.some((l) => l.on), at: clock.now() });
        return;
      } catch (error) {
        if (attempt >= END_ATTEMPTS) {
          log.error({ err: errorDetail(error), sessionId }, 'could not restore or fade off the lights');
          return;
        }
        log.warn({ err: errorDetail(error), attempt }, 'end of session: lights command failed; retrying');
        await new Promise<void>((resolve) => clock.setTimer(clock.now() + RETRY_INITIAL_MS * 2 ** attempt, resolve));
      }
    }
  }

  private counts(generation: number): boolean {
    return generation === this.generation && !this.closed;
  }

  /** The end waits for this too (see `finish`). */
  private track(work: Promise<unknown>): void {
    const before = this.inflight;
    this.inflight = work.then(
      () => before,
      () => before,
    );
  }

  /**
   * Reads the lamps first if that is not done yet, then sends: the command that went out; null when a
   * dark room had nothing to send it to; false if the step stopped counting meanwhile.
   */
  private async deliver(generation: number, command: LightTarget): Promise<LightTarget | null | false> {
    const { lights } = this.options;
    if (!lights) return command;
    if (this.saved === null) {
      this.keep(await (this.capturing ?? lights.capture()));
      // The session ended (its end command may already have gone out), paused or moved on: a step
      // sent now would follow the end and could leave the lights lit after a stop.
      if (!this.counts(generation)) return false;
    }
    const sent = this.dark ? keptDark(command, this.saved ?? []) : command;
    if (sent === null) return null;
    this.touched = true;
    this.stepped = true;
    await lights.set(sent);
    return sent;
  }

  private keep(saved: SavedLight[]): void {
    if (this.saved !== null) return;
    this.saved = saved;
    this.options.onSaved();
  }
}

/** The dimmest of these lit lamps (a lamp that reports no brightness counts as the dimmest lit level). */
function dimmest(lit: readonly SavedLight[]): number {
  return Math.min(...lit.map((light) => light.bri ?? 1));
}

/**
 * A step for a dark room: to the lamps that were on only, never `on`, never above the dimmest of them.
 * Null when every lamp was off: the room stays as it is.
 */
export function keptDark(command: LightTarget, saved: readonly SavedLight[]): LightTarget | null {
  const lit = saved.filter((light) => light.on);
  if (lit.length === 0) return null;
  const { on: _on, only: _only, ...rest } = command;
  const bri = Math.min(command.bri ?? 1, dimmest(lit));
  return { ...rest, bri, ...onlyLit(saved) };
}

/** Addresses the lamps that are on, each on its own, when some are off; all of them (a group) when none is. */
function onlyLit(saved: readonly SavedLight[]): Pick<LightTarget, 'only'> {
  return saved.every((light) => light.on) ? {} : { only: saved.filter((light) => light.on).map((light) => light.id) };
}
