/**
 * PairHomeIntent and ForgetHomeIntent (hosted mode). A code that matches a home waiting to pair links
 * this Alexa user to that home with a key for this pairing only; a wrong or expired code links nothing.
 *
 * Guessing is held off twice, in the pairing ledger (atomic, apart from the user's attributes): an
 * account with five wrong codes in the last ten minutes is refused until the oldest leaves the window
 * (a success of its own clears nothing), and beyond ten wrong codes a minute across the whole skill no
 * code is checked until the next minute. A ledger that cannot be read, or attributes that could not be
 * read, count as a wrong code: a failing table must never mean unlimited tries.
 *
 * Forgetting unlinks this user only: others paired to the same home keep it.
 */
import { createHash } from 'node:crypto';
import { getSlotValue, getUserId, type HandlerInput, type RequestHandler } from 'ask-sdk-core';
import { readCode } from '../../src/protocol/pairing';
import { persisted, reply, updatePersisted, type SkillDeps } from '../context';
import { PAIR_MAX_FAILURES, SKILL_MAX_FAILURES_PER_MINUTE } from '../pairing-ledger';
import * as say from '../speech';
import { isIntent } from './session';

/** Who is pairing, as the ledger and the home see them: a hash of the Alexa user id, never the id itself. */
export function accountHint(h: HandlerInput): string {
  return createHash('sha256').update(getUserId(h.requestEnvelope) ?? 'anonymous').digest('hex').slice(0, 16);
}

export function pairHomeHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'PairHomeIntent'),
    async handle(h) {
      if (!deps.homes.hosted) return reply(h, say.PAIR_PERSONAL);
      if (deps.pairing === null) return reply(h, say.PAIR_UNAVAILABLE);
      const { desk, ledger } = deps.pairing;
      const now = deps.now();
      const code = readCode(getSlotValue(h.requestEnvelope, 'code'));
      if (code === null) return reply(h, say.PAIR_NO_CODE, { reprompt: say.PAIR_NO_CODE_REPROMPT });
      const account = accountHint(h);
      const fail = (why: string): Promise<void> =>
        ledger.fail(account, now).then(
          () => deps.log.info('pairing.failed', { why }),
          () => deps.log.warn('pairing.failed-unrecorded', { why }),
        );
      let counts;
      try {
        if (deps.stateReadFailed(h)) throw new Error('attributes unread');
        counts = await ledger.failures(account, now);
      } catch {
        await fail('unreadable');
        return reply(h, say.PAIR_STATE_UNREADABLE);
      }
      if (counts.account >= PAIR_MAX_FAILURES) {
        deps.log.info('pairing.refused', { why: 'account' });
        return reply(h, say.PAIR_LOCKED);
      }
      if (counts.skill >= SKILL_MAX_FAILURES_PER_MINUTE) {
        deps.log.warn('pairing.refused', { why: 'skill' });
        return reply(h, say.PAIR_BUSY);
      }
      const claim = await desk.pair({ code, now, account: account.slice(0, 8), claim: (claimId) => ledger.claim(claimId, account, now), claimed: (ids) => ledger.claimed(ids) });
      switch (claim.kind) {
        case 'paired':
          updatePersisted(h, { home: claim.home, pairHintGiven: true, bedtimeUnsent: persisted(h).bedtime ? true : persisted(h).bedtimeUnsent });
          return reply(h, say.PAIRED);
        case 'unreachable':
          return reply(h, say.PAIR_UNREACHABLE);
        case 'taken':
          return reply(h, say.PAIR_CODE_TAKEN);
        case 'unknown':
        case 'expired': {
          await fail(claim.kind);
          if (counts.account + 1 >= PAIR_MAX_FAILURES) return reply(h, say.PAIR_LOCKED);
          return reply(h, claim.kind === 'expired' ? say.PAIR_CODE_EXPIRED : say.PAIR_CODE_UNKNOWN);
        }
      }
    },
  };
}

export function forgetHomeHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'ForgetHomeIntent'),
    handle(h) {
      if (!deps.homes.hosted) return reply(h, say.PAIR_PERSONAL);
      if (!persisted(h).home) return reply(h, say.NO_HOME_TO_FORGET);
      updatePersisted(h, { home: null });
      deps.log.info('pairing.forgotten');
      return reply(h, say.HOME_FORGOTTEN);
    },
  };
}
