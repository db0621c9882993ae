import type { PlugKind, PlugSwitch, Publisher } from './types';

/**
 * Tasmota's PulseTime for an auto-off after `seconds`: 1–111 are tenths of a second, 112–64900 are
 * (value − 100) seconds. Longer than 64800 s (18 h) is capped; the bridge's deadline still applies.
 */
export function tasmotaPulseTime(seconds: number): number {
  if (!(seconds > 0)) return 0;
  if (seconds <= 11.1) return Math.max(1, Math.round(seconds * 10));
  return Math.min(64_900, Math.max(112, Math.round(seconds) + 100));
}

/** Tasmota: `cmnd/<topic>/POWER` ON|OFF, with `cmnd/<topic>/PulseTime` set before each ON. */
export class TasmotaPlug implements PlugSwitch {
  constructor(
    private readonly topic: string,
    private readonly mqtt: Publisher,
  ) {}

  async set(on: boolean, autoOffSeconds?: number): Promise<void> {
    if (on && autoOffSeconds !== undefined) {
      // Same client, QoS 1: the broker delivers these in order, so PulseTime is in place before ON.
      await this.mqtt.publish(`cmnd/${this.topic}/PulseTime`, String(tasmotaPulseTime(autoOffSeconds)), { qos: 1 });
    }
    await this.mqtt.publish(`cmnd/${this.topic}/POWER`, on ? 'ON' : 'OFF', { qos: 1 });
  }

  describe(): string {
    return `tasmota cmnd/${this.topic}/POWER (state on stat/${this.topic}/POWER)`;
  }
}

export const tasmota: PlugKind<{ kind: 'tasmota'; topic: string }> = {
  kind: 'tasmota',
  usage: 'tasmota:<topic>',
  // PulseTime is in every Tasmota build.
  timesItself: true,
  parse: (rest) => (rest.includes('/') ? 'expected tasmota:<topic> with a topic without "/"' : { kind: 'tasmota', topic: rest }),
  create: (spec, link) => new TasmotaPlug(spec.topic, link.mqtt),
};
