/**
 * One MQTT connection with the bridge's habits: a fixed client id and a persistent session (QoS 1
 * commands sent while the bridge is away arrive when it is back), reconnects that back off from 1 s
 * to 30 s, and an optional retained last will.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { mqttClientOptions } from '../../src/config/mqtt-options';
import { redactUrl } from '../../src/config/problems';
import type { BridgeMqttSettings } from '../config';
import type { Logger } from '../process/log';
import type { Publisher } from '../plugs/types';

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

export interface LinkOptions {
  settings: BridgeMqttSettings;
  log: Logger;
  will?: { topic: string; payload: string };
  /** For tests: faster reconnects. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export function connectLink(options: LinkOptions): MqttClient {
  const { settings, log } = options;
  const min = options.reconnectMinMs ?? RECONNECT_MIN_MS;
  const max = options.reconnectMaxMs ?? RECONNECT_MAX_MS;
  const clientOptions = mqttClientOptions(settings, {
    clientId: settings.clientId,
    clean: false,
    keepaliveSeconds: 30,
    reconnectPeriodMs: min,
    // mqtt.js otherwise pre-builds 65,536 two-byte Buffers on the first publish: about 6 MB of heap, and
    // the young generation it grows stays for the life of the process.
    writeCache: false,
    ...(options.will ? { will: options.will } : {}),
  });
  const client = mqtt.connect(settings.url, clientOptions);
  const where = redactUrl(settings.url) ?? '[unparseable url]';
  let attempts = 0;
  client.on('connect', (packet) => {
    attempts = 0;
    client.options.reconnectPeriod = min;
    log.info({ url: where, clientId: settings.clientId, sessionPresent: packet.sessionPresent }, 'connected');
  });
  client.on('reconnect', () => {
    attempts += 1;
    // Back off: 1 s, 2 s, 4 s … 30 s between attempts while the broker stays away.
    client.options.reconnectPeriod = Math.min(max, min * 2 ** Math.min(attempts, 16));
    if (attempts === 1 || attempts % 10 === 0) log.info({ attempts, nextInMs: client.options.reconnectPeriod }, 'reconnecting');
  });
  client.on('offline', () => log.warn({ url: where }, 'broker unreachable; commands will arrive when it is back'));
  client.on('error', (error) => log.warn({ err: error.message }, 'mqtt error'));
  return client;
}

export function publisherFor(client: MqttClient): Publisher {
  return {
    async publish(topic, payload, options) {
      await client.publishAsync(topic, payload, { qos: options?.qos ?? 1, retain: options?.retain ?? false });
    },
  };
}
