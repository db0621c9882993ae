/**
 * AskQuestionIntent ("what is PMR") and StatementIntent ("I have a fever", "my baby sleeps in our
 * room"): what was said is answered as src/faq/answer.ts answers it, safety first. A confident FAQ
 * match is answered and the session ends quietly; anything else gets an honest "not sure" and an offer
 * of help, never a different question's answer. The words themselves are never logged.
 */
import { getSlotValue, type RequestHandler } from 'ask-sdk-core';
import { answerQuestion } from '../../src/faq/answer';
import { localeOf, reply, type SkillDeps } from '../context';
import * as say from '../speech';
import { isIntent } from './session';

export function askQuestionHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AskQuestionIntent', 'StatementIntent'),
    handle(h) {
      const said = getSlotValue(h.requestEnvelope, 'question') ?? getSlotValue(h.requestEnvelope, 'statement') ?? '';
      const answer = answerQuestion(said, localeOf(h), deps.faq());
      deps.log.info('faq', { hit: answer.kind !== 'miss', kind: answer.kind });
      if (answer.kind === 'miss') return reply(h, say.FAQ_MISS, { reprompt: say.FAQ_MISS_REPROMPT, pending: 'offer-help' });
      return reply(h, answer.text);
    },
  };
}
