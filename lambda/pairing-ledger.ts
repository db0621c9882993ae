/**
 * What the skill must count and claim atomically while people pair, kept apart from each user's
 * attributes (which are read, changed and written whole, so two requests at once would lose a count):
 *
 * - each account's wrong codes, in a sliding window, never cleared by a success;
 * - the whole skill's wrong codes per minute, so a thousand accounts guessing at once are held to the
 *   same small number of tries as one (see docs/protocol.md for the arithmetic);
 * - each code's claim (by its tag, which names the code in its window): the first account to say a
 *   code gets the pairing, every later one hears that the code was just used, even once the offer is gone.
 *
 * Three stores implement it: DynamoDB in production (a conditional put for a claim, atomic ADD and
 * list_append for the counts), local files for the local run (an exclusive create for a claim), and
 * this process's memory (checks and changes in one synchronous step).
 */

export interface FailureCounts {
  /** This account's wrong codes within the last `PAIR_WINDOW_MS`. */
  account: number;
  /** The skill's wrong codes in this minute. */
  skill: number;
}

export interface PairingLedger {
  /** The counts as they stand; rejects when they cannot be read (which the caller counts as a failure). */
  failures(account: string, now: number): Promise<FailureCounts>;
  /** Counts one wrong code for the account and for the skill. */
  fail(account: string, now: number): Promise<void>;
  /** true for the first claim of this code (its tag) only, whoever else claims it at the same moment. */
  claim(claimId: string, account: string, now: number): Promise<boolean>;
  /** Whether any of these was claimed: a code whose offer is gone may have been used a moment ago. */
  claimed(claimIds: readonly string[]): Promise<boolean>;
}

/** An account's wrong codes are counted over this long... */
export const PAIR_WINDOW_MS = 10 * 60_000;
/** ...and at this many, it is refused until the oldest leaves the window. */
export const PAIR_MAX_FAILURES = 5;
/** Wrong codes the whole skill accepts in one minute; beyond, nobody's code is checked until the next. */
export const SKILL_MAX_FAILURES_PER_MINUTE = 10;
/** How long a claim and a count are kept (DynamoDB's TTL removes them later). */
export const LEDGER_KEEP_MS = 24 * 3_600_000;

export function minuteOf(now: number): number {
  return Math.floor(now / 60_000);
}

/** The wrong codes of an account that still count at `now`. */
export function withinWindow(times: readonly number[], now: number): number[] {
  return times.filter((at) => now - at < PAIR_WINDOW_MS);
}

export class MemoryLedger implements PairingLedger {
  private readonly accounts = new Map<string, number[]>();
  private readonly minutes = new Map<number, number>();
  private readonly claims = new Set<string>();

  failures(account: string, now: number): Promise<FailureCounts> {
    return Promise.resolve({ account: withinWindow(this.accounts.get(account) ?? [], now).length, skill: this.minutes.get(minuteOf(now)) ?? 0 });
  }

  fail(account: string, now: number): Promise<void> {
    this.accounts.set(account, [...withinWindow(this.accounts.get(account) ?? [], now), now]);
    const minute = minuteOf(now);
    for (const old of this.minutes.keys()) if (old < minute) this.minutes.delete(old);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
    return Promise.resolve();
  }

  claim(claimId: string): Promise<boolean> {
    // Checked and taken in one step: no other request runs between the two.
    if (this.claims.has(claimId)) return Promise.resolve(false);
    this.claims.add(claimId);
    return Promise.resolve(true);
  }

  claimed(claimIds: readonly string[]): Promise<boolean> {
    return Promise.resolve(claimIds.some((id) => this.claims.has(id)));
  }
}
