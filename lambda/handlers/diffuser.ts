/** DiffuserOnIntent and DiffuserOffIntent: one `diffuser.set` each; "on" always carries its off time. */
import type { RequestHandler } from 'ask-sdk-core';
import { reply, sendHome, type SkillDeps } from '../context';
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
      if (outcome === 'disabled') return reply(h, say.NO_HOME);
      return reply(h, on ? say.diffuserOn(minutes, reached) : say.diffuserOff(reached));
    },
  };
}
