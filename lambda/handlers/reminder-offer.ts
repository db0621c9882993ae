/**
 * What a new bedtime does to the daily reminder. The first time, the offer of one: once, gently, and
 * never between midnight and 5 a.m. on the device's clock, when nothing should ask to be answered
 * ("yes" is answered by `acceptReminderOffer` in reminder.ts). And a reminder that was set from the
 * bedtime moves with it.
 */
import { getLocale, type HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { reminderRequest, remindersClient, remindersGranted } from '../alexa-apis/reminders';
import { persisted, reply, updatePersisted, type SkillDeps } from '../context';
import { isNightIn } from '../night';
import * as say from '../speech';

/** The offered reminder comes this long before bedtime. */
export const OFFER_LEAD_MINUTES = 15;

/** "22:00" → "21:45": a quarter of an hour earlier, across midnight too. */
export function minutesBefore(clock: string, minutes: number): string {
  const [h = 0, m = 0] = clock.split(':').map(Number);
  const total = (((h * 60 + m - minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Moves a reminder that was set from the bedtime to the same distance before `bedtime`: one PUT, within
 * the Reminders API's share of the request. Answers what to add to the reply: where it went, one plain
 * sentence when it could not be moved, or nothing (no such reminder, already there, or deleted in the
 * Alexa app, which is then forgotten). The bedtime is saved whatever happens here.
 */
export async function moveWithBedtime(h: HandlerInput, deps: SkillDeps, bedtime: string): Promise<string | undefined> {
  const reminder = persisted(h).reminder ?? null;
  if (reminder?.beforeBedtime === undefined) return undefined;
  const clock = minutesBefore(bedtime, reminder.beforeBedtime);
  if (clock === reminder.time) return undefined;
  const client = remindersGranted(h.requestEnvelope) ? remindersClient(h.requestEnvelope) : null;
  if (client === null) {
    deps.log.warn('reminder.not-moved', { failure: 'forbidden', status: null });
    return say.reminderNotMoved(reminder.time);
  }
  const zone = await deps.timeZone(h.requestEnvelope);
  const outcome = await client.update(reminder.alertToken, reminderRequest({ clock, zone, locale: getLocale(h.requestEnvelope), now: deps.now() }));
  if (!outcome.ok && outcome.failure === 'not-found') {
    updatePersisted(h, { reminder: null });
    deps.log.info('reminder.gone');
    return undefined;
  }
  if (!outcome.ok) {
    deps.log.warn('reminder.not-moved', { failure: outcome.failure, status: outcome.status });
    return say.reminderNotMoved(reminder.time);
  }
  updatePersisted(h, { reminder: { ...reminder, time: clock } });
  deps.log.info('reminder.moved');
  return say.reminderMoved(clock);
}

/**
 * Night on the device's clock (the configured zone standing in for an unknown one), or null when the
 * hour cannot be known: unlike a launch, a question is better not asked than asked at 3 a.m.
 */
export async function nightOrUnknown(h: HandlerInput, deps: SkillDeps): Promise<boolean | null> {
  const zone = (await deps.timeZone(h.requestEnvelope)) ?? deps.config.timeZone ?? null;
  return zone === null ? null : isNightIn(deps.now(), zone);
}

/**
 * A reply that, the first time a bedtime is set, asks whether to add a reminder a quarter of an hour
 * before it. Not when a reminder is already kept, not on a screen touch, and not at night or when the
 * device's clock cannot be known.
 */
export async function withReminderOffer(h: HandlerInput, deps: SkillDeps, text: string): Promise<Response> {
  const state = persisted(h);
  const offer = state.reminderOffered !== true && !state.reminder && h.requestEnvelope.session !== undefined && (await nightOrUnknown(h, deps)) === false;
  if (!offer) return reply(h, text);
  updatePersisted(h, { reminderOffered: true });
  deps.log.info('reminder.offered');
  return reply(h, `${text} ${say.REMINDER_OFFER}`, { reprompt: say.REMINDER_OFFER, pending: 'offer-reminder' });
}
