/**
 * SetBedtimeIntent and GetBedtimeIntent. AMAZON.TIME gives "HH:MM" for a clock time, or "MO", "AF",
 * "EV", "NI" for a part of the day. A part of the day, a missing time or anything else odd is not
 * guessed at: the skill asks for the time (eliciting the `time` slot).
 */
import { getSlotValue, type RequestHandler } from 'ask-sdk-core';
import type { Intent } from 'ask-sdk-model';
import { renderSpeech } from '../../src/engine/ssml';
import { ClockTime } from '../../src/protocol/messages';
import { persisted, reply, sendHome, toldIfRevoked, updatePersisted, type SkillDeps } from '../context';
import * as say from '../speech';
import { moveWithBedtime, withReminderOffer } from './reminder-offer';
import { isIntent } from './session';

/** "22:30" (or "22:30:00") → "22:30"; anything vague or malformed → null. */
export function clockTimeOf(value: string | undefined): string | null {
  const match = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const clock = `${match[1]}:${match[2]}`;
  return ClockTime.safeParse(clock).success ? clock : null;
}

export function setBedtimeHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'SetBedtimeIntent'),
    async handle(h) {
      const clock = clockTimeOf(getSlotValue(h.requestEnvelope, 'time'));
      if (clock === null) {
        const request = h.requestEnvelope.request as { intent?: Intent };
        const intent: Intent = { name: 'SetBedtimeIntent', confirmationStatus: 'NONE', slots: { time: { name: 'time', value: '', confirmationStatus: 'NONE' } } };
        deps.log.info('bedtime.ask', { had: request.intent?.slots?.time?.value ? 'vague' : 'none' });
        return h.responseBuilder
          .speak(renderSpeech(say.BEDTIME_PROMPT))
          .reprompt(renderSpeech(say.BEDTIME_PROMPT))
          .addElicitSlotDirective('time', intent)
          .getResponse();
      }
      updatePersisted(h, { bedtime: clock, bedtimeUnsent: true });
      // Someone who said "don't use the diffuser" keeps their bedtime here, and the home gets no diffuser time.
      const diffuser = persisted(h).diffuserWithSessions !== false;
      // The home and a reminder set from the bedtime are told side by side, so both fit in the reply's time.
      const [outcome, reminder] = await Promise.all([
        sendHome(h, deps, [{ type: 'bedtime.set', time: diffuser ? clock : null, diffuserMinutes: deps.config.diffuserMinutes }]),
        moveWithBedtime(h, deps, clock),
      ]);
      // With no home link configured there is nothing to send it to later either (a revoked pairing keeps it for the next one).
      if (outcome === 'disabled') updatePersisted(h, { bedtimeUnsent: false });
      const reached = outcome === 'revoked' ? 'disabled' : outcome;
      // The first bedtime that will switch the diffuser on by itself (now, or once the home is reached): the care line, once.
      const care = diffuser && reached !== 'disabled' && persisted(h).bedtimeCareGiven !== true;
      if (care) updatePersisted(h, { bedtimeCareGiven: true });
      const said = toldIfRevoked(outcome, say.bedtimeSet(clock, reached, diffuser, care));
      return withReminderOffer(h, deps, reminder === undefined ? said : `${said} ${reminder}`);
    },
  };
}

export function getBedtimeHandler(_deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'GetBedtimeIntent'),
    handle(h) {
      const bedtime = persisted(h).bedtime;
      return reply(h, bedtime ? say.bedtimeIs(bedtime) : say.NO_BEDTIME);
    },
  };
}
