/**
 * Which home a request reaches: the one home in personal mode; in hosted mode the user's paired home,
 * with a few links kept per container and the least recently used closed beyond that.
 */
import { createHash } from 'node:crypto';
import { disabledHomeLink, type HomeLink } from '../../lambda/home-link';
import { hostedHomes, KEPT_HOME_LINKS, personalHomes } from '../../lambda/homes';
import { harness, textOf } from './helpers';
import * as say from '../../lambda/speech';

/** A distinct pairing key per n, as random-looking as the 32 random bytes pairing makes. */
const key = (n: number): string => createHash('sha256').update(`pairing key ${n}`).digest('hex');

function fakeLinks(): { made: string[]; closed: string[]; connect: (homeId: string) => HomeLink } {
  const made: string[] = [];
  const closed: string[] = [];
  const connect = (homeId: string): HomeLink => {
    made.push(homeId);
    return { ...disabledHomeLink(homeId), close: () => Promise.resolve(void closed.push(homeId)) };
  };
  return { made, closed, connect };
}

describe('homes', () => {
  test('personal: the one home for everyone, paired or not', () => {
    const link = disabledHomeLink('flat');
    const homes = personalHomes(link);
    expect(homes.hosted).toBe(false);
    expect(homes.forUser(undefined)).toBe(link);
    expect(homes.forUser({ id: 'elsewhere', key: key(1) })).toBe(link);
  });

  test('hosted: no pairing reaches no home; a pairing reaches its home, one link kept per home', async () => {
    const { made, closed, connect } = fakeLinks();
    const homes = hostedHomes(connect);
    expect(homes.hosted).toBe(true);
    expect(homes.forUser(undefined).homeId).toBe('');
    expect(homes.forUser(null).homeId).toBe('');
    expect(homes.forUser({ id: 'a', key: 'not-a-key' }).homeId).toBe('');
    const a = homes.forUser({ id: 'a', key: key(1) });
    expect(homes.forUser({ id: 'a', key: key(1) })).toBe(a);
    // Paired again, with a new key: a new link, the old one closed.
    expect(homes.forUser({ id: 'a', key: key(2) })).not.toBe(a);
    expect(made).toEqual(['a', 'a']);
    await new Promise((r) => setImmediate(r));
    expect(closed).toEqual(['a']);
    for (let i = 0; i < KEPT_HOME_LINKS + 1; i++) homes.forUser({ id: `h${i}`, key: key(3) });
    await new Promise((r) => setImmediate(r));
    expect(closed).toEqual(['a', 'a', 'h0']);
    await homes.close();
    expect(closed).toHaveLength(3 + KEPT_HOME_LINKS);
  });

  test('hosted: a stored key that is weak (typed or copied, not made by pairing) reaches no home', () => {
    const { made, connect } = fakeLinks();
    const homes = hostedHomes(connect);
    for (const weak of ['00'.repeat(32), 'ab'.repeat(32), 'deadbeef'.repeat(8)]) expect(homes.forUser({ id: 'a', key: weak, keyId: '0123456789ab' }).homeId).toBe('');
    expect(made).toEqual([]);
    expect(homes.forUser({ id: 'a', key: key(1), keyId: '0123456789ab' }).homeId).toBe('a');
    expect(made).toEqual(['a']);
  });

  test('hosted without a broker: everyone is voice only', () => {
    expect(hostedHomes(null).forUser({ id: 'a', key: key(1) }).homeId).toBe('');
  });

  test('a skill for one home (personal mode) has nothing to pair or forget', async () => {
    const skill = harness();
    try {
      expect(textOf(await skill.intend('PairHomeIntent', { code: '482915' }))).toBe(say.PAIR_PERSONAL);
      expect(textOf(await skill.intend('ForgetHomeIntent'))).toBe(say.PAIR_PERSONAL);
    } finally {
      await skill.close();
    }
  });

  test('hosted without a broker: pairing is not offered, and no hint is given', async () => {
    const skill = harness({ env: { WINDDOWN_HOME_ID: '' } });
    try {
      expect(textOf(await skill.intend('PairHomeIntent', { code: '482915' }))).toBe(say.PAIR_UNAVAILABLE);
      expect(textOf(await skill.launch())).not.toContain(say.PAIR_HINT);
    } finally {
      await skill.close();
    }
  });
});
