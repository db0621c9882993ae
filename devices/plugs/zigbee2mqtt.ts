import type { PlugKind, PlugSwitch, Publisher } from './types';

/** `on_time` is a 16-bit count of seconds in the Zigbee On/Off cluster. */
export const Z2M_MAX_ON_TIME_S = 65_535;

/**
 * Zigbee2MQTT: `zigbee2mqtt/<friendly name>/set` with `{"state":"ON"}`, and with every ON an
 * `on_time` (the On/Off cluster's "on with timed off") so a plug whose firmware supports it switches
 * itself off even if the bridge is gone.
 */
export class Zigbee2MqttPlug implements PlugSwitch {
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

export const zigbee2mqtt: PlugKind<{ kind: 'zigbee2mqtt'; name: string }> = {
  kind: 'zigbee2mqtt',
  usage: 'zigbee2mqtt:<friendly name>',
  // Many plugs' firmware ignores "on with timed off" and simply switches on, and nothing in the reply
  // tells the two apart: `on_time` is sent, but only the bridge's deadline is counted on.
  timesItself: false,
  parse: (rest) => ({ kind: 'zigbee2mqtt', name: rest }),
  create: (spec, link) => new Zigbee2MqttPlug(spec.name, link.mqtt),
};
