/**
 * The aroma diffuser: on and off on command, on at the daily bedtime, and never left running. Every
 * switch-on has an off deadline (the command's minutes, capped by WINDDOWN_DIFFUSER_MAX_MINUTES),
 * armed in memory on a monotonic timer (a wall clock set back cannot lengthen it), handed to the
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
import type { PersistedState, StateStore } from '../state/state-store';

export type DiffuserReason = DiffuserState['reason'];

export interface DiffuserOptions {
  plug: Plug | null;
  clock: Clock;
  log: Logger;
  store: StateStore;
  events: EventBus;
  maxMinutes: number;
  timeZone: string;
  /** Called when the bedtime state changes (for the retained bedtime topic). */
  onBedtime?: (state: BedtimeState) => void;
}

export class Diffuser {
  private offTimer: TimerHandle | null = null;
  private bedtimeTimer: TimerHandle | null = null;
  private last: DiffuserState | null = null;

  constructor(private readonly options: DiffuserOptions) {}

  /** Picks up where the last run left off: a valid future deadline is re-armed (capped), anything else switches off now. */
  start(): Promise<void> {
    const { store, clock, log, plug, maxMinutes } = this.options;
    const saved = store.get().diffuser;
    const now = clock.now();
    if (plug?.kind === 'mqtt') log.warn({ plug: plug.describe() }, 'this diffuser plug has no timer of its own: only the bridge can switch it off, so keep the bridge running while it is on');
    if (saved.on && saved.offAt !== null && saved.offAt > now) {
      // A deadline further ahead than the maximum (a clock that was wrong when it was written) is cut back.
      const offAt = Math.min(saved.offAt, now + maxMinutes * 60_000);
      log.info({ offAt: new Date(offAt).toISOString() }, 'diffuser is on: re-arming its off deadline');
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

  /** Switches on for `minutes` (capped by the maximum). Re-sending extends or shortens the deadline. */
  async on(minutes: number | undefined, reason: DiffuserReason): Promise<void> {
    const { clock, log, maxMinutes } = this.options;
    const runMinutes = Math.min(minutes ?? maxMinutes, maxMinutes);
    const offAt = clock.now() + runMinutes * 60_000;
    this.armOff(offAt);
    log.info({ minutes: runMinutes, offAt: new Date(offAt).toISOString(), reason }, 'diffuser on');
    this.emit(true, offAt, reason);
    await this.switchPlug(true, runMinutes * 60);
    this.persist({ on: true, offAt });
  }

  /** Never rejects: the plug is told OFF first, whatever happens to the state file after. */
  async off(reason: DiffuserReason): Promise<void> {
    const { log, clock } = this.options;
    clock.clearTimer(this.offTimer);
    this.offTimer = null;
    log.info({ reason }, 'diffuser off');
    this.emit(false, null, reason);
    await this.switchPlug(false);
    this.persist({ on: false, offAt: null });
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

  state(): DiffuserState | null {
    return this.last;
  }

  /** Clears the timers; the persisted deadline stays for the next start (and the plug's own timer runs). */
  stop(): void {
    this.options.clock.clearTimer(this.offTimer);
    this.options.clock.clearTimer(this.bedtimeTimer);
    this.offTimer = null;
    this.bedtimeTimer = null;
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
  private persist(diffuser: PersistedState['diffuser']): void {
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
    this.options.onBedtime?.(state);
    if (!bedtime || state.nextAt === null) return;
    const at = state.nextAt;
    log.debug({ at: new Date(at).toISOString(), timeZone }, 'bedtime armed');
    this.bedtimeTimer = clock.setTimer(at, () => {
      this.bedtimeTimer = null;
      void this.on(bedtime.diffuserMinutes, 'bedtime')
        .then(() =>
          store.update((s) => {
            s.lastBedtimeAt = at;
          }),
        )
        .catch((error: unknown) => log.error({ err: errorDetail(error) }, 'bedtime: could not record it'))
        .finally(() => this.armBedtime());
    });
  }

  private emit(on: boolean, offAt: number | null, reason: DiffuserReason): void {
    this.last = { on, offAt, reason, at: this.options.clock.now() };
    this.options.events.emit('diffuser.state', this.last);
  }
}
