/**
 * mqtt.js client options from one broker's settings and the habits of the program that connects. The
 * settings part (credentials, TLS) is the same for everyone; the habits are what differ: the bridge
 * keeps a persistent session under a fixed client id and reconnects on its own, the skill opens a clean
 * session from a container that may be frozen at any moment and reconnects only on the next request.
 */
import type { IClientOptions } from 'mqtt';
import type { MqttSettings } from './mqtt';

export interface ClientHabits {
  clientId: string;
  /** false: the broker keeps the session, and the QoS 1 messages sent to it, while the client is away. */
  clean: boolean;
  keepaliveSeconds: number;
  /** Milliseconds before mqtt.js reconnects by itself; 0 leaves reconnecting to the caller. */
  reconnectPeriodMs: number;
  /** Published by the broker, retained, if the connection is lost without a goodbye. */
  will?: { topic: string; payload: string };
  /** false: no cache of pre-built packet buffers (mqtt.js builds it on the first publish). */
  writeCache?: boolean;
  /**
   * MQTT 5, with what the client asks of the broker: never to send a packet larger than
   * `maximumPacketBytes`, and to keep a session that is not clean for `sessionExpirySeconds` after the
   * connection ends (on MQTT 5 it otherwise ends with it). Absent: MQTT 3.1.1.
   */
  mqtt5?: { maximumPacketBytes: number; sessionExpirySeconds: number };
}

/** How long a connection attempt may take before it counts as failed. */
export const CONNECT_TIMEOUT_MS = 10_000;

export function mqttClientOptions(settings: MqttSettings, habits: ClientHabits): IClientOptions {
  const options: IClientOptions = {
    clientId: habits.clientId,
    clean: habits.clean,
    keepalive: habits.keepaliveSeconds,
    reconnectPeriod: habits.reconnectPeriodMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // MQTT 3.1.1 unless asked for 5: what AWS IoT Core, Mosquitto and Aedes all speak.
    protocolVersion: habits.mqtt5 ? 5 : 4,
    // After a reconnect mqtt.js subscribes again to what the client had subscribed to.
    resubscribe: true,
  };
  if (settings.username !== undefined) options.username = settings.username;
  if (settings.password !== undefined) options.password = settings.password;
  if (settings.ca !== undefined) options.ca = settings.ca;
  if (settings.cert !== undefined) options.cert = settings.cert;
  if (settings.key !== undefined) options.key = settings.key;
  if (habits.mqtt5) {
    options.properties = { maximumPacketSize: habits.mqtt5.maximumPacketBytes, ...(habits.clean ? {} : { sessionExpiryInterval: habits.mqtt5.sessionExpirySeconds }) };
  }
  if (habits.writeCache !== undefined) options.writeCache = habits.writeCache;
  if (habits.will) options.will = { topic: habits.will.topic, payload: habits.will.payload, qos: 1, retain: true };
  return options;
}
