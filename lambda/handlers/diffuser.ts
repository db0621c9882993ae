/**
 * DiffuserOnIntent and DiffuserOffIntent: one `diffuser.set` each; "on" always carries its off time.
 * NoDiffuserIntent and UseDiffuserIntent: whether sessions and the bedtime may use the diffuser at
 * all, kept for this listener. The first time the diffuser comes on, one short line of oil safety.
 */
import type { RequestHandler } from 'ask-sdk-core';
import { persisted, reply, sendHome, toldIfRevoked, updatePersisted, type SkillDeps } from '../context';
import * as say from '../speech';
import { isIntent } from './session';

export function diffuserHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'DiffuserOnIntent', 'DiffuserOffIntent'),
    async handle(h) {
      const on = isIntent(h, 'DiffuserOnIntent');
      const minutes = deps.config.diffuserMinutes;
      const outcome = await sendHome(h, deps, [on ? { type: 'diffuser.set', on, minutes } : { type: 'diffuser.set', on }]);
      const reached = outcome === 'sent';
      if (outcome === 'revoked') return reply(h, say.PAIR_REVOKED_HOME);
      if (outcome === 'disabled') return reply(h, deps.pairing !== null ? say.NO_HOME_PAIRED_YET : say.NO_HOME);
      if (!on) return reply(h, say.diffuserOff(reached));
      const safety = reached && persisted(h).oilSafetyGiven !== true;
      if (safety) updatePersisted(h, { oilSafetyGiven: true });
      return reply(h, safety ? `${say.diffuserOn(minutes, reached)} ${say.OIL_SAFETY_SHORT}` : say.diffuserOn(minutes, reached));
    },
  };
}

/**
 * "Don't use the diffuser with my sessions": kept, switched off now, and the bedtime sent home without
 * it (the bridge's bedtime is only ever the diffuser). "Use the diffuser with my sessions" undoes it.
 */
export function diffuserPreferenceHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'NoDiffuserIntent', 'UseDiffuserIntent'),
    async handle(h) {
      const use = isIntent(h, 'UseDiffuserIntent');
      updatePersisted(h, { diffuserWithSessions: use });
      const { bedtime } = persisted(h);
      if (use) {
        const outcome = bedtime ? await sendHome(h, deps, [{ type: 'bedtime.set', time: bedtime, diffuserMinutes: deps.config.diffuserMinutes }]) : 'disabled';
        return reply(h, toldIfRevoked(outcome, say.DIFFUSER_SESSIONS_ON));
      }
      const outcome = await sendHome(h, deps, [{ type: 'diffuser.set', on: false }, ...(bedtime ? [{ type: 'bedtime.set' as const, time: null }] : [])]);
      return reply(h, toldIfRevoked(outcome, say.DIFFUSER_SESSIONS_OFF));
    },
  };
}
