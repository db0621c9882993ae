import type { Plug, PlugSwitch } from './types';

/**
 * One plug, one command at a time: a command starts only when the one before it has gone out (or
 * failed). A Tasmota ON is two publishes (PulseTime, then POWER); without this an OFF given meanwhile
 * could reach the plug between them and be overtaken by the ON.
 */
export class SerialPlug implements Plug {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: PlugSwitch,
    readonly kind: string,
    readonly hasOwnTimer: boolean,
  ) {}

  set(on: boolean, autoOffSeconds?: number): Promise<void> {
    const next = this.queue.then(() => this.inner.set(on, autoOffSeconds));
    this.queue = next.catch(() => undefined);
    return next;
  }

  describe(): string {
    return this.inner.describe();
  }
}
