/**
 * The one place the skill is wired: handlers in the order they are tried, interceptors, persistence,
 * the skill id check. Everything it needs arrives in `deps`, so tests can build it around a local broker
 * and a temporary state directory.
 */
import { SkillBuilders, type PersistenceAdapter, type Skill } from 'ask-sdk-core';
import type { SkillDeps } from './context';
import { screenTouchHandler, stopHandler } from './handlers/control';
import { diffuserHandler, diffuserPreferenceHandler } from './handlers/diffuser';
import { getBedtimeHandler, setBedtimeHandler } from './handlers/bedtime';
import { fallbackHandler, helpHandler, yesNoHandler } from './handlers/help';
import { errorHandler, sessionEndedHandler } from './handlers/lifecycle';
import { forgetHomeHandler, pairHomeHandler } from './handlers/pairing';
import { askQuestionHandler } from './handlers/question';
import { setReminderHandler, stopReminderHandler } from './handlers/reminder';
import { safetyFirstHandler } from './handlers/safety';
import { explainHandler, launchHandler, repeatHandler, resumeHandler, startOverHandler, startSessionHandler } from './handlers/session';
import { loadState, locale, logRequest, saveState, warmHome } from './interceptors';

export function buildSkill(deps: SkillDeps, persistence: PersistenceAdapter): Skill {
  const builder = SkillBuilders.custom()
    .addRequestHandlers(
      // Before everything: an emergency or a crisis, in any intent, is answered and nothing starts.
      safetyFirstHandler(deps),
      launchHandler(deps),
      startSessionHandler(deps),
      resumeHandler(deps),
      stopHandler(deps),
      screenTouchHandler(deps),
      explainHandler(deps),
      askQuestionHandler(deps),
      setBedtimeHandler(deps),
      getBedtimeHandler(deps),
      setReminderHandler(deps),
      stopReminderHandler(deps),
      diffuserHandler(deps),
      diffuserPreferenceHandler(deps),
      pairHomeHandler(deps),
      forgetHomeHandler(deps),
      startOverHandler(deps),
      repeatHandler(deps),
      helpHandler(deps),
      yesNoHandler(deps),
      fallbackHandler(deps),
      sessionEndedHandler(deps),
    )
    .addRequestInterceptors(logRequest(deps), locale(), warmHome(deps), loadState(deps))
    .addResponseInterceptors(saveState(deps))
    .addErrorHandlers(errorHandler(deps))
    .withPersistenceAdapter(persistence)
    .withCustomUserAgent('winddown');
  if (deps.config.skillId !== undefined) builder.withSkillId(deps.config.skillId);
  return builder.create();
}
