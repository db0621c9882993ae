/**
 * The aroma diffuser: on and off on command, on at the daily bedtime, and never left running. Every
 * switch-on has an off deadline (the command's minutes, capped by WINDDOWN_DIFFUSER_MAX_MINUTES
 * counted from the run's first ON, however often ON is repeated while it runs), armed in memory on a
 * monotonic timer (a wall clock set back cannot lengthen it), handed to the
 * plug's own timer where it has one, and written to the state file so a restart re-arms it (capped
 * again) or acts on it at once if it passed. The plug is switched first and the state written after:
 * a disk that refuses the write (full, read-only, gone) never stops a switch-off. With no valid
 * deadline at start, the plug is sent OFF: it may have been left on by a bridge that died.
 */
import type { BedtimeState, DiffuserState } from '../../src/protocol/messages';
import { nextOccurrence } from './bedtime';
import type { Clock, TimerHandle } from '../process/clock';
import { timerAfter } from '../process/clock';
import type { EventBus } from '../events';
import type { Logger } from '../process/log';
import { errorDetail } from '../process/log';
import type { Plug } from '../plugs/types';
import type { StoredBridgeState, StateStore } from '../state/state-store';

export type DiffuserReason = DiffuserState['reason'];

export interface DiffuserOptions {
  plug: Plug | null;
  clock: Clock;
  log: Logger;
  store: StateStore;
  events: EventBus;
  maxMinutes: number;
  timeZone: string;
}

export class Diffuser {
  private offTimer: TimerHandle | null = null;
  private bedtimeTimer: TimerHandle | null = null;
  /**
   * The run's limit, armed once at its first ON and never moved by a later one: an automation that
   * repeats ON every few minutes still ends at the maximum. `capAt` is its wall time, for the deadline
   * reported and stored; the timer counts elapsed time.
   */
  private capTimer: TimerHandle | null = null;
  private capAt: number | null = null;

  constructor(private readonly options: DiffuserOptions) {}

  /** Picks up where the last run left off: a valid future deadline is re-armed (capped), anything else switches off now. */
  start(): Promise<void> {
    const { store, clock, log, plug, maxMinutes } = this.options;
    const saved = store.get().diffuser;
    const now = clock.now();
    if (plug && !plug.hasOwnTimer) log.warn({ plug: plug.describe() }, 'this diffuser plug has no timer the bridge can count on: only the bridge is sure to switch it off, so keep the bridge running while it is on');
    if (saved.on && saved.offAt !== null && saved.offAt > now) {
      // A deadline further ahead than the maximum (a clock that was wrong when it was written) is cut back.
      const capAt = Math.min(saved.capAt ?? saved.offAt, now + maxMinutes * 60_000);
      const offAt = Math.min(saved.offAt, capAt);
      log.info({ offAt: new Date(offAt).toISOString() }, 'diffuser is on: re-arming its off deadline');
      this.armCap(capAt);
      this.armOff(offAt);
      this.emit(true, offAt, 'startup');
    } else if (saved.on) {
      log.info({ offAt: saved.offAt }, 'diffuser deadline passed while the bridge was down: switching off');
      void this.off('auto-off');
    } else {
      // The state says off, but a bridge that died between its ON and writing the state would say so too.
      // Not waited for: with the broker away, the OFF goes out when it is back, and the bridge starts now.
      this.emit(false, null, 'startup');
      void this.switchPlug(false);
    }
    this.armBedtime();
    return Promise.resolve();
  }

  /**
   * Switches on for `minutes` (capped by the maximum). Re-sending while it runs moves the deadline
   * (shorter or longer), but never past the maximum counted from the run's first ON.
   */
  async on(minutes: number | undefined, reason: DiffuserReason): Promise<void> {
    const { clock, log, maxMinutes } = this.options;
    const now = clock.now();
    if (this.capTimer === null) this.armCap(now + maxMinutes * 60_000);
    const capAt = this.capAt ?? now;
    const offAt = Math.min(now + Math.min(minutes ?? maxMinutes, maxMinutes) * 60_000, capAt);
    this.armOff(offAt);
    log.info({ minutes: Math.round((offAt - now) / 60_000), offAt: new Date(offAt).toISOString(), reason }, 'diffuser on');
    this.emit(true, offAt, reason);
    // The plug's own timer gets the same deadline, so it cannot run on past the bridge's either.
    await this.switchPlug(true, Math.max(1, Math.round((offAt - now) / 1000)));
    this.persist({ on: true, offAt, capAt });
  }

  /** Never rejects: the plug is told OFF first, whatever happens to the state file after. */
  async off(reason: DiffuserReason): Promise<void> {
    const { log } = this.options;
    this.clearRun();
    log.info({ reason }, 'diffuser off');
    this.emit(false, null, reason);
    await this.switchPlug(false);
    this.persist({ on: false, offAt: null, capAt: null });
  }

  /** Sets (or clears, with null) the daily bedtime. */
  setBedtime(time: string | null, diffuserMinutes: number | undefined): void {
    const { store, log } = this.options;
    store.update((s) => {
      s.bedtime = time === null ? null : { time, diffuserMinutes: Math.min(diffuserMinutes ?? this.options.maxMinutes, this.options.maxMinutes) };
    });
    log.info({ time, timeZone: this.options.timeZone }, time === null ? 'bedtime cleared' : 'bedtime set');
    this.armBedtime();
  }

  bedtimeState(): BedtimeState {
    const bedtime = this.options.store.get().bedtime;
    return {
      time: bedtime?.time ?? null,
      timeZone: this.options.timeZone,
      nextAt: bedtime ? nextOccurrence(bedtime.time, this.options.timeZone, this.options.clock.now()) : null,
      diffuserMinutes: bedtime?.diffuserMinutes ?? this.options.maxMinutes,
    };
  }

  /** Clears the timers; the persisted deadline stays for the next start (and the plug's own timer runs). */
  stop(): void {
    this.clearRun();
    this.options.clock.clearTimer(this.bedtimeTimer);
    this.bedtimeTimer = null;
  }

  private clearRun(): void {
    const { clock } = this.options;
    clock.clearTimer(this.offTimer);
    clock.clearTimer(this.capTimer);
    this.offTimer = null;
    this.capTimer = null;
    this.capAt = null;
  }

  /** The run's limit at `at` (wall time), counted as elapsed time from now. */
  private armCap(at: number): void {
    const { clock } = this.options;
    clock.clearTimer(this.capTimer);
    this.capAt = at;
    this.capTimer = timerAfter(clock, Math.max(0, at - clock.now()), () => {
      this.capTimer = null;
      void this.off('auto-off');
    });
  }

  /** Arms the switch-off for `at`, counted as elapsed time from now and never more than the maximum. */
  private armOff(at: number): void {
    const { clock, maxMinutes } = this.options;
    clock.clearTimer(this.offTimer);
    const ms = Math.min(Math.max(0, at - clock.now()), maxMinutes * 60_000);
    this.offTimer = timerAfter(clock, ms, () => {
      this.offTimer = null;
      void this.off('auto-off');
    });
  }

  private async switchPlug(on: boolean, autoOffSeconds?: number): Promise<void> {
    const { plug, log } = this.options;
    if (!plug) return;
    try {
      await plug.set(on, autoOffSeconds);
    } catch (error) {
      log.error({ err: errorDetail(error) }, `diffuser plug did not take the ${on ? 'on' : 'off'} command`);
    }
  }

  /** After the plug: the store keeps the state in memory if the disk refuses it (and logs that itself). */
  private persist(diffuser: StoredBridgeState['diffuser']): void {
    try {
      this.options.store.update((s) => {
        s.diffuser = diffuser;
      });
    } catch (error) {
      this.options.log.error({ err: errorDetail(error) }, 'could not record the diffuser state');
    }
  }

  private armBedtime(): void {
    const { clock, store, timeZone, log } = this.options;
    clock.clearTimer(this.bedtimeTimer);
    this.bedtimeTimer = null;
    const bedtime = store.get().bedtime;
    const state = this.bedtimeState();
    this.options.events.emit('bedtime.state', state);
    if (!bedtime || state.nextAt === null) return;
    const at = state.nextAt;
    log.debug({ at: new Date(at).toISOString(), timeZone }, 'bedtime armed');
    this.bedtimeTimer = clock.setTimer(at, () => {
      this.bedtimeTimer = null;
      void this.on(bedtime.diffuserMinutes, 'bedtime')
        .catch((error: unknown) => log.error({ err: errorDetail(error) }, 'bedtime: the diffuser did not switch on'))
        .finally(() => this.armBedtime());
    });
  }

  private emit(on: boolean, offAt: number | null, reason: DiffuserReason): void {
    this.options.events.emit('diffuser.state', { on, offAt, reason, at: this.options.clock.now() });
  }
}
