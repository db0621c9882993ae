/**
 * Pairing a home with an Alexa user by voice, on any MQTT broker (AWS IoT Core included), without a
 * key ever crossing the broker in clear.
 *
 * 1. At home, `winddown pair` makes a nine-digit code and a fresh X25519 key pair, and publishes a
 *    retained **offer** under its own topic, `winddown/pairing/<home id>/<code tag>`: its home id, its
 *    ephemeral public key, an expiry and a nonce. The code tag is scrypt(code) salted with the
 *    ten-minute window the offer was made in, so the topic names no code and reversing a tag costs a
 *    fresh scrypt search of all codes in every window. Treat a tag as public all the same.
 * 2. The person says the code. The skill computes the tags of the current, previous and next window,
 *    reads the retained offers under `winddown/pairing/+/<tag>`, keeps only those whose home id is the
 *    topic's own segment, refuses when more than one home offers that tag, and claims the offer once
 *    (a conditional write where it keeps its state).
 * 3. The skill makes a **pairing key** for this pairing only (32 random bytes) and a short pairing id,
 *    and seals them to the offer's public key: X25519 with an ephemeral key of its own, HKDF-SHA256
 *    (salted with the code, so only someone who knows the code can seal a key the home accepts), and
 *    AES-256-GCM with the home id, the code tag and the pairing id as associated data. The **confirm**
 *    goes to `winddown/<home id>/paired`; the offer is cleared.
 * 4. The home opens the seal with its ephemeral private key and the code, adds the key to its set
 *    under the pairing id, and clears its offer. Commands then carry that id, and the home checks
 *    them with that key alone.
 *
 * Anything a broker reader sees (offer, confirm) is useless without the home's ephemeral private key,
 * which never leaves `winddown pair`'s memory.
 */
import { createCipheriv, createDecipheriv, createHash, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, scrypt, scryptSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { HomeId } from './messages';
import { TOPIC_ROOT } from './topics';

export const PAIRING_VERSION = 2;
/** A code is good for this long, and once. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
export const PAIRING_ROOT = `${TOPIC_ROOT}/pairing`;
/** Nine digits, said in three groups of three; the first is never 0 (see docs/protocol.md for why nine). */
export const CODE_DIGITS = 9;

/** scrypt's cost for a code tag: 16 MiB and some tens of ms per tag, so reversing one means 9×10⁸ of them. */
const TAG_SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const B64URL = /^[A-Za-z0-9_-]+$/;
const b64 = (bytes: number) => z.string().check(z.length(Math.ceil((bytes * 4) / 3)), z.regex(B64URL));
const Nonce = z.string().check(z.regex(/^[0-9a-f]{32}$/));
/** A pairing's id: short enough to type (`winddown unpair 3f9a…`), long enough never to repeat in one home. */
export const PairingId = z.string().check(z.regex(/^[0-9a-f]{12}$/));
const CodeTag = z.string().check(z.regex(/^[0-9a-f]{32}$/));

export const PairingOffer = z.strictObject({
  v: z.literal(PAIRING_VERSION),
  homeId: HomeId,
  /** The home's ephemeral X25519 public key, 32 bytes, base64url. */
  pub: b64(32),
  expiresAt: z.number().check(z.int()),
  nonce: Nonce,
});
export type PairingOffer = z.infer<typeof PairingOffer>;

export const PairingConfirm = z.strictObject({
  v: z.literal(PAIRING_VERSION),
  nonce: Nonce,
  pairingId: PairingId,
  /** The skill's ephemeral X25519 public key. */
  pub: b64(32),
  iv: b64(12),
  /** AES-256-GCM of the sealed JSON, with its 16-byte tag appended, base64url. */
  sealed: z.string().check(z.maxLength(400), z.regex(B64URL)),
});
export type PairingConfirm = z.infer<typeof PairingConfirm>;

/** What the seal holds: the pairing key and, if the skill gives one, a hint of the Alexa account. */
const Sealed = z.strictObject({ key: z.string().check(z.regex(/^[0-9a-f]{64}$/)), account: z.optional(z.string().check(z.maxLength(32))) });
export type SealedPairing = z.infer<typeof Sealed>;

/** The digits of a code as said ("482 915 307", "482915307"), or null if it is not a code. */
export function readCode(spoken: string | undefined): string | null {
  const digits = (spoken ?? '').replace(/[\s-]/g, '');
  return new RegExp(`^[1-9]\\d{${CODE_DIGITS - 1}}$`).test(digits) ? digits : null;
}

/** The code as Alexa should hear it read back, and as `winddown pair` prints it: groups of three. */
export function spokenCode(code: string): string {
  return code.replace(/(\d{3})(?=\d)/g, '$1 ');
}

/** Which ten-minute window a moment falls in: the salt of the tags made then. */
export function codeWindow(at: number): number {
  return Math.floor(at / PAIRING_CODE_TTL_MS);
}

const tagSalt = (window: number): string => `${PAIRING_ROOT}/v${PAIRING_VERSION}/${window}`;

/** The code's tag in one window: what names its offer's topic. */
export function codeTag(code: string, window: number): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(code, tagSalt(window), 16, TAG_SCRYPT, (error, tag) => (error ? reject(error) : resolve(tag.toString('hex'))));
  });
}

/** As `codeTag`, blocking: for worked examples only (a request must not block on scrypt). */
export function codeTagNow(code: string, window: number): string {
  return scryptSync(code, tagSalt(window), 16, TAG_SCRYPT).toString('hex');
}

/** The tags a code said at `now` may have been offered under: this window, the last, and the next (a home clock a little ahead). */
export function candidateTags(code: string, now: number): Promise<string[]> {
  const window = codeWindow(now);
  return Promise.all([window, window - 1, window + 1].map((w) => codeTag(code, w)));
}

/** Where a home's offer is retained: under its own id. */
export function offerTopic(homeId: string, tag: string): string {
  return `${PAIRING_ROOT}/${homeId}/${tag}`;
}

/** Every home's offer under one tag (the skill's subscription). */
export function offerFilter(tag: string): string {
  return `${PAIRING_ROOT}/+/${tag}`;
}

/** The home id and tag an offer topic names, or null if it is not one. */
export function readOfferTopic(topic: string): { homeId: string; tag: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== PAIRING_ROOT) return null;
  const [, , homeId, tag] = parts as [string, string, string, string];
  return HomeId.safeParse(homeId).success && CodeTag.safeParse(tag).success ? { homeId, tag } : null;
}

/** Where the skill confirms a pairing to the home (within the home's own subtree). */
export function confirmTopic(homeId: string): string {
  return `${TOPIC_ROOT}/${homeId}/paired`;
}

function parseJson<T>(schema: z.ZodMiniType<T>, payload: Uint8Array | string): T | null {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  if (text === '') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** An offer from its payload, or null (an empty payload is a cleared offer). */
export function parseOffer(payload: Uint8Array | string): PairingOffer | null {
  return parseJson(PairingOffer, payload);
}

export function parseConfirm(payload: Uint8Array | string): PairingConfirm | null {
  return parseJson(PairingConfirm, payload);
}

// X25519 public keys travel as their raw 32 bytes; node:crypto reads and writes them as JWK.
function rawPublic(key: KeyObject): string {
  return key.export({ format: 'jwk' }).x as string;
}

function publicFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
}

export interface EphemeralKey {
  /** Raw public key, base64url: what the offer carries. */
  pub: string;
  privateKey: KeyObject;
}

export function newEphemeralKey(): EphemeralKey {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { pub: rawPublic(publicKey), privateKey };
}

/** An X25519 key from its 32 private bytes: only for worked examples (docs/protocol.md), never for a real pairing. */
export function ephemeralFromBytes(privateBytes: Buffer): EphemeralKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), privateBytes]), format: 'der', type: 'pkcs8' });
  return { pub: rawPublic(createPublicKey(privateKey)), privateKey };
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

interface SealContext {
  homeId: string;
  tag: string;
  code: string;
  nonce: string;
  pairingId: string;
}

function sealKey(shared: Buffer, context: SealContext): Buffer {
  // The code salts the derivation: a confirm sealed without it opens to nothing at the home.
  const salt = createHash('sha256').update(`${context.code}/${context.nonce}`).digest();
  return Buffer.from(hkdfSync('sha256', shared, salt, `winddown pairing v${PAIRING_VERSION}`, 32));
}

function associatedData(context: SealContext): Buffer {
  return Buffer.from(JSON.stringify([PAIRING_VERSION, context.homeId, context.tag, context.pairingId]), 'utf8');
}

/** The skill's side: a confirm sealing `content` to the offer's key, bound to its home, tag, code and pairing id. */
export function sealPairing(
  offer: PairingOffer,
  context: { tag: string; code: string; pairingId: string },
  content: SealedPairing,
  /** Fixed ephemeral key and IV: worked examples only. */
  fixed?: { ephemeral: EphemeralKey; iv: Buffer },
): PairingConfirm {
  const mine = fixed?.ephemeral ?? newEphemeralKey();
  const shared = diffieHellman({ privateKey: mine.privateKey, publicKey: publicFromRaw(offer.pub) });
  const full: SealContext = { ...context, homeId: offer.homeId, nonce: offer.nonce };
  const iv = fixed?.iv ?? randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(shared, full), iv);
  cipher.setAAD(associatedData(full));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { v: PAIRING_VERSION, nonce: offer.nonce, pairingId: context.pairingId, pub: mine.pub, iv: iv.toString('base64url'), sealed: sealed.toString('base64url') };
}

/** The home's side: what the confirm seals, or null when it was not sealed to this offer with this code. */
export function openPairing(confirm: PairingConfirm, context: { homeId: string; tag: string; code: string; nonce: string; privateKey: KeyObject }): SealedPairing | null {
  if (confirm.nonce !== context.nonce) return null;
  try {
    const shared = diffieHellman({ privateKey: context.privateKey, publicKey: publicFromRaw(confirm.pub) });
    const full: SealContext = { homeId: context.homeId, tag: context.tag, code: context.code, nonce: context.nonce, pairingId: confirm.pairingId };
    const sealed = Buffer.from(confirm.sealed, 'base64url');
    if (sealed.length < 17) return null;
    const decipher = createDecipheriv('aes-256-gcm', sealKey(shared, full), Buffer.from(confirm.iv, 'base64url'));
    decipher.setAAD(associatedData(full));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const text = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
    return parseJson(Sealed, text);
  } catch {
    return null;
  }
}

/** A new pairing id. */
export function newPairingId(): string {
  return randomBytes(6).toString('hex');
}
