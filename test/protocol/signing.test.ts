import { randomBytes } from 'node:crypto';
import { commandMac, homeKeyWeakness, parseHomeKey, signCommand, signText, TEST_VECTOR, verifySigned, verifySignedBy } from '../../src/protocol/signing';

const key = parseHomeKey(TEST_VECTOR.keyHex)!;

describe('signed commands', () => {
  test('the documented test vector', () => {
    expect(commandMac(key, TEST_VECTOR.commandText)).toBe(TEST_VECTOR.mac);
  });

  test('a signed command verifies with its key and gives back its exact text', () => {
    const payload = signCommand(key, { v: 2, id: 'x1y2z3w4', homeId: 'my-home', type: 'session.stop' });
    const result = verifySigned(key, payload);
    expect(result).toEqual({ ok: true, commandText: '{"v":2,"id":"x1y2z3w4","homeId":"my-home","type":"session.stop"}' });
  });

  test('unsigned, malformed, tampered and foreign-key payloads are refused with a reason', () => {
    const other = parseHomeKey('ff'.repeat(32))!;
    const signed = signCommand(key, { v: 2, id: 'x1y2z3w4', homeId: 'my-home' });
    const { cmd, mac } = JSON.parse(signed) as { cmd: string; mac: string };
    const cases: [string, RegExp][] = [
      ['{"v":2,"id":"x1y2z3w4","homeId":"my-home"}', /unsigned/],
      ['not json', /not JSON/],
      ['[1,2]', /not a JSON object/],
      [JSON.stringify({ cmd, mac: mac.toUpperCase() }), /64 lowercase hex/],
      [JSON.stringify({ cmd, mac: mac.slice(2) }), /64 lowercase hex/],
      [JSON.stringify({ cmd: cmd.replace('my-home', 'my-hone'), mac }), /does not match/],
      [signCommand(other, { v: 2, id: 'x1y2z3w4', homeId: 'my-home' }), /does not match/],
    ];
    for (const [payload, reason] of cases) {
      const result = verifySigned(key, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.detail).toMatch(reason);
    }
  });

  test('home keys are exactly 64 hex digits', () => {
    expect(parseHomeKey('ab'.repeat(32))?.length).toBe(32);
    for (const bad of ['', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32)]) expect(parseHomeKey(bad)).toBeNull();
  });
});

describe('commands that name their pairing key', () => {
  const keys = new Map([
    ['0a1b2c3d4e5f', Buffer.alloc(32, 7)],
    ['aabbccddeeff', Buffer.alloc(32, 9)],
  ]);
  const own = Buffer.alloc(32, 3);
  const keyFor = (kid: string | undefined): Buffer | null => (kid === undefined ? own : (keys.get(kid) ?? null));
  const text = '{"v":2}';

  test('are checked with the key their id names, and only that one', () => {
    expect(verifySignedBy(keyFor, signText(keys.get('0a1b2c3d4e5f')!, text, '0a1b2c3d4e5f'))).toEqual({ ok: true, commandText: text, keyId: '0a1b2c3d4e5f' });
    const crossed = verifySignedBy(keyFor, signText(keys.get('0a1b2c3d4e5f')!, text, 'aabbccddeeff'));
    expect(crossed).toEqual({ ok: false, detail: 'mac does not match key aabbccddeeff' });
  });

  test('a revoked or unknown id, or a malformed one, is refused; an unnamed key is the home\'s own, as before', () => {
    expect(verifySignedBy(keyFor, signText(Buffer.alloc(32, 1), text, '999999999999'))).toEqual({ ok: false, detail: 'key 999999999999 is not one this home holds (never paired, or unpaired)' });
    expect(verifySignedBy(keyFor, JSON.stringify({ cmd: text, mac: 'a'.repeat(64), kid: 'NOT-HEX' }))).toEqual({ ok: false, detail: 'kid is not 12 lowercase hex digits' });
    expect(verifySignedBy(keyFor, signText(own, text))).toEqual({ ok: true, commandText: text });
    expect(JSON.parse(signText(own, text))).not.toHaveProperty('kid');
  });
});

describe('weak home keys', () => {
  const hex = (text: string): Buffer => Buffer.from(text, 'hex');

  test('keys made at random pass', () => {
    for (let i = 0; i < 2000; i++) {
      const key = randomBytes(32);
      expect([key.toString('hex'), homeKeyWeakness(key)]).toEqual([key.toString('hex'), null]);
    }
  });

  test('the published, the repeated, the counted, the few-valued and the typed are refused, each with its reason', () => {
    const few = Buffer.from(Array.from(randomBytes(32), (b) => [0x11, 0x5e, 0x9a, 0xc3, 0x07, 0xd2, 0x40, 0xee][b % 8] as number));
    const cases: [string, Buffer, string][] = [
      ['the test vector', hex(TEST_VECTOR.keyHex), 'the published test vector from docs/protocol.md'],
      ['all zeros', Buffer.alloc(32), 'one byte repeated'],
      ['all ff', Buffer.alloc(32, 0xff), 'one byte repeated'],
      ['abab…', hex('ab'.repeat(32)), 'one byte repeated'],
      ['0f0f…', hex('0f'.repeat(32)), 'one byte repeated'],
      ['deadbeef…', hex('deadbeef'.repeat(8)), 'a pattern of 4 bytes repeated'],
      ['5ca1ab1e…', hex('5ca1ab1e'.repeat(8)), 'a pattern of 4 bytes repeated'],
      ['abc… (a pattern of 3 hex digits)', hex('abc'.repeat(22).slice(0, 64)), 'a pattern of 3 bytes repeated'],
      ['16 random bytes twice', Buffer.concat([randomBytes(16)].flatMap((half) => [half, half])), 'a pattern of 16 bytes repeated'],
      ['counting up from 7', Buffer.from(Array.from({ length: 32 }, (_, i) => 7 + i)), 'a counting run, each byte the last plus a fixed step'],
      ['counting down', Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - 3 * i)), 'a counting run, each byte the last plus a fixed step'],
      ['eight values, shuffled', few, 'a key of too few different byte values to be random'],
      ['a phrase as hex', Buffer.from('The quick brown fox jumps over 1'), 'text written out as hex'],
    ];
    for (const [what, key, reason] of cases) expect([what, homeKeyWeakness(key)]).toEqual([what, reason]);
  });
});
