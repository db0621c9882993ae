/**
 * AMAZON.HelpIntent, FallbackIntent, YesIntent and NoIntent. Help says what the skill does and that it
 * is not medical advice, then offers the default session; Yes and No answer whatever was last asked.
 */
import type { RequestHandler } from 'ask-sdk-core';
import { reply, sessionAttrs, type SkillDeps } from '../context';
import { play } from '../session-flow';
import * as say from '../speech';
import { acceptReminderOffer } from './reminder';
import { atNight, defaultPlay, isIntent } from './session';

export function helpHandler(_deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.HelpIntent'),
    handle: (h) => reply(h, say.HELP, { reprompt: say.OFFER_SESSION_REPROMPT, pending: 'offer-session' }),
  };
}

export function fallbackHandler(_deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.FallbackIntent'),
    handle: (h) => reply(h, say.FALLBACK, { reprompt: say.FALLBACK_REPROMPT }),
  };
}

export function yesNoHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.YesIntent', 'AMAZON.NoIntent'),
    async handle(h) {
      const pending = sessionAttrs(h).pending;
      if (isIntent(h, 'AMAZON.NoIntent')) return reply(h, say.GOODNIGHT);
      switch (pending) {
        case 'offer-session':
          return (await play(h, deps, await atNight(h, deps, defaultPlay(h, deps, 'Okay.')))) ?? reply(h, say.ERROR);
        case 'offer-reminder':
          return acceptReminderOffer(h, deps);
        case 'offer-help':
          return reply(h, say.HELP, { reprompt: say.OFFER_SESSION_REPROMPT, pending: 'offer-session' });
        case undefined:
          return reply(h, say.FALLBACK, { reprompt: say.FALLBACK_REPROMPT });
      }
    },
  };
}
