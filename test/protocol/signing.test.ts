import { commandMac, parseHomeKey, signCommand, TEST_VECTOR, verifySigned } from '../../src/protocol/signing';

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
