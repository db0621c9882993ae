import type { DiffuserSpec } from '../config';
import { parseDiffuserSpec } from '../config';
import { PlainMqttPlug } from './plain-mqtt';
import { SerialPlug } from './serial';
import { ShellyPlug } from './shelly';
import { TasmotaPlug } from './tasmota';
import type { Plug, Publisher } from './types';
import { Zigbee2MqttPlug } from './zigbee2mqtt';

export type { Plug, Publisher };

/** The plug for a `WINDDOWN_DIFFUSER` setting (already parsed, or as written). */
export function createPlug(spec: DiffuserSpec | string, mqtt: Publisher, clientId = 'winddown-bridge'): Plug {
  return new SerialPlug(firmwarePlug(spec, mqtt, clientId));
}

function firmwarePlug(spec: DiffuserSpec | string, mqtt: Publisher, clientId: string): Plug {
  const parsed = typeof spec === 'string' ? parseDiffuserSpec(spec) : spec;
  if (typeof parsed === 'string') throw new Error(`WINDDOWN_DIFFUSER: ${parsed}`);
  switch (parsed.kind) {
    case 'tasmota':
      return new TasmotaPlug(parsed.topic, mqtt);
    case 'shelly':
      return new ShellyPlug(parsed.deviceId, mqtt, clientId);
    case 'zigbee2mqtt':
      return new Zigbee2MqttPlug(parsed.name, mqtt);
    case 'mqtt':
      return new PlainMqttPlug(parsed.topic, parsed.on, parsed.off, mqtt);
  }
}
