/**
 * AskQuestionIntent: the question (AMAZON.SearchQuery) is matched against the FAQ. A confident match
 * is answered and the session ends quietly; anything else gets an honest "not sure" and an offer of
 * help, never a different question's answer. The question itself is never logged.
 */
import { getSlotValue, type RequestHandler } from 'ask-sdk-core';
import { reply, type SkillDeps } from '../context';
import * as say from '../speech';
import { isIntent } from './session';

export function askQuestionHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AskQuestionIntent'),
    handle(h) {
      const question = getSlotValue(h.requestEnvelope, 'question') ?? '';
      const match = deps.faq().match(question);
      deps.log.info('faq', { hit: match !== null });
      if (match === null) return reply(h, say.FAQ_MISS, { reprompt: say.FAQ_MISS_REPROMPT, pending: 'offer-help' });
      return reply(h, match.entry.answer);
    },
  };
}
