/**
 * `winddown pair`: offers this home to the skill under a nine-digit code for ten minutes, and waits for
 * the skill's sealed confirm. It has a connection of its own, so it works whether or not the bridge is
 * running. The offer holds no key: only an ephemeral public key whose private half lives in this
 * process's memory (see src/protocol/pairing.ts), so whatever is left on the broker is useless.
 *
 * The offer is retained (the skill reads it when the code is said) and cleared whatever happens:
 * confirmed, expired, or interrupted by SIGINT (Ctrl-C), SIGTERM (a service stop) or SIGHUP (a closed
 * terminal). Where the broker speaks MQTT 5 (Mosquitto, AWS IoT Core) the offer also carries a message
 * expiry of the code's lifetime, so even a SIGKILL leaves nothing readable once the code has expired.
 * Aedes (the embedded broker) speaks only MQTT 3.1.1: there the offer relies on being cleared.
 */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { mqttClientOptions } from '../../src/config/mqtt-options';
import {
  codeTag,
  codeWindow,
  confirmTopic,
  newEphemeralKey,
  newNonce,
  offerTopic,
  openPairing,
  PAIRING_CODE_TTL_MS,
  PAIRING_VERSION,
  parseConfirm,
  spokenCode,
  type PairingOffer,
} from '../../src/protocol/pairing';
import { randomInt } from 'node:crypto';
import { homeKeyWeakness } from '../../src/protocol/signing';
import type { BridgeMqttSettings } from '../config';
import type { Pairing } from './identity';

export interface PairOptions {
  mqtt: BridgeMqttSettings;
  homeId: string;
  out: (text: string) => void;
  now?: () => number;
  ttlMs?: number;
  /** The nine digits; random unless a test chooses. */
  code?: string;
  /** Connect with the bridge's own client id (AWS IoT Core allows no other), instead of `<it>-pair`. */
  asBridge?: boolean;
  /** Where SIGINT, SIGTERM and SIGHUP are heard while the code is offered (the process; null: none). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'> | null;
}

export type PairOutcome = { kind: 'paired'; pairing: Pairing } | { kind: 'expired' } | { kind: 'interrupted'; signal: string };

/** The signals that end `winddown pair` and clear its offer on the way out. */
export const PAIR_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Nine digits without a leading zero: "zero four eight…" might reach the skill as a shorter number. */
export function newCode(): string {
  return String(randomInt(100_000_000, 1_000_000_000));
}

/**
 * MQTT 5 where the broker speaks it (for the offer's message expiry), else 3.1.1. A broker that speaks
 * only 3.1.1 refuses the first CONNECT with "unacceptable protocol version" or closes the connection.
 */
export async function connectEither(url: string, options: IClientOptions): Promise<{ client: MqttClient; v5: boolean }> {
  try {
    return { client: await connectAsync(url, { ...options, protocolVersion: 5, reconnectPeriod: 0 }), v5: true };
  } catch {
    return { client: await connectAsync(url, { ...options, protocolVersion: 4 }), v5: false };
  }
}

export async function pairHome(options: PairOptions): Promise<PairOutcome> {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? PAIRING_CODE_TTL_MS;
  const code = options.code ?? newCode();
  const ephemeral = newEphemeralKey();
  const startedAt = now();
  const tag = await codeTag(code, codeWindow(startedAt));
  const offer: PairingOffer = { v: PAIRING_VERSION, homeId: options.homeId, pub: ephemeral.pub, expiresAt: startedAt + ttlMs, nonce: newNonce() };
  const topic = offerTopic(options.homeId, tag);
  const confirms = confirmTopic(options.homeId);
  const clientId = options.asBridge ? options.mqtt.clientId : `${options.mqtt.clientId}-pair`.slice(0, 64);
  const { client, v5 } = await connectEither(options.mqtt.url, mqttClientOptions(options.mqtt, { clientId, clean: true, keepaliveSeconds: 30, reconnectPeriodMs: 1000 }));
  let resolveOutcome: (outcome: PairOutcome) => void = () => undefined;
  const outcome = new Promise<PairOutcome>((resolve) => (resolveOutcome = resolve));
  const onSignal = (signal: string) => (): void => resolveOutcome({ kind: 'interrupted', signal });
  const handlers = PAIR_SIGNALS.map((signal) => [signal, onSignal(signal)] as const);
  // Heard from the first moment the offer can exist, so no signal leaves it behind.
  for (const [signal, handler] of handlers) options.signals?.on(signal, handler);
  let timer: NodeJS.Timeout | undefined;
  try {
    const offered = JSON.stringify(offer);
    let seenOffer = false;
    client.on('message', (t, payload) => {
      if (t === confirms) {
        const confirm = parseConfirm(payload);
        const opened = confirm && openPairing(confirm, { homeId: options.homeId, tag, code, nonce: offer.nonce, privateKey: ephemeral.privateKey });
        // A confirm that does not open (not sealed to this offer, or without the code) is ignored, and so
        // is one sealing a weak key (not the skill's 32 random bytes): anyone could guess what it signs.
        if (confirm && opened && homeKeyWeakness(Buffer.from(opened.key, 'hex')) === null) resolveOutcome({ kind: 'paired', pairing: { id: confirm.pairingId, key: opened.key, at: now(), ...(opened.account ? { account: opened.account } : {}) } });
      }
      // The skill clears an offer it found too late (by its clock) without confirming: the code is spent.
      else if (t === topic && payload.length === 0 && seenOffer) resolveOutcome({ kind: 'expired' });
      else if (t === topic && payload.toString('utf8') === offered) seenOffer = true;
    });
    await client.subscribeAsync({ [confirms]: { qos: 1 }, [topic]: { qos: 1 } });
    const expiry = v5 ? { properties: { messageExpiryInterval: Math.ceil(ttlMs / 1000) } } : {};
    await client.publishAsync(topic, offered, { qos: 1, retain: true, ...expiry });
    options.out(`Say: "Alexa, ask Wind Down to pair with code ${spokenCode(code)}"`);
    options.out(`The code works once, for the next ${Math.round(ttlMs / 60_000)} minutes.`);
    timer = setTimeout(() => resolveOutcome({ kind: 'expired' }), ttlMs);
    return await outcome;
  } finally {
    clearTimeout(timer);
    // Cleared in every case: a code that was used, has expired or was abandoned must not be found again.
    await client.publishAsync(topic, '', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
    for (const [signal, handler] of handlers) options.signals?.off(signal, handler);
  }
}
