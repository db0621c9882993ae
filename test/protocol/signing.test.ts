import { commandMac, parseHomeKey, signCommand, verifySigned } from '../../src/protocol/signing';

/** The vector docs/protocol.md shows, so another home side can check its own implementation. */
export const TEST_VECTOR = {
  keyHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  commandText: '{"v":2,"id":"a1b2c3d4e5f6","homeId":"my-home","issuedAt":1796428800000,"type":"diffuser.set","on":false}',
  // printf '%s' "$commandText" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$keyHex
  mac: '192e9d5e3a0e0a0b149235cddeecbbeabfaf11b59cebee6f74bd452b069b0b1f',
};

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
