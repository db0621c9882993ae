/**
 * PairHomeIntent and ForgetHomeIntent (hosted mode). A code that matches a home waiting to pair links
 * this Alexa user to that home; a wrong or expired code links nothing. Five wrong codes within ten
 * minutes and the user is refused for ten minutes, so the million codes cannot be tried one by one.
 * Forgetting unlinks this user only: others paired to the same home keep it.
 */
import { getSlotValue, type RequestHandler } from 'ask-sdk-core';
import { readCode } from '../../src/protocol/pairing';
import { persisted, reply, updatePersisted, type SkillDeps } from '../context';
import * as say from '../speech';
import { isIntent } from './session';

export const PAIR_WINDOW_MS = 10 * 60_000;
export const PAIR_MAX_FAILURES = 5;
export const PAIR_LOCK_MS = 10 * 60_000;

export function pairHomeHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'PairHomeIntent'),
    async handle(h) {
      if (!deps.homes.hosted) return reply(h, say.PAIR_PERSONAL);
      if (deps.pairing === null) return reply(h, say.PAIR_UNAVAILABLE);
      const now = deps.now();
      const state = persisted(h);
      if (state.pairLockedUntil !== undefined && now < state.pairLockedUntil) {
        deps.log.info('pairing.refused');
        return reply(h, say.PAIR_LOCKED);
      }
      const code = readCode(getSlotValue(h.requestEnvelope, 'code'));
      if (code === null) return reply(h, say.PAIR_NO_CODE, { reprompt: say.PAIR_NO_CODE_REPROMPT });
      const claim = await deps.pairing.claim(code, now);
      switch (claim.kind) {
        case 'paired':
          updatePersisted(h, { home: claim.home, pairFailures: [], pairLockedUntil: undefined, pairHintGiven: true, bedtimeUnsent: state.bedtime ? true : state.bedtimeUnsent });
          return reply(h, say.PAIRED);
        case 'unreachable':
          return reply(h, say.PAIR_UNREACHABLE);
        case 'unknown':
        case 'expired': {
          const failures = [...(state.pairFailures ?? []).filter((at) => now - at < PAIR_WINDOW_MS), now];
          const locked = failures.length >= PAIR_MAX_FAILURES;
          updatePersisted(h, locked ? { pairFailures: [], pairLockedUntil: now + PAIR_LOCK_MS } : { pairFailures: failures });
          deps.log.info('pairing.failed', { why: claim.kind, failures: failures.length });
          if (locked) return reply(h, say.PAIR_LOCKED);
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
