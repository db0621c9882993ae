/**
 * Cross-cutting work, kept out of the handlers: logging (request id, type and intent name only; never
 * slot values, questions or bedtimes), the locale, warming the home link, and loading and saving the
 * persistent attributes.
 */
import { getIntentName, getLocale, getRequestType, type RequestInterceptor, type ResponseInterceptor } from 'ask-sdk-core';
import { homeOf, initState, takeDirty, type SkillDeps } from './context';
import { readPersisted } from './state';

const SUPPORTED_LOCALES = ['en-US', 'en-GB', 'en-CA', 'en-AU', 'en-IN'];

export function logRequest(deps: SkillDeps): RequestInterceptor {
  return {
    process(h) {
      const type = getRequestType(h.requestEnvelope);
      deps.log.info('request', {
        id: h.requestEnvelope.request.requestId,
        type,
        intent: type === 'IntentRequest' ? getIntentName(h.requestEnvelope) : undefined,
      });
    },
  };
}

/** Every locale is English; one we do not know is answered in en-US's words rather than failing. */
export function locale(): RequestInterceptor {
  return {
    process(h) {
      const requested = getLocale(h.requestEnvelope);
      h.attributesManager.getRequestAttributes().locale = SUPPORTED_LOCALES.includes(requested) ? requested : 'en-US';
    },
  };
}

/**
 * Starts the MQTT handshake first, so it overlaps the persistence read that follows. In hosted mode
 * the home is known only once this user's attributes are read: `loadState` warms it then.
 */
export function warmHome(deps: SkillDeps): RequestInterceptor {
  return {
    process(h) {
      if (!deps.homes.hosted && getRequestType(h.requestEnvelope) !== 'SessionEndedRequest') deps.homes.forUser(undefined).warm();
    },
  };
}

export function loadState(deps: SkillDeps): RequestInterceptor {
  return {
    async process(h) {
      initState(h, readPersisted(await h.attributesManager.getPersistentAttributes()));
      if (deps.homes.hosted && getRequestType(h.requestEnvelope) !== 'SessionEndedRequest') homeOf(h, deps).warm();
    },
  };
}

export function saveState(deps: SkillDeps): ResponseInterceptor {
  return {
    async process(h) {
      const dirty = takeDirty(h);
      if (dirty === null) return;
      h.attributesManager.setPersistentAttributes(dirty);
      await h.attributesManager.savePersistentAttributes();
      deps.log.info('state.saved');
    },
  };
}
