/**
 * SetReminderIntent and StopReminderIntent: one daily Alexa reminder per person to start winding down,
 * at the time asked for, or at the saved bedtime ("remind me at my bedtime"). Asking again moves it;
 * "stop reminding me" deletes it. Its alert token is kept in the persistent state.
 *
 * Nothing is written without the reminders permission: the reply is a consent card in the Alexa app and
 * a sentence that says where to find it. The offer after a bedtime is set is in reminder-offer.ts; a
 * "yes" to it comes back here.
 */
import { getLocale, getSlotValue, type HandlerInput, type RequestHandler } from 'ask-sdk-core';
import type { Intent, Response } from 'ask-sdk-model';
import { renderSpeech } from '../../src/engine/ssml';
import { REMINDERS_PERMISSION, reminderRequest, remindersClient, remindersGranted, type ReminderOutcome } from '../alexa-apis/reminders';
import { persisted, reply, sessionAttrs, setSessionAttrs, updatePersisted, type SkillDeps } from '../context';
import * as say from '../speech';
import { clockTimeOf } from './bedtime';
import { minutesBefore, nightOrUnknown, OFFER_LEAD_MINUTES } from './reminder-offer';
import { isIntent } from './session';

function askForConsent(h: HandlerInput, text: string): Response {
  h.responseBuilder.withAskForPermissionsConsentCard([REMINDERS_PERMISSION]);
  return reply(h, text);
}

/** The consent card when the permission is missing, or null when it is granted. */
function consentMissing(h: HandlerInput, deps: SkillDeps): Response | null {
  if (remindersGranted(h.requestEnvelope)) return null;
  deps.log.info('reminder.consent');
  return askForConsent(h, say.REMINDER_PERMISSION);
}

function trouble(h: HandlerInput, deps: SkillDeps, outcome: Extract<ReminderOutcome, { ok: false }>, action: 'set' | 'stop'): Response {
  deps.log.warn('reminder.failed', { action, failure: outcome.failure, status: outcome.status });
  switch (outcome.failure) {
    case 'forbidden':
      return action === 'set' ? askForConsent(h, say.REMINDER_PERMISSION_REVOKED) : reply(h, say.REMINDER_STOP_NOT_ALLOWED);
    case 'not-found':
    case 'rejected':
      return reply(h, say.REMINDER_TROUBLE.rejected);
    case 'unauthorized':
    case 'throttled':
    case 'unavailable':
      return reply(h, say.REMINDER_TROUBLE[outcome.failure]);
  }
}

/**
 * Writes the one daily reminder at `clock` (device time), or moves the one already kept. A reminder
 * deleted in the Alexa app answers 404 to the move and is written afresh; nothing else is tried twice.
 * `beforeBedtime`: set from the bedtime, so many minutes before it; it then moves when the bedtime does.
 */
export async function setDailyReminder(h: HandlerInput, deps: SkillDeps, clock: string, beforeBedtime?: number): Promise<Response> {
  const envelope = h.requestEnvelope;
  const consent = consentMissing(h, deps);
  if (consent !== null) return consent;
  const client = remindersClient(envelope);
  if (client === null) return reply(h, say.REMINDER_TROUBLE.unavailable);
  // Unknown, it is left out: the Reminders API then uses the device's own zone.
  const zone = await deps.timeZone(envelope);
  const body = reminderRequest({ clock, zone, locale: getLocale(envelope), now: deps.now() });
  const existing = persisted(h).reminder ?? null;
  let outcome = existing === null ? await client.create(body) : await client.update(existing.alertToken, body);
  if (existing !== null && !outcome.ok && outcome.failure === 'not-found') outcome = await client.create(body);
  if (!outcome.ok) return trouble(h, deps, outcome, 'set');
  updatePersisted(h, { reminder: { alertToken: outcome.alertToken, time: clock, ...(beforeBedtime === undefined ? {} : { beforeBedtime }) } });
  deps.log.info('reminder.set', { moved: existing !== null, zoneKnown: zone !== null });
  return reply(h, say.reminderSet(clock, existing !== null));
}

export function setReminderHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'SetReminderIntent'),
    async handle(h) {
      // Asked first, so nobody is asked for a time only to be told the reminder can't be written.
      const consent = consentMissing(h, deps);
      if (consent !== null) return consent;
      const said = getSlotValue(h.requestEnvelope, 'time');
      // No time at all is "at my bedtime"; a vague one ("tonight") is asked about, never guessed.
      const bedtime = persisted(h).bedtime ?? null;
      if (!said && bedtime !== null) return setDailyReminder(h, deps, bedtime, 0);
      const clock = said ? clockTimeOf(said) : null;
      if (clock !== null) return setDailyReminder(h, deps, clock);
      if (sessionAttrs(h).reminderTimeAsked === true || (await nightOrUnknown(h, deps)) === true) return reply(h, say.REMINDER_NO_TIME);
      setSessionAttrs(h, { reminderTimeAsked: true });
      const intent: Intent = { name: 'SetReminderIntent', confirmationStatus: 'NONE', slots: { time: { name: 'time', value: '', confirmationStatus: 'NONE' } } };
      return h.responseBuilder
        .speak(renderSpeech(say.REMINDER_TIME_PROMPT))
        .reprompt(renderSpeech(say.REMINDER_TIME_PROMPT))
        .addElicitSlotDirective('time', intent)
        .getResponse();
    },
  };
}

export function stopReminderHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'StopReminderIntent'),
    async handle(h) {
      const existing = persisted(h).reminder ?? null;
      if (existing === null) return reply(h, say.NO_REMINDER);
      // Kept, so that once the permission is back, "stop reminding me" still finds it.
      if (!remindersGranted(h.requestEnvelope)) return reply(h, say.REMINDER_STOP_NOT_ALLOWED);
      const client = remindersClient(h.requestEnvelope);
      if (client === null) return reply(h, say.REMINDER_TROUBLE.unavailable);
      const outcome = await client.remove(existing.alertToken);
      if (!outcome.ok) return trouble(h, deps, outcome, 'stop');
      updatePersisted(h, { reminder: null });
      deps.log.info('reminder.deleted');
      return reply(h, say.REMINDER_STOPPED);
    },
  };
}

/** "Yes" to the offer: the reminder, fifteen minutes before the saved bedtime. */
export function acceptReminderOffer(h: HandlerInput, deps: SkillDeps): Promise<Response> | Response {
  const bedtime = persisted(h).bedtime;
  if (!bedtime) return reply(h, say.REMINDER_NO_TIME);
  return setDailyReminder(h, deps, minutesBefore(bedtime, OFFER_LEAD_MINUTES), OFFER_LEAD_MINUTES);
}
