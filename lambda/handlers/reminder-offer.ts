/**
 * The offer of a daily reminder after a bedtime is set: once, gently, and never between midnight and
 * 5 a.m. on the device's clock, when nothing should ask to be answered. "Yes" is answered by
 * `acceptReminderOffer` in reminder.ts.
 */
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { persisted, reply, updatePersisted, type SkillDeps } from '../context';
import { isNightIn } from '../night';
import * as say from '../speech';

/** The offered reminder comes this long before bedtime. */
export const OFFER_LEAD_MINUTES = 15;

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
