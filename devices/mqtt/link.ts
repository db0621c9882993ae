/**
 * One MQTT connection with the bridge's habits: a fixed client id and a persistent session (QoS 1
 * commands sent while the bridge is away arrive when it is back), reconnects that back off from 1 s
 * to 30 s, and an optional retained last will.
 *
 * No message larger than a command reaches the bridge whole. It speaks MQTT 5 and tells the broker
 * its maximum packet size, so the broker (Mosquitto, AWS IoT Core) drops a larger message for it
 * instead of sending it. A broker that speaks only MQTT 3.1.1 (the embedded Aedes) refuses MQTT 5 with
 * "unacceptable protocol version"; the bridge then connects once more with 3.1.1, says so in one line,
 * and stays with it. Either way every packet passes a PacketCap, which cuts an oversized message short
 * as it streams in, before mqtt.js would hold all of it.
 */
import type { Duplex } from 'node:stream';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { mqttClientOptions } from '../../src/config/mqtt-options';
import { redactUrl } from '../../src/config/problems';
import { HOME_SESSION_EXPIRY_SECONDS, MAX_MESSAGE_BYTES, MAX_PACKET_BYTES } from '../../src/protocol/messages';
import type { BridgeMqttSettings } from '../config';
import type { Logger } from '../process/log';
import type { Publisher } from '../plugs/types';
import { capIncoming } from './packet-cap';

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

/** A broker's refusal of MQTT 5 itself: 3.1.1's "unacceptable protocol version", or 5's "unsupported protocol version". */
function refusesMqtt5(error: Error & { code?: unknown }): boolean {
  return error.code === 1 || error.code === 132;
}

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
    mqtt5: { maximumPacketBytes: MAX_PACKET_BYTES, sessionExpirySeconds: HOME_SESSION_EXPIRY_SECONDS },
    ...(options.will ? { will: options.will } : {}),
  });
  // Not connected yet: the connection it builds must first be wrapped in the PacketCap.
  const client = mqtt.connect(settings.url, { ...clientOptions, manualConnect: true });
  const where = redactUrl(settings.url) ?? '[unparseable url]';
  capConnections(client, (topic, packetBytes) => log.warn({ topic, bytes: packetBytes, limit: MAX_PACKET_BYTES }, 'message too large: cut short before it was read'));
  client.connect();
  let attempts = 0;
  /** Between MQTT 5's refusal and the 3.1.1 connection: the broker is there, not unreachable. */
  let fallingBack = false;
  client.on('connect', (packet) => {
    attempts = 0;
    fallingBack = false;
    client.options.reconnectPeriod = min;
    client.options.reconnectOnConnackError = false;
    log.info({ url: where, clientId: settings.clientId, sessionPresent: packet.sessionPresent, mqtt: client.options.protocolVersion === 5 ? '5' : '3.1.1' }, 'connected');
  });
  client.on('reconnect', () => {
    attempts += 1;
    // Back off: 1 s, 2 s, 4 s … 30 s between attempts while the broker stays away.
    client.options.reconnectPeriod = Math.min(max, min * 2 ** Math.min(attempts, 16));
    if (attempts === 1 || attempts % 10 === 0) log.info({ attempts, nextInMs: client.options.reconnectPeriod }, 'reconnecting');
  });
  client.on('offline', () => fallingBack || log.warn({ url: where }, 'broker unreachable; commands will arrive when it is back'));
  client.on('error', (error) => {
    if (client.options.protocolVersion === 5 && refusesMqtt5(error)) {
      // Once: 3.1.1 from now on, and the reconnect mqtt.js makes after a refusal comes at once.
      client.options.protocolVersion = 4;
      delete client.options.properties;
      client.options.reconnectOnConnackError = true;
      client.options.reconnectPeriod = 1;
      fallingBack = true;
      log.warn({ url: where }, 'the broker speaks only MQTT 3.1.1: connecting with that; it cannot be told the largest message to send, so oversized ones are cut short here');
      return;
    }
    log.warn({ err: error.message }, 'mqtt error');
  });
  return client;
}

type StreamBuilder = (client: MqttClient) => Duplex;

/**
 * Every connection `client` opens, now and after each reconnect, read through a PacketCap for the MQTT
 * version it was opened with. mqtt.js keeps the builder of its connections as `streamBuilder`.
 */
function capConnections(client: MqttClient, onOversized: (topic: string, packetBytes: number) => void): void {
  const holder = client as unknown as { streamBuilder: StreamBuilder };
  const build = holder.streamBuilder;
  holder.streamBuilder = (c) =>
    capIncoming(build(c), { maxPacketBytes: MAX_PACKET_BYTES, keptPayloadBytes: MAX_MESSAGE_BYTES + 1, protocolVersion: c.options.protocolVersion ?? 4, onOversized });
}

export function publisherFor(client: MqttClient): Publisher {
  return {
    async publish(topic, payload, options) {
      await client.publishAsync(topic, payload, { qos: options?.qos ?? 1, retain: options?.retain ?? false });
    },
  };
}
