import type { PlugKind, PlugSwitch, Publisher } from './types';

/** Any plug with a command topic and two payloads (ESPHome, OpenBeken, a Node-RED flow…). */
export class PlainMqttPlug implements PlugSwitch {
  constructor(
    private readonly topic: string,
    private readonly onPayload: string,
    private readonly offPayload: string,
    private readonly mqtt: Publisher,
  ) {}

  async set(on: boolean): Promise<void> {
    await this.mqtt.publish(this.topic, on ? this.onPayload : this.offPayload, { qos: 1 });
  }

  describe(): string {
    return `mqtt ${this.topic} (${this.onPayload}/${this.offPayload})`;
  }
}

const USAGE = 'mqtt:<command topic>:<on payload>:<off payload>';

export const plainMqtt: PlugKind<{ kind: 'mqtt'; topic: string; on: string; off: string }> = {
  kind: 'mqtt',
  usage: USAGE,
  // Two payloads say nothing of a timer: the bridge is the only one to switch it off.
  timesItself: false,
  parse: (rest) => {
    const parts = rest.split(':');
    if (parts.length < 3) return `expected ${USAGE}`;
    const off = parts.pop() as string;
    const on = parts.pop() as string;
    const topic = parts.join(':');
    if (topic === '' || on === '' || off === '') return `expected ${USAGE}, all three non-empty`;
    return { kind: 'mqtt', topic, on, off };
  },
  create: (spec, link) => new PlainMqttPlug(spec.topic, spec.on, spec.off, link.mqtt),
};
