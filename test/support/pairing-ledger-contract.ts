/**
 * What every pairing ledger (DynamoDB, local files, memory) is held to: a code is claimed once however
 * many claim it at the same moment, and every wrong code counts, per account in a sliding window and
 * per minute for the skill. Each store's own test file calls this with a way to make a fresh ledger.
 */
import { PAIR_WINDOW_MS, type PairingLedger } from '../../lambda/pairing-ledger';

export const LEDGER_T0 = 1_796_000_000_000;

export function ledgerContract(make: () => PairingLedger): void {
  test('of twenty claims of one code at the same moment, exactly one wins; it is then known as claimed', async () => {
    const ledger = make();
    const tag = `tag-${Math.random().toString(36).slice(2)}`;
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.claim(tag, `account-${i}`, LEDGER_T0)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await ledger.claim(tag, 'late', LEDGER_T0 + 1000)).toBe(false);
    expect(await ledger.claimed([`other-${tag}`, tag])).toBe(true);
    expect(await ledger.claimed([`other-${tag}`])).toBe(false);
  });

  test('wrong codes count per account in a sliding window and per minute for the skill, none lost when they come at once', async () => {
    const ledger = make();
    const account = `acct-${Math.random().toString(36).slice(2)}`;
    const other = `${account}-other`;
    const minute = Math.floor(LEDGER_T0 / 60_000 + Math.random() * 1e6) * 60_000;
    await Promise.all([ledger.fail(account, minute), ledger.fail(account, minute + 1), ledger.fail(other, minute + 2)]);
    expect(await ledger.failures(account, minute + 3)).toEqual({ account: 2, skill: 3 });
    expect(await ledger.failures(other, minute + 3)).toEqual({ account: 1, skill: 3 });
    // A minute on, the skill's count starts again; the account's window still holds both.
    expect(await ledger.failures(account, minute + 60_000)).toEqual({ account: 2, skill: 0 });
    // Past the window, they no longer count for the account either.
    expect((await ledger.failures(account, minute + PAIR_WINDOW_MS + 2)).account).toBe(0);
  });
}
