/**
 * Pairing a home with an Alexa user by voice, on any MQTT broker (AWS IoT Core included).
 *
 * At home, `winddown pair` makes a six-digit code and publishes a retained **offer** on
 * `winddown/pairing/<sha256(code) hex>`: the home's id and key, an expiry and a nonce. The person says
 * the code to Alexa; the skill hashes it, reads the retained offer on that topic, checks its expiry,
 * stores the pairing, publishes a **confirm** with the offer's nonce on `winddown/<home id>/paired`,
 * and clears the offer (an empty retained message). A code names a topic only through its hash, so
 * the broker's topic list does not show the codes in use.
 *
 * The offer carries the home key in clear: only the skill may read `winddown/pairing/#` (the AWS IoT
 * Core policies allow homes to publish there, never to subscribe).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { HomeId } from './messages';
import { TOPIC_ROOT } from './topics';

export const PAIRING_VERSION = 1;
/** A code is good for this long, and once. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
export const PAIRING_ROOT = `${TOPIC_ROOT}/pairing`;

const HexKey = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const Nonce = z.string().check(z.regex(/^[0-9a-f]{16,64}$/));

export const PairingOffer = z.strictObject({
  v: z.literal(PAIRING_VERSION),
  homeId: HomeId,
  key: HexKey,
  expiresAt: z.number().check(z.int()),
  nonce: Nonce,
});
export type PairingOffer = z.infer<typeof PairingOffer>;

export const PairingConfirm = z.strictObject({ v: z.literal(PAIRING_VERSION), nonce: Nonce });
export type PairingConfirm = z.infer<typeof PairingConfirm>;

/** The six digits of a code as said ("482 915", "482915"), or null if it is not six digits. */
export function readCode(spoken: string | undefined): string | null {
  const digits = (spoken ?? '').replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The code as Alexa should hear it read back: two groups of three digits. */
export function spokenCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}

export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Where a code's offer is retained. */
export function offerTopic(code: string): string {
  return `${PAIRING_ROOT}/${codeHash(code)}`;
}

/** Where the skill confirms a pairing to the home (within the home's own subtree). */
export function confirmTopic(homeId: string): string {
  return `${TOPIC_ROOT}/${homeId}/paired`;
}

/** An offer from its payload, or null (an empty payload is a cleared offer). */
export function parseOffer(payload: Uint8Array | string): PairingOffer | null {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  if (text === '') return null;
  try {
    const parsed = PairingOffer.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function parseConfirm(payload: Uint8Array | string): PairingConfirm | null {
  try {
    const parsed = PairingConfirm.safeParse(JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
