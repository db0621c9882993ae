/**
 * Safety first, before any other handler: EmergencyIntent and CrisisIntent (what the interaction
 * model hears as an emergency or a crisis), and any intent whose slot values say one, like a session
 * asked for with "and my chest hurts" in the technique. The answer is the locale's emergency number
 * or crisis line, and nothing starts: no session, no lights, no diffuser. Only the tier and the sign
 * are logged, never the words.
 */
import { getRequestType, type HandlerInput, type RequestHandler } from 'ask-sdk-core';
import type { IntentRequest } from 'ask-sdk-model';
import { safetyReply, triageAll, type Tier } from '../../src/safety/triage';
import { localeOf, reply, type SkillDeps } from '../context';

const TIER_OF_INTENT: Record<string, Tier> = { EmergencyIntent: 'emergency', CrisisIntent: 'crisis' };

/** Every slot value of the request, as Alexa heard it. */
function slotValues(h: HandlerInput): string[] {
  if (getRequestType(h.requestEnvelope) !== 'IntentRequest') return [];
  const slots = (h.requestEnvelope.request as IntentRequest).intent.slots ?? {};
  return Object.values(slots).flatMap((slot) => (typeof slot.value === 'string' && slot.value.length > 0 ? [slot.value] : []));
}

function tierOf(h: HandlerInput): { tier: Tier; sign: string } | null {
  if (getRequestType(h.requestEnvelope) !== 'IntentRequest') return null;
  const named = TIER_OF_INTENT[(h.requestEnvelope.request as IntentRequest).intent.name];
  if (named !== undefined) return { tier: named, sign: 'intent' };
  return triageAll(slotValues(h));
}

export function safetyFirstHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => tierOf(h) !== null,
    handle(h) {
      const found = tierOf(h);
      if (found === null) throw new Error('safety handler chosen without a safety sign');
      deps.log.info('safety', { tier: found.tier, sign: found.sign });
      return reply(h, safetyReply(found.tier, localeOf(h)));
    },
  };
}
