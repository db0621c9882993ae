/**
 * The skill's side of pairing by voice: for a spoken code, read the home's retained offer on
 * `winddown/pairing/<sha256(code)>`, and if it is there and current, confirm it to the home and clear
 * it (the code works once). A short connection of its own, opened only when someone pairs. The offer
 * arrives, if the broker retains one, before the answer to a second request made after the
 * subscription: one round trip, not a fixed wait.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { MqttSettings } from '../src/config/mqtt';
import { mqttClientOptions } from '../src/config/mqtt-options';
import { confirmTopic, offerTopic, PAIRING_VERSION, parseOffer, type PairingOffer } from '../src/protocol/pairing';
import type { Log } from './log';
import { connectMqtt } from './mqtt-connect';
import type { PairedHome } from './state';

/** paired: the offer was there and current. unknown: no offer for that code. expired: its time was up. */
export type Claim = { kind: 'paired'; home: PairedHome } | { kind: 'unknown' } | { kind: 'expired' } | { kind: 'unreachable' };

export interface PairingDesk {
  claim(code: string, now: number): Promise<Claim>;
}

export interface PairingDeskOptions {
  settings: MqttSettings;
  timeoutMs: number;
  log: Log;
}

export function mqttPairingDesk(options: PairingDeskOptions): PairingDesk {
  const { settings, timeoutMs, log } = options;

  const readOffer = async (client: MqttClient, topic: string): Promise<PairingOffer | null> => {
    let offer: PairingOffer | null = null;
    client.on('message', (t, payload) => {
      if (t === topic) offer = parseOffer(payload);
    });
    if (!client.connected) await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed')));
    });
    await client.subscribeAsync(topic, { qos: 1 });
    // By the answer to this the broker has sent the retained offer, if it holds one.
    await client.unsubscribeAsync(`${topic}/barrier`);
    return offer;
  };

  return {
    async claim(code, now) {
      const topic = offerTopic(code);
      const client = connectMqtt(
        settings.url,
        mqttClientOptions(settings, { clientId: `winddown-skill-${randomUUID().slice(0, 8)}`, clean: true, keepaliveSeconds: 30, reconnectPeriodMs: 0, writeCache: false }),
      );
      client.on('error', (error) => log.warn('pairing.error', { code: 'code' in error ? String(error.code) : error.name }));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      try {
        const read = await Promise.race([readOffer(client, topic).catch(() => 'failed' as const), timeout]);
        if (read === 'timeout' || read === 'failed') {
          log.warn('pairing.unreachable', { result: read });
          return { kind: 'unreachable' };
        }
        if (read === null) return { kind: 'unknown' };
        // Used or not, an offer that was found is cleared: a code works once. A current one is confirmed
        // first, so the home hears "paired" before it sees its offer go.
        const clear = (): Promise<unknown> => client.publishAsync(topic, '', { qos: 1, retain: true });
        if (read.expiresAt <= now) {
          await Promise.race([clear().catch(() => undefined), timeout]);
          return { kind: 'expired' };
        }
        const confirmAndClear = async (): Promise<void> => {
          await client.publishAsync(confirmTopic(read.homeId), JSON.stringify({ v: PAIRING_VERSION, nonce: read.nonce }), { qos: 1 });
          await clear();
        };
        const sent = await Promise.race([confirmAndClear().then(() => 'sent' as const, () => 'failed' as const), timeout]);
        if (sent !== 'sent') {
          log.warn('pairing.unreachable', { result: sent });
          return { kind: 'unreachable' };
        }
        log.info('pairing.paired');
        return { kind: 'paired', home: { id: read.homeId, key: read.key } };
      } finally {
        clearTimeout(timer);
        client.end(true);
      }
    },
  };
}
