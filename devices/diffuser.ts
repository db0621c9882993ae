/**
 * The aroma diffuser: on and off on command, on at the daily bedtime, and never left running. Every
 * switch-on has an off deadline (the command's minutes, capped by WINDDOWN_DIFFUSER_MAX_MINUTES) that
 * is written to the state file *before* the plug is switched, re-armed after a restart (or acted on at
 * once if it passed while the bridge was down), and handed to the plug's own timer where it has one.
 */
import type { BedtimeState, DiffuserState } from '../src/protocol/messages';
import { nextOccurrence } from './bedtime';
import type { Clock, TimerHandle } from './clock';
import type { EventBus } from './events';
import type { Logger } from './log';
import { errorDetail } from './log';
import type { Plug } from './plugs/types';
import type { StateStore } from './state-store';

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

  /** Picks up where the last run left off: an overdue deadline switches off now, a future one is re-armed. */
  async start(): Promise<void> {
    const { store, clock, log } = this.options;
    const saved = store.get().diffuser;
    const now = clock.now();
    if (saved.on) {
      if (saved.offAt === null || saved.offAt <= now) {
        log.info({ offAt: saved.offAt }, 'diffuser deadline passed while the bridge was down: switching off');
        await this.off('auto-off');
      } else {
        log.info({ offAt: new Date(saved.offAt).toISOString() }, 'diffuser is on: re-arming its off deadline');
        this.armOff(saved.offAt);
        this.emit(true, saved.offAt, 'startup');
      }
    } else {
      this.emit(false, null, 'startup');
    }
    this.armBedtime();
  }

  /** Switches on for `minutes` (capped by the maximum). Re-sending extends or shortens the deadline. */
  async on(minutes: number | undefined, reason: DiffuserReason): Promise<void> {
    const { store, clock, log, maxMinutes, plug } = this.options;
    const runMinutes = Math.min(minutes ?? maxMinutes, maxMinutes);
    const offAt = clock.now() + runMinutes * 60_000;
    store.update((s) => {
      s.diffuser = { on: true, offAt };
    });
    this.armOff(offAt);
    log.info({ minutes: runMinutes, offAt: new Date(offAt).toISOString(), reason }, 'diffuser on');
    this.emit(true, offAt, reason);
    if (!plug) return;
    try {
      await plug.set(true, runMinutes * 60);
    } catch (error) {
      log.error({ err: errorDetail(error) }, 'diffuser plug did not take the on command');
    }
  }

  async off(reason: DiffuserReason): Promise<void> {
    const { store, log, plug, clock } = this.options;
    clock.clearTimer(this.offTimer);
    this.offTimer = null;
    store.update((s) => {
      s.diffuser = { on: false, offAt: null };
    });
    log.info({ reason }, 'diffuser off');
    this.emit(false, null, reason);
    if (!plug) return;
    try {
      await plug.set(false);
    } catch (error) {
      log.error({ err: errorDetail(error) }, 'diffuser plug did not take the off command');
    }
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

  private armOff(at: number): void {
    const { clock } = this.options;
    clock.clearTimer(this.offTimer);
    this.offTimer = clock.setTimer(at, () => {
      this.offTimer = null;
      void this.off('auto-off');
    });
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
      store.update((s) => {
        s.lastBedtimeAt = at;
      });
      void this.on(bedtime.diffuserMinutes, 'bedtime').finally(() => this.armBedtime());
    });
  }

  private emit(on: boolean, offAt: number | null, reason: DiffuserReason): void {
    this.last = { on, offAt, reason, at: this.options.clock.now() };
    this.options.events.emit('diffuser.state', this.last);
  }
}
