/**
 * Signed commands. A home obeys only what was signed with its own 32-byte key, so a party that can
 * publish on a home's topic (an anonymous LAN broker, a neighbour on a shared one) cannot make a lamp
 * or the plug do anything, and a command copied to another home's topic fails there (other key).
 *
 * On the wire a signed command is a small JSON object holding the command's exact text and an
 * HMAC-SHA256 over that text's UTF-8 bytes, in lowercase hex:
 *
 *   {"cmd":"{\"v\":2,\"id\":\"…\",…}","mac":"<64 hex digits>"}
 *
 * The MAC is checked before the command text is even parsed; only then does the command meet its
 * schema, its home, the duplicate window and the clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A home key as written in settings and files: 64 hex digits (32 bytes). */
export const HOME_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;
const MAC_PATTERN = /^[0-9a-f]{64}$/;

export type HomeKey = Buffer;

/**
 * A worked example for anyone writing their own home side: this key, this command text, this MAC.
 * Checked with `printf '%s' "$commandText" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$keyHex`.
 */
export const TEST_VECTOR = {
  keyHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  commandText: '{"v":2,"id":"a1b2c3d4e5f6","homeId":"my-home","issuedAt":1796428800000,"type":"diffuser.set","on":false}',
  mac: '192e9d5e3a0e0a0b149235cddeecbbeabfaf11b59cebee6f74bd452b069b0b1f',
} as const;

/** The key from its 64-hex-digit form, or null if it is not one. */
export function parseHomeKey(text: string): HomeKey | null {
  return HOME_KEY_PATTERN.test(text) ? Buffer.from(text, 'hex') : null;
}

/** Keys printed where anyone can read them: never a home's key, however random they look. */
const PUBLISHED_KEYS: readonly string[] = [TEST_VECTOR.keyHex];

/**
 * Why a key of the right length must not sign a home's commands, or null when nothing is wrong with it
 * that can be seen. A key made at random (`npx winddown key`, `openssl rand -hex 32`) passes every
 * check but with a chance below 10⁻¹³; what is refused is a key someone typed or copied: the published
 * test vector, one byte repeated (all zeros), a short pattern repeated (`abab…`, `deadbeef…`), a
 * counting run (`000102…`), a few byte values only, or text written out as hex. The reason names the
 * kind of weakness, never the key.
 */
export function homeKeyWeakness(key: HomeKey): string | null {
  const hex = key.toString('hex');
  if (PUBLISHED_KEYS.includes(hex)) return 'the published test vector from docs/protocol.md';
  if (key.every((byte) => byte === key[0])) return 'one byte repeated';
  for (let period = 2; period <= key.length / 2; period++) {
    if (key.every((byte, i) => i < period || byte === key[i - period])) return `a pattern of ${period} bytes repeated`;
  }
  const step = ((key[1] as number) - (key[0] as number) + 256) % 256;
  if (key.every((byte, i) => i === 0 || byte === ((key[i - 1] as number) + step) % 256)) return 'a counting run, each byte the last plus a fixed step';
  // 32 random bytes show about 30 different values; fewer than 16 happens once in 10¹⁵ or less.
  if (new Set(key).size < 16) return 'a key of too few different byte values to be random';
  // All 32 printable ASCII: (95/256)³² ≈ 10⁻¹⁴ at random; a phrase written out as hex, every time.
  if (key.every((byte) => byte >= 0x20 && byte <= 0x7e)) return 'text written out as hex';
  return null;
}

/** HMAC-SHA256 of the command text's UTF-8 bytes, lowercase hex. */
export function commandMac(key: HomeKey, commandText: string): string {
  return createHmac('sha256', key).update(commandText, 'utf8').digest('hex');
}

/**
 * Which key signed a command: a home paired by voice holds one key per pairing, and the command names
 * the pairing's id so the home checks it with that key alone. Absent: the home's own key (personal
 * mode, and commands signed before pairings had keys of their own).
 */
export const KEY_ID_PATTERN = /^[0-9a-f]{12}$/;

/** The payload to publish for a command: its JSON text, signed with the home's key (named by `keyId` if it is a pairing's). */
export function signCommand(key: HomeKey, command: unknown, keyId?: string): string {
  return signText(key, JSON.stringify(command), keyId);
}

/** The payload for a command already written as text (its exact bytes are what is signed). */
export function signText(key: HomeKey, commandText: string, keyId?: string): string {
  const mac = commandMac(key, commandText);
  return JSON.stringify(keyId === undefined ? { cmd: commandText, mac } : { cmd: commandText, mac, kid: keyId });
}

export type VerifyResult = { ok: true; commandText: string; keyId?: string } | { ok: false; detail: string };

/**
 * The command text of a signed payload if its MAC is right. Never throws; an unsigned command, a
 * missing or malformed MAC, and a MAC made with another key are all refused with a reason.
 */
export function verifySigned(key: HomeKey, payload: string): VerifyResult {
  return verifySignedBy(() => key, payload);
}

/**
 * As `verifySigned`, with the key the payload's key id names (`undefined`: none named). A key id the
 * home does not hold (never paired, or revoked) is refused like a wrong MAC.
 */
export function verifySignedBy(keyFor: (keyId: string | undefined) => HomeKey | null, payload: string): VerifyResult {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, detail: 'not a JSON object' };
  const { cmd, mac, kid } = data as { cmd?: unknown; mac?: unknown; kid?: unknown };
  if (typeof cmd !== 'string' || mac === undefined) return { ok: false, detail: 'unsigned: expected {"cmd": "<command JSON>", "mac": "<HMAC-SHA256 hex>"}' };
  if (typeof mac !== 'string' || !MAC_PATTERN.test(mac)) return { ok: false, detail: 'mac is not 64 lowercase hex digits' };
  if (kid !== undefined && (typeof kid !== 'string' || !KEY_ID_PATTERN.test(kid))) return { ok: false, detail: 'kid is not 12 lowercase hex digits' };
  const key = keyFor(kid);
  if (key === null) return { ok: false, detail: kid === undefined ? 'no key for unnamed signatures' : `key ${kid} is not one this home holds (never paired, or unpaired)` };
  const expected = Buffer.from(commandMac(key, cmd), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return { ok: false, detail: kid === undefined ? "mac does not match this home's key" : `mac does not match key ${kid}` };
  return kid === undefined ? { ok: true, commandText: cmd } : { ok: true, commandText: cmd, keyId: kid };
}
