/** SessionEndedRequest (nothing may be said) and the error handler, which comes last and speaks kindly. */
import { getRequestType, type ErrorHandler, type RequestHandler } from 'ask-sdk-core';
import type { SessionEndedRequest } from 'ask-sdk-model';
import type { SkillDeps } from '../context';
import * as say from '../speech';

export function sessionEndedHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => getRequestType(h.requestEnvelope) === 'SessionEndedRequest',
    handle(h) {
      const request = h.requestEnvelope.request as SessionEndedRequest;
      deps.log.info('session.ended', { reason: request.reason, error: request.error?.type });
      return h.responseBuilder.getResponse();
    },
  };
}

export function errorHandler(deps: SkillDeps): ErrorHandler {
  return {
    canHandle: () => true,
    handle(h, error) {
      deps.log.error('request.failed', { error: error.name, message: error.message.slice(0, 200), type: getRequestType(h.requestEnvelope) });
      return h.responseBuilder.speak(`<speak>${say.ERROR}</speak>`).withShouldEndSession(true).getResponse();
    },
  };
}
