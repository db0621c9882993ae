/**
 * The skill's side of pairing by voice (the protocol is in src/protocol/pairing.ts): for a spoken code,
 * read the retained offers under the code's tags, keep only an offer whose home id is its topic's own
 * segment, claim it once, make a key for this pairing only and send it sealed to the offer's ephemeral
 * key, then clear the offer. A short connection of its own, opened only when someone pairs. Retained
 * offers arrive, if the broker holds any, before the answer to a request made after the subscription:
 * one round trip, not a fixed wait.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { MqttSettings } from '../src/config/mqtt';
import { mqttClientOptions } from '../src/config/mqtt-options';
import { candidateTags, confirmTopic, newPairingId, offerFilter, offerTopic, parseOffer, readOfferTopic, sealPairing, type PairingOffer } from '../src/protocol/pairing';
import type { Log } from './log';
import { connectMqtt } from './mqtt-connect';
import type { PairedHome } from './state';

/**
 * paired: the offer was there, current and this account's claim. unknown: no offer for that code (or
 * two homes offering it: nobody is paired to a home they did not mean). expired: its time was up.
 * taken: another account claimed it first.
 */
export type Claim = { kind: 'paired'; home: PairedHome } | { kind: 'unknown' } | { kind: 'expired' } | { kind: 'taken' } | { kind: 'unreachable' };

export interface PairRequest {
  code: string;
  now: number;
  /** A short hint of the Alexa account, sealed with the key so only the home sees it. */
  account: string;
  /** Claims the code (by its tag) atomically; false when someone else already has. */
  claim: (claimId: string) => Promise<boolean>;
  /** Whether one of these tags was claimed (its offer is then gone). */
  claimed: (claimIds: readonly string[]) => Promise<boolean>;
}

export interface PairingDesk {
  pair(request: PairRequest): Promise<Claim>;
}

export interface PairingDeskOptions {
  settings: MqttSettings;
  timeoutMs: number;
  log: Log;
}

/** What the desk needs: a fresh, clean MQTT connection for each pairing, and where to log. */
export interface PairingDeskLinks {
  connect: (clientId: string) => MqttClient;
  timeoutMs: number;
  log: Log;
}

/** The desk on the skill's broker settings. */
export function mqttPairingDesk(options: PairingDeskOptions): PairingDesk {
  const { settings, timeoutMs, log } = options;
  return pairingDesk({ connect: (clientId) => connectPairingClient(settings, clientId), timeoutMs, log });
}

/** A short connection of its own for one pairing: clean, no reconnects, nothing cached. */
export function connectPairingClient(settings: MqttSettings, clientId: string): MqttClient {
  return connectMqtt(settings.url, mqttClientOptions(settings, { clientId, clean: true, keepaliveSeconds: 30, reconnectPeriodMs: 0, writeCache: false }));
}

interface FoundOffer {
  offer: PairingOffer;
  tag: string;
}

export function pairingDesk(links: PairingDeskLinks): PairingDesk {
  const { connect, timeoutMs, log } = links;

  /** Every offer retained under the tags, by topic; an offer whose home id is not its topic's is dropped. */
  const readOffers = async (client: MqttClient, tags: string[]): Promise<FoundOffer[]> => {
    const found = new Map<string, FoundOffer>();
    client.on('message', (topic, payload) => {
      const place = readOfferTopic(topic);
      if (place === null || !tags.includes(place.tag)) return;
      const offer = parseOffer(payload);
      if (offer === null) found.delete(topic);
      else if (offer.homeId !== place.homeId) log.warn('pairing.foreign-offer', { topic });
      else found.set(topic, { offer, tag: place.tag });
    });
    if (!client.connected) await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed')));
    });
    await client.subscribeAsync(Object.fromEntries(tags.map((tag) => [offerFilter(tag), { qos: 1 as const }])));
    // By the answer to this the broker has sent the retained offers, if it holds any.
    await client.unsubscribeAsync(`${offerFilter(tags[0] as string)}/barrier`);
    return [...found.values()];
  };

  return {
    async pair({ code, now, account, claim, claimed: wasClaimed }) {
      const tags = await candidateTags(code, now);
      const client = connect(`winddown-skill-${randomUUID().slice(0, 8)}`);
      client.on('error', (error) => log.warn('pairing.error', { code: 'code' in error ? String(error.code) : error.name }));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      try {
        const read = await Promise.race([readOffers(client, tags).catch(() => 'failed' as const), timeout]);
        if (read === 'timeout' || read === 'failed') {
          log.warn('pairing.unreachable', { result: read });
          return { kind: 'unreachable' };
        }
        if (read.length > 1) {
          log.warn('pairing.ambiguous', { offers: read.length });
          return { kind: 'unknown' };
        }
        // No offer: never made, or claimed and cleared a moment ago by someone who said it first.
        if (read.length === 0) return (await wasClaimed(tags).catch(() => false)) ? { kind: 'taken' } : { kind: 'unknown' };
        const { offer, tag } = read[0] as FoundOffer;
        const topic = offerTopic(offer.homeId, tag);
        // Used or not, an offer that was found is cleared: a code works once.
        const clear = (): Promise<unknown> => client.publishAsync(topic, '', { qos: 1, retain: true });
        if (offer.expiresAt <= now) {
          await Promise.race([clear().catch(() => undefined), timeout]);
          return { kind: 'expired' };
        }
        const claimed = await Promise.race([claim(tag).catch(() => 'failed' as const), timeout]);
        if (claimed === 'timeout' || claimed === 'failed') {
          log.warn('pairing.unreachable', { result: `claim-${claimed}` });
          return { kind: 'unreachable' };
        }
        if (!claimed) {
          log.info('pairing.taken');
          return { kind: 'taken' };
        }
        const key = randomBytes(32).toString('hex');
        const pairingId = newPairingId();
        const confirm = sealPairing(offer, { tag, code, pairingId }, { key, account });
        // Confirmed first, so the home hears "paired" before it sees its offer go.
        const confirmAndClear = async (): Promise<void> => {
          await client.publishAsync(confirmTopic(offer.homeId), JSON.stringify(confirm), { qos: 1 });
          await clear();
        };
        const sent = await Promise.race([confirmAndClear().then(() => 'sent' as const, () => 'failed' as const), timeout]);
        if (sent !== 'sent') {
          log.warn('pairing.unreachable', { result: sent });
          return { kind: 'unreachable' };
        }
        log.info('pairing.paired', { pairing: pairingId });
        return { kind: 'paired', home: { id: offer.homeId, key, keyId: pairingId } };
      } finally {
        clearTimeout(timer);
        client.end(true);
      }
    },
  };
}
