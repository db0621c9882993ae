import type { Plug, Publisher } from './types';

/**
 * Zigbee2MQTT: `zigbee2mqtt/<friendly name>/set` with `{"state":"ON"}`. Not every Zigbee plug takes
 * a timed on (`on_time`), and one that does not may ignore the whole command, so the bridge's own
 * deadline is the only auto-off here.
 */
export class Zigbee2MqttPlug implements Plug {
  readonly kind = 'zigbee2mqtt';
  readonly hasOwnTimer = false;

  constructor(
    private readonly name: string,
    private readonly mqtt: Publisher,
    private readonly baseTopic = 'zigbee2mqtt',
  ) {}

  async set(on: boolean): Promise<void> {
    await this.mqtt.publish(`${this.baseTopic}/${this.name}/set`, JSON.stringify({ state: on ? 'ON' : 'OFF' }), { qos: 1 });
  }

  describe(): string {
    return `zigbee2mqtt ${this.baseTopic}/${this.name}/set`;
  }
}
