/**
 * The bridge's only source of time. Everything that happens later (breath steps, auto-off, bedtime)
 * is armed on an absolute deadline through this interface, so tests can drive it with a fake clock and
 * a restart can rejoin a schedule from wall time alone.
 */
export interface TimerHandle {
  readonly at: number;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Call `fn` once at (or just after) the absolute time `at` (epoch ms). A time in the past fires at once. */
  setTimer(at: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle | null | undefined): void;
  /**
   * Call `fn` once `ms` of elapsed time have passed, measured on a monotonic clock: a wall clock set
   * back (NTP, a dead RTC battery) cannot make the wait longer. For run times with a maximum (the
   * diffuser); the handle's `at` is the wall time it was expected at when armed.
   */
  setTimerAfter?(ms: number, fn: () => void): TimerHandle;
}

/** `clock.setTimerAfter` where the clock has it, else a wall-clock deadline `ms` from now. */
export function timerAfter(clock: Clock, ms: number, fn: () => void): TimerHandle {
  return clock.setTimerAfter ? clock.setTimerAfter(ms, fn) : clock.setTimer(clock.now() + ms, fn);
}

/** Node timers cap a delay at 2^31-1 ms; longer waits are re-armed in hops. */
const MAX_DELAY_MS = 2_147_483_647;

interface SystemTimer extends TimerHandle {
  timeout: NodeJS.Timeout | null;
}

/** Arms a timer for what `remaining()` says is left, and again if Node wakes it early. */
function armUntil(remaining: () => number, at: number, fn: () => void): SystemTimer {
  const timer: SystemTimer = { at, timeout: null };
  const arm = (): void => {
    timer.timeout = setTimeout(() => {
      if (remaining() > 0) arm();
      else {
        timer.timeout = null;
        fn();
      }
    }, Math.min(Math.max(0, remaining()), MAX_DELAY_MS));
  };
  arm();
  return timer;
}

/**
 * The real clock. A timer is armed for the remaining time to its deadline and, if Node wakes it a
 * little early, re-armed for the rest: deadlines never drift, whatever ran before them.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (at, fn) => armUntil(() => at - Date.now(), at, fn),
  // Counted on the monotonic clock: setting the wall clock back cannot make this wait any longer.
  setTimerAfter(ms, fn) {
    const due = performance.now() + ms;
    return armUntil(() => due - performance.now(), Date.now() + ms, fn);
  },
  clearTimer(handle) {
    const timer = handle as SystemTimer | null | undefined;
    if (timer?.timeout) clearTimeout(timer.timeout);
    if (timer) timer.timeout = null;
  },
};
