/**
 * One MQTT connection with the bridge's habits: a fixed client id and a persistent session (QoS 1
 * commands sent while the bridge is away arrive when it is back), reconnects that back off from 1 s
 * to 30 s, and an optional retained last will.
 */
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { MqttSettings } from './config';
import type { Logger } from './log';
import type { Publisher } from './plugs/types';

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

export interface LinkOptions {
  settings: MqttSettings;
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
  const clientOptions: IClientOptions = {
    clientId: settings.clientId,
    clean: false,
    protocolVersion: 4,
    keepalive: 30,
    reconnectPeriod: min,
    connectTimeout: 10_000,
    resubscribe: true,
    // mqtt.js otherwise pre-builds 65,536 two-byte Buffers on the first publish: about 6 MB of heap, and
    // the young generation it grows stays for the life of the process.
    writeCache: false,
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.cert ? { cert: settings.cert } : {}),
    ...(settings.key ? { key: settings.key } : {}),
    ...(options.will ? { will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: 1 as const, retain: true } } : {}),
  };
  const client = mqtt.connect(settings.url, clientOptions);
  let attempts = 0;
  client.on('connect', (packet) => {
    attempts = 0;
    client.options.reconnectPeriod = min;
    log.info({ url: redactUrl(settings.url), clientId: settings.clientId, sessionPresent: packet.sessionPresent }, 'connected');
  });
  client.on('reconnect', () => {
    attempts += 1;
    // Back off: 1 s, 2 s, 4 s … 30 s between attempts while the broker stays away.
    client.options.reconnectPeriod = Math.min(max, min * 2 ** Math.min(attempts, 16));
    if (attempts === 1 || attempts % 10 === 0) log.info({ attempts, nextInMs: client.options.reconnectPeriod }, 'reconnecting');
  });
  client.on('offline', () => log.warn({ url: redactUrl(settings.url) }, 'broker unreachable; commands will arrive when it is back'));
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

/** A URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
