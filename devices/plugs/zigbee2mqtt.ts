import type { Plug, Publisher } from './types';

/** `on_time` is a 16-bit count of seconds in the Zigbee On/Off cluster. */
export const Z2M_MAX_ON_TIME_S = 65_535;

/**
 * Zigbee2MQTT: `zigbee2mqtt/<friendly name>/set` with `{"state":"ON"}`, and with every ON an
 * `on_time` so a plug whose firmware supports it switches itself off even if the bridge is gone.
 * Not every Zigbee plug honours it, so the bridge's own deadline still counts as the only sure one.
 */
export class Zigbee2MqttPlug implements Plug {
  readonly kind = 'zigbee2mqtt';
  readonly hasOwnTimer = false;

  constructor(
    private readonly name: string,
    private readonly mqtt: Publisher,
    private readonly baseTopic = 'zigbee2mqtt',
  ) {}

  async set(on: boolean, autoOffSeconds?: number): Promise<void> {
    const body: { state: 'ON' | 'OFF'; on_time?: number } = { state: on ? 'ON' : 'OFF' };
    if (on && autoOffSeconds !== undefined && autoOffSeconds > 0) body.on_time = Math.min(Z2M_MAX_ON_TIME_S, Math.max(1, Math.round(autoOffSeconds)));
    await this.mqtt.publish(`${this.baseTopic}/${this.name}/set`, JSON.stringify(body), { qos: 1 });
  }

  describe(): string {
    return `zigbee2mqtt ${this.baseTopic}/${this.name}/set`;
  }
}
