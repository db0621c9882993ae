/**
 * Stopping: AMAZON.StopIntent, CancelIntent, NavigateHomeIntent and PauseIntent. The lights stop
 * breathing at once (one `session.stop` to the home before anything is said); Pause also remembers
 * how far the voice had got, so Resume picks up there. A touch on the Echo Show's screen stops as
 * "stop" does.
 */
import type { HandlerInput, RequestHandler } from 'ask-sdk-core';
import { getIntentName } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { STOP_EVENT } from '../../src/engine/apl';
import { reply, sendHome, toldIfRevoked, updatePersisted, type SkillDeps } from '../context';
import { screenDocuments } from '../screen';
import { currentSession, hasScreen, offsetNow } from '../session-flow';
import * as say from '../speech';
import { isIntent } from './session';

/** Stops the lights at once and remembers how far the voice got; the reply says goodbye (or how to resume). */
async function stop(h: HandlerInput, deps: SkillDeps, reason: 'stop' | 'cancel' | 'pause'): Promise<Response> {
  const current = currentSession(h, deps);
  // Always sent, even with no session remembered here: the lights may be breathing all the same.
  const outcome = await sendHome(h, deps, [{ type: 'session.stop', reason, ...(current ? { sessionId: current.stored.id } : {}) }]);
  if (current !== null) {
    const { stored } = current;
    if (reason === 'pause' && stored.status !== 'ended') {
      updatePersisted(h, { session: { ...stored, status: 'paused', pausedAtMs: offsetNow(stored, deps.now()), updatedAt: deps.now() } });
    } else if (reason !== 'pause') {
      updatePersisted(h, { session: { ...stored, status: 'ended', updatedAt: deps.now() } });
    }
  }
  deps.log.info('session.stop', { reason, known: current !== null });
  const response = reply(h, toldIfRevoked(outcome, reason === 'pause' ? say.PAUSED : say.GOODNIGHT));
  // The breathing shape stops with the session: the screen goes black.
  if (hasScreen(h)) (response.directives ??= []).push(screenDocuments().blackDocument());
  return response;
}

export function stopHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.StopIntent', 'AMAZON.CancelIntent', 'AMAZON.NavigateHomeIntent', 'AMAZON.PauseIntent'),
    handle(h) {
      const intent = getIntentName(h.requestEnvelope);
      return stop(h, deps, intent === 'AMAZON.PauseIntent' ? 'pause' : intent === 'AMAZON.CancelIntent' ? 'cancel' : 'stop');
    },
  };
}

/** A touch on the Echo Show's breathing shape stops the session, as "Alexa, stop" does. */
export function screenTouchHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle(h) {
      const request = h.requestEnvelope.request as { type: string; arguments?: unknown[] };
      return request.type === 'Alexa.Presentation.APL.UserEvent' && Array.isArray(request.arguments) && request.arguments[0] === STOP_EVENT;
    },
    handle: (h) => stop(h, deps, 'stop'),
  };
}
