import type { Plug, Publisher } from './types';

/** Any plug with a command topic and two payloads (ESPHome, OpenBeken, a Node-RED flow…). */
export class PlainMqttPlug implements Plug {
  readonly kind = 'mqtt';
  readonly hasOwnTimer = false;

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
