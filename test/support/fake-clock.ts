import type { Clock, TimerHandle } from '../../devices/process/clock';

interface FakeTimer extends TimerHandle {
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets pending promise callbacks and I/O callbacks that are already due run. */
export const flushAsync = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told to. `advanceTo` fires due timers in deadline order, setting the
 * time to each one's deadline, and lets the promises they start settle in between, so a test sees the
 * same order of events a real night would produce, in microseconds.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(at: number, fn: () => void): TimerHandle {
    const timer: FakeTimer = { at, fn, seq: this.seq++, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  /** Elapsed and wall time are one here: nothing sets this clock back. */
  setTimerAfter(ms: number, fn: () => void): TimerHandle {
    return this.setTimer(this.time + ms, fn);
  }

  clearTimer(handle: TimerHandle | null | undefined): void {
    if (handle) (handle as FakeTimer).cancelled = true;
  }

  /** Deadlines of the timers still armed, soonest first. */
  pending(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await flushAsync();
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = Math.max(this.time, target);
    await flushAsync();
  }
}
