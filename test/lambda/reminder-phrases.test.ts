/**
 * Every reminder phrase, in each of the five locales, walked through that locale's interaction model
 * (virtual-alexa's matcher) and then through the skill, against the loopback stand-in for the Alexa
 * APIs in a time zone of that country. Every sample of the two reminder intents must also reach its own
 * intent, so none is taken by a neighbour ("remind me to go to bed at ..." is the bedtime's).
 */
import { Utterance, type IModel } from 'virtual-core';
import type { services } from 'ask-sdk-model';
import { clearTimeZoneCache } from '../../lambda/alexa-apis/time-zone';
import * as say from '../../lambda/speech';
import { INTENTS, LOCALES } from '../../scripts/skill-model';
import { harness, textOf, type Harness } from './helpers';
import { startAlexaApis, type AlexaApis } from '../support/alexa-apis';
import { closedAtTeardown } from '../support/teardown';

const ZONES: Record<(typeof LOCALES)[number], string> = {
  'en-US': 'America/Chicago',
  'en-GB': 'Europe/London',
  'en-CA': 'America/Toronto',
  'en-AU': 'Australia/Sydney',
  'en-IN': 'Asia/Kolkata',
};
/** Midday UTC: daytime in London, evening in Sydney and Kolkata, morning in the Americas. Never 00:00–05:00. */
const NOW = Date.UTC(2026, 11, 7, 12, 0);

let apis: AlexaApis;

function skill(locale: string): Harness {
  return harness({ locale, apiEndpoint: apis.url, now: () => NOW });
}

function modelIntent(h: Harness, spoken: string): string {
  const context = h.alexa.context() as unknown as { interactionModel(): IModel };
  const utterance = new Utterance(context.interactionModel(), spoken);
  return utterance.matched() ? utterance.intent() : 'AMAZON.FallbackIntent';
}

const rules = (): string[] => [...apis.reminders.values()].flatMap((r) => (r.body as services.reminderManagement.ReminderRequest).trigger?.recurrence?.recurrenceRules ?? []);
const only = (): services.reminderManagement.ReminderRequest => {
  expect(apis.reminders.size).toBe(1);
  return [...apis.reminders.values()][0]!.body;
};
const TEN_PM = 'FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1';

describe.each(LOCALES)('%s', (locale) => {
  beforeEach(async () => {
    clearTimeZoneCache();
    apis = await closedAtTeardown(startAlexaApis({ defaultTimeZone: ZONES[locale] }));
  });

  it.each(['remind me to wind down at ten p.m.', 'remind me every night at ten p.m.', 'remind me to wind down every night at ten p.m.'])(
    '"%s" writes one daily reminder at 22:00 in the device zone, spoken in the locale',
    async (phrase) => {
      const h = skill(locale);
      expect(modelIntent(h, phrase.replace(/\.$/, ''))).toBe('SetReminderIntent');
      const r = await h.utter(phrase);
      expect(textOf(r)).toBe(say.reminderSet('22:00', false));
      const body = only();
      expect(body.trigger?.timeZoneId).toBe(ZONES[locale]);
      expect(body.trigger?.recurrence?.recurrenceRules).toEqual([TEN_PM]);
      expect(body.alertInfo?.spokenInfo?.content).toEqual([{ locale, text: 'Time to wind down. Say: Alexa, start wind down.' }]);
    },
  );

  it('"remind me at my bedtime" uses the saved bedtime, "stop reminding me" deletes it', async () => {
    const h = skill(locale);
    expect(modelIntent(h, 'remind me at my bedtime')).toBe('SetReminderIntent');
    expect(modelIntent(h, 'stop reminding me')).toBe('StopReminderIntent');
    await h.utter('set my bedtime to ten thirty pm');
    await h.utter('no');
    expect(textOf(await h.utter('remind me at my bedtime'))).toBe(say.reminderSet('22:30', false));
    expect(rules()).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=30;BYSECOND=0;INTERVAL=1']);
    expect(textOf(await h.utter('stop reminding me'))).toBe(say.REMINDER_STOPPED);
    expect(apis.reminders.size).toBe(0);
  });

  it('the offer after a bedtime, answered "yes", sets it fifteen minutes before', async () => {
    const h = skill(locale);
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toContain(say.REMINDER_OFFER);
    expect(textOf(await h.utter('yes'))).toBe(say.reminderSet('22:15', false));
    expect(rules()).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=15;BYSECOND=0;INTERVAL=1']);
  });

  it('every sample of the reminder intents reaches its own intent', () => {
    const h = skill(locale);
    for (const intent of INTENTS.filter((i) => i.name === 'SetReminderIntent' || i.name === 'StopReminderIntent')) {
      for (const sample of intent.samples) {
        const spoken = sample.replace('{time}', 'ten p.m.').replace(/\.$/, '');
        expect({ spoken, intent: modelIntent(h, spoken) }).toEqual({ spoken, intent: intent.name });
      }
    }
  });
});
