/**
 * Stopping: AMAZON.StopIntent, CancelIntent, NavigateHomeIntent and PauseIntent. The lights stop
 * breathing at once (one `session.stop` to the home before anything is said); Pause also remembers
 * how far the voice had got, so Resume picks up there.
 */
import type { RequestHandler } from 'ask-sdk-core';
import { getIntentName } from 'ask-sdk-core';
import { reply, sendHome, updatePersisted, type SkillDeps } from '../context';
import { currentSession, offsetNow } from '../session-flow';
import * as say from '../speech';
import { isIntent } from './session';

export function stopHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.StopIntent', 'AMAZON.CancelIntent', 'AMAZON.NavigateHomeIntent', 'AMAZON.PauseIntent'),
    async handle(h) {
      const intent = getIntentName(h.requestEnvelope);
      const reason = intent === 'AMAZON.PauseIntent' ? 'pause' : intent === 'AMAZON.CancelIntent' ? 'cancel' : 'stop';
      const current = currentSession(h, deps);
      // Always sent, even with no session remembered here: the lights may be breathing all the same.
      await sendHome(h, deps, [{ type: 'session.stop', reason, ...(current ? { sessionId: current.stored.id } : {}) }]);
      if (current !== null) {
        const { stored } = current;
        if (reason === 'pause' && stored.status !== 'ended') {
          updatePersisted(h, { session: { ...stored, status: 'paused', pausedAtMs: offsetNow(stored, deps.now()), updatedAt: deps.now() } });
        } else if (reason !== 'pause') {
          updatePersisted(h, { session: { ...stored, status: 'ended', updatedAt: deps.now() } });
        }
      }
      deps.log.info('session.stop', { reason, known: current !== null });
      return reply(h, reason === 'pause' ? say.PAUSED : say.GOODNIGHT);
    },
  };
}
