/**
 * The pairing protocol's pure parts: codes as spoken, tags, offer topics, and the seal: a confirm opens
 * only at the home it was sealed to, with the code that was said, unchanged.
 */
import {
  codeTag,
  codeWindow,
  newEphemeralKey,
  newNonce,
  newPairingId,
  offerTopic,
  openPairing,
  PAIRING_CODE_TTL_MS,
  PAIRING_VERSION,
  parseConfirm,
  readCode,
  readOfferTopic,
  sealPairing,
  spokenCode,
  type PairingOffer,
} from '../../src/protocol/pairing';

const HOME = 'my-home';
const CODE = '482915307';

describe('codes', () => {
  test('nine digits however they are said, never a leading zero', () => {
    expect(readCode('482 915 307')).toBe(CODE);
    expect(readCode('482-915-307')).toBe(CODE);
    expect(readCode('48291530')).toBeNull();
    expect(readCode('082915307')).toBeNull();
    expect(readCode('4829153071')).toBeNull();
    expect(readCode(undefined)).toBeNull();
    expect(spokenCode(CODE)).toBe('482 915 307');
  });

  test('a tag names a code in one ten-minute window: another window, another tag', async () => {
    const window = codeWindow(1_796_000_000_000);
    const [a, b, c] = await Promise.all([codeTag(CODE, window), codeTag(CODE, window), codeTag(CODE, window + 1)]);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(await codeTag('482915308', window)).not.toBe(a);
  });

  test('an offer topic names its home; anything else is not an offer topic', () => {
    const tag = 'a'.repeat(32);
    expect(readOfferTopic(offerTopic(HOME, tag))).toEqual({ homeId: HOME, tag });
    expect(readOfferTopic(`winddown/pairing/${tag}`)).toBeNull();
    expect(readOfferTopic(`winddown/pairing/pairing/${tag}`)).toBeNull();
    expect(readOfferTopic(`winddown/pairing/${HOME}/${tag}/x`)).toBeNull();
  });
});

describe('the seal', () => {
  const tag = 'b'.repeat(32);
  const home = newEphemeralKey();
  const offer: PairingOffer = { v: PAIRING_VERSION, homeId: HOME, pub: home.pub, expiresAt: Date.now() + PAIRING_CODE_TTL_MS, nonce: newNonce() };
  const key = 'c'.repeat(64);
  const pairingId = newPairingId();
  const confirm = sealPairing(offer, { tag, code: CODE, pairingId }, { key, account: '5e1f2a9c' });
  const at = { homeId: HOME, tag, code: CODE, nonce: offer.nonce, privateKey: home.privateKey };

  test('opens at the home with the code, and holds no key in clear', () => {
    expect(parseConfirm(JSON.stringify(confirm))).toEqual(confirm);
    expect(openPairing(confirm, at)).toEqual({ key, account: '5e1f2a9c' });
    const wire = JSON.stringify(confirm);
    for (const form of [key, Buffer.from(key, 'hex').toString('base64'), Buffer.from(key, 'hex').toString('base64url')]) expect(wire).not.toContain(form);
  });

  test('opens to nothing with another code, another home, another tag, another private key, or a changed pairing id or payload', () => {
    expect(openPairing(confirm, { ...at, code: '482915308' })).toBeNull();
    expect(openPairing(confirm, { ...at, homeId: 'other-home' })).toBeNull();
    expect(openPairing(confirm, { ...at, tag: 'd'.repeat(32) })).toBeNull();
    expect(openPairing(confirm, { ...at, privateKey: newEphemeralKey().privateKey })).toBeNull();
    expect(openPairing(confirm, { ...at, nonce: newNonce() })).toBeNull();
    expect(openPairing({ ...confirm, pairingId: newPairingId() }, at)).toBeNull();
    const sealed = Buffer.from(confirm.sealed, 'base64url');
    sealed[0] = (sealed[0] ?? 0) ^ 1;
    expect(openPairing({ ...confirm, sealed: sealed.toString('base64url') }, at)).toBeNull();
  });

  test('someone who knows the offer but not the code cannot seal a key the home accepts', () => {
    const forged = sealPairing(offer, { tag, code: '111111111', pairingId: newPairingId() }, { key: 'e'.repeat(64) });
    expect(openPairing(forged, at)).toBeNull();
  });
});
