/**
 * `winddown pair`: offers this home to the skill under a six-digit code for ten minutes, and waits for
 * the skill's confirm. It has a connection of its own, so it works whether or not the bridge is
 * running. The offer is retained (the skill reads it when the code is said) and cleared whatever
 * happens: confirmed, expired, or interrupted.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { mqttClientOptions } from '../../src/config/mqtt-options';
import { confirmTopic, offerTopic, PAIRING_CODE_TTL_MS, PAIRING_VERSION, parseConfirm, spokenCode, type PairingOffer } from '../../src/protocol/pairing';
import type { BridgeMqttSettings } from '../config';

export interface PairOptions {
  mqtt: BridgeMqttSettings;
  homeId: string;
  key: string;
  out: (text: string) => void;
  now?: () => number;
  ttlMs?: number;
  /** The six digits; random unless a test chooses. */
  code?: string;
  /** Connect with the bridge's own client id (AWS IoT Core allows no other), instead of `<it>-pair`. */
  asBridge?: boolean;
}

export type PairOutcome = 'paired' | 'expired';

/** Six digits without a leading zero: "zero four eight…" might reach the skill as a five-digit number. */
export function newCode(): string {
  return String(randomInt(100_000, 1_000_000));
}

export async function pairHome(options: PairOptions): Promise<PairOutcome> {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? PAIRING_CODE_TTL_MS;
  const code = options.code ?? newCode();
  const offer: PairingOffer = { v: PAIRING_VERSION, homeId: options.homeId, key: options.key, expiresAt: now() + ttlMs, nonce: randomBytes(16).toString('hex') };
  const topic = offerTopic(code);
  const confirms = confirmTopic(options.homeId);
  const clientId = options.asBridge ? options.mqtt.clientId : `${options.mqtt.clientId}-pair`.slice(0, 64);
  const client: MqttClient = await connectAsync(
    options.mqtt.url,
    mqttClientOptions(options.mqtt, { clientId, clean: true, keepaliveSeconds: 30, reconnectPeriodMs: 1000 }),
  );
  try {
    let resolveOutcome: (outcome: PairOutcome) => void = () => undefined;
    const outcome = new Promise<PairOutcome>((resolve) => (resolveOutcome = resolve));
    const offered = JSON.stringify(offer);
    let seenOffer = false;
    client.on('message', (t, payload) => {
      if (t === confirms && parseConfirm(payload)?.nonce === offer.nonce) resolveOutcome('paired');
      // The skill clears an offer it found too late (by its clock) without confirming: the code is spent.
      else if (t === topic && payload.length === 0 && seenOffer) resolveOutcome('expired');
      else if (t === topic && payload.toString('utf8') === offered) seenOffer = true;
    });
    await client.subscribeAsync({ [confirms]: { qos: 1 }, [topic]: { qos: 1 } });
    await client.publishAsync(topic, offered, { qos: 1, retain: true });
    options.out(`Say: "Alexa, ask Wind Down to pair with code ${spokenCode(code)}"`);
    options.out(`The code works once, for the next ${Math.round(ttlMs / 60_000)} minutes.`);
    const timer = setTimeout(() => resolveOutcome('expired'), ttlMs);
    const result = await outcome;
    clearTimeout(timer);
    return result;
  } finally {
    // Cleared in every case: a code that was used or has expired must not be found again.
    await client.publishAsync(topic, '', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
  }
}
