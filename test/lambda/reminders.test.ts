/**
 * The daily reminder to wind down, through the real interaction model (virtual-alexa) and the whole
 * skill, against a loopback stand-in for the Alexa Reminders and Settings APIs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestEnvelope, services } from 'ask-sdk-model';
import { clearTimeZoneCache } from '../../lambda/alexa-apis/time-zone';
import * as say from '../../lambda/speech';
import { harness, NO_ALEXA_APIS, textOf, type Harness, type HarnessOptions, type SkillResponse } from './helpers';
import { startAlexaApis, type AlexaApis } from '../support/alexa-apis';
import { closedAtTeardown } from '../support/teardown';

const PERMISSION = 'alexa::alerts:reminders:skill:readwrite';
/** 20:00 in New York (the stand-in's zone), 7 December 2026. */
const EVENING = Date.UTC(2026, 11, 7, 1, 0);
/** 02:00 in New York. */
const NIGHT = Date.UTC(2026, 11, 7, 7, 0);

let apis: AlexaApis;

beforeEach(async () => {
  clearTimeZoneCache();
  apis = await closedAtTeardown(startAlexaApis());
});

type Permission = 'granted' | 'none' | 'denied-scope';

function permissionFilter(permission: Permission): (request: RequestEnvelope) => void {
  return (request) => {
    const user = request.context.System.user;
    if (permission === 'none') delete user.permissions;
    else if (permission === 'denied-scope') user.permissions = { consentToken: 'token', scopes: { [PERMISSION]: { status: 'DENIED' } } };
    else user.permissions = { consentToken: 'consent-token', scopes: { [PERMISSION]: { status: 'GRANTED' } } };
  };
}

function skill(options: { permission?: Permission; now?: () => number } & Pick<HarnessOptions, 'sameUserAs'> = {}): Harness {
  return harness({ apiEndpoint: apis.url, filter: permissionFilter(options.permission ?? 'granted'), now: options.now ?? (() => EVENING), ...(options.sameUserAs ? { sameUserAs: options.sameUserAs } : {}) });
}

const reminderCalls = (): AlexaApis['calls'] => apis.calls.filter((c) => c.path.startsWith('/v1/alerts/reminders'));
const stored = (): services.reminderManagement.ReminderRequest[] => [...apis.reminders.values()].map((r) => r.body as services.reminderManagement.ReminderRequest);
type Card = { type: string; permissions?: string[] };
const cardOf = (r: SkillResponse): Card | undefined => (r.response as { card?: Card }).card;

describe('"remind me to wind down at ten p.m."', () => {
  it('with the permission granted, writes one daily reminder at 22:00 that says to wind down', async () => {
    const h = skill();
    const r = await h.utter('remind me to wind down at ten p.m.');
    expect(textOf(r)).toBe(say.reminderSet('22:00', false));
    expect(r.response.shouldEndSession).toBe(true);

    const posts = reminderCalls();
    expect(posts.map((c) => [c.method, c.path])).toEqual([['POST', '/v1/alerts/reminders']]);
    expect(posts[0]!.authorization).toBe(`Bearer ${h.alexa.context().apiAccessToken()}`);
    expect(apis.reminders.size).toBe(1);
    const [body] = stored();
    expect(body!.trigger?.type).toBe('SCHEDULED_ABSOLUTE');
    // Local wall time, no offset: the API reads it in the device's zone.
    expect(body!.trigger?.scheduledTime).toMatch(/^\d{4}-\d{2}-\d{2}T22:00:00\.000$/);
    expect(body!.trigger?.timeZoneId).toBe('America/New_York');
    expect(body!.trigger?.recurrence?.recurrenceRules).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1']);
    expect(body!.alertInfo?.spokenInfo?.content).toEqual([{ locale: 'en-US', text: 'Time to wind down. Say: Alexa, start wind down.' }]);
    expect(body!.pushNotification?.status).toBe('ENABLED');
  });

  it('is set for tonight while 22:00 is still ahead, and for tomorrow once it has passed', async () => {
    await skill().utter('remind me to wind down at ten p.m.');
    expect(stored()[0]!.trigger?.scheduledTime).toBe('2026-12-06T22:00:00.000');
    apis.reminders.clear();
    // 23:30 in New York.
    await skill({ now: () => Date.UTC(2026, 11, 7, 4, 30) }).utter('remind me to wind down at ten p.m.');
    expect(stored()[0]!.trigger?.scheduledTime).toBe('2026-12-07T22:00:00.000');
  });

  it.each(['none', 'denied-scope'] as const)('without the permission (%s), sends the consent card, says where, and writes nothing', async (permission) => {
    const h = skill({ permission });
    const r = await h.utter('remind me to wind down at ten p.m.');
    expect(cardOf(r)).toEqual({ type: 'AskForPermissionsConsent', permissions: [PERMISSION] });
    expect(textOf(r)).toBe(say.REMINDER_PERMISSION);
    expect(textOf(r)).toMatch(/Alexa app/);
    expect(apis.calls).toEqual([]);
    expect(apis.reminders.size).toBe(0);
  });

  it('skill.json asks for the permission', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../skill-package/skill.json'), 'utf8')) as { manifest: { permissions?: { name: string }[] } };
    expect(manifest.manifest.permissions).toEqual([{ name: PERMISSION }]);
  });
});

describe('one reminder per person', () => {
  it('asking again moves it: still one, at the new time', async () => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    const [token] = [...apis.reminders.keys()];
    const moved = await h.utter('remind me every night at eleven pm');
    expect(textOf(moved)).toBe(say.reminderSet('23:00', true));
    expect(reminderCalls().map((c) => [c.method, c.path])).toEqual([
      ['POST', '/v1/alerts/reminders'],
      ['PUT', `/v1/alerts/reminders/${token!}`],
    ]);
    expect(apis.reminders.size).toBe(1);
    expect(stored()[0]!.trigger?.recurrence?.recurrenceRules).toEqual(['FREQ=DAILY;BYHOUR=23;BYMINUTE=0;BYSECOND=0;INTERVAL=1']);
  });

  it('writes it afresh when it was deleted in the Alexa app', async () => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    apis.reminders.clear();
    const again = await h.utter('remind me to wind down at eleven pm');
    expect(textOf(again)).toBe(say.reminderSet('23:00', true));
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT', 'POST']);
    expect(apis.reminders.size).toBe(1);
    // The new token is kept: stopping deletes the new one.
    await h.utter('stop reminding me');
    expect(apis.reminders.size).toBe(0);
  });

  it('"stop reminding me" deletes it, and then there is none to stop', async () => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    const [token] = [...apis.reminders.keys()];
    const r = await h.utter('stop reminding me');
    expect(textOf(r)).toBe(say.REMINDER_STOPPED);
    expect(reminderCalls().at(-1)).toEqual(expect.objectContaining({ method: 'DELETE', path: `/v1/alerts/reminders/${token!}` }));
    expect(apis.reminders.size).toBe(0);
    const calls = reminderCalls().length;
    expect(textOf(await h.utter('stop reminding me'))).toBe(say.NO_REMINDER);
    expect(reminderCalls()).toHaveLength(calls);
  });

  it('is kept across Alexa sessions: a later session moves the same one', async () => {
    const first = skill();
    await first.utter('remind me to wind down at ten p.m.');
    const later = skill({ sameUserAs: first });
    await later.utter('remind me to wind down at eleven pm');
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(apis.reminders.size).toBe(1);
  });
});

describe('"remind me at my bedtime"', () => {
  it('uses the saved bedtime', async () => {
    const h = skill({ now: () => NIGHT }); // at night: no offer after the bedtime, nothing asked
    await h.utter('set my bedtime to ten thirty pm');
    const r = await h.utter('remind me at my bedtime');
    expect(textOf(r)).toBe(say.reminderSet('22:30', false));
    expect(stored()[0]!.trigger?.recurrence?.recurrenceRules).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=30;BYSECOND=0;INTERVAL=1']);
  });

  it('with no bedtime saved, asks for a time once, then takes the answer', async () => {
    const h = skill();
    const r = await h.utter('remind me at my bedtime');
    expect(textOf(r)).toBe(say.REMINDER_TIME_PROMPT);
    expect(r.response.directives).toEqual([expect.objectContaining({ type: 'Dialog.ElicitSlot', slotToElicit: 'time' })]);
    const answered = await h.intend('SetReminderIntent', { time: '21:45' });
    expect(textOf(answered)).toBe(say.reminderSet('21:45', false));
    expect(apis.reminders.size).toBe(1);
  });

  it('asks only once: a second answer without a time ends kindly', async () => {
    const h = skill();
    await h.utter('remind me at my bedtime');
    const again = await h.intend('SetReminderIntent', { time: 'NI' });
    expect(textOf(again)).toBe(say.REMINDER_NO_TIME);
    expect(again.response.shouldEndSession).toBe(true);
    expect(reminderCalls()).toEqual([]);
  });

  it('at night, asks nothing', async () => {
    const h = skill({ now: () => NIGHT });
    const r = await h.utter('remind me at my bedtime');
    expect(textOf(r)).toBe(say.REMINDER_NO_TIME);
    expect(r.response.shouldEndSession).toBe(true);
  });
});

describe('errors from the Reminders API: one plain sentence, one call, nothing kept', () => {
  it.each([
    [401, say.REMINDER_TROUBLE.unauthorized],
    [403, say.REMINDER_PERMISSION_REVOKED],
    [429, say.REMINDER_TROUBLE.throttled],
    [500, say.REMINDER_TROUBLE.unavailable],
    [503, say.REMINDER_TROUBLE.unavailable],
    [400, say.REMINDER_TROUBLE.rejected],
  ])('writing a reminder answered %i', async (status, sentence) => {
    const h = skill();
    // One scripted failure: a retry would succeed, and show as a second call.
    apis.failNext('/v1/alerts/reminders', status);
    const r = await h.utter('remind me to wind down at ten p.m.');
    expect(textOf(r)).toBe(sentence);
    expect(reminderCalls()).toHaveLength(1);
    if (status === 403) expect(cardOf(r)).toEqual({ type: 'AskForPermissionsConsent', permissions: [PERMISSION] });
    else expect(cardOf(r)).toBeUndefined();
    expect(h.log.lines).toContainEqual(expect.objectContaining({ event: 'reminder.failed', status }));
    // Nothing was kept: once the service is back, a new one is written (not a move).
    await h.utter('remind me to wind down at ten p.m.');
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  it.each([401, 403, 429, 500, 503])('moving one answered %i: one call, no new one written, the old one kept', async (status) => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    apis.failNext('/v1/alerts/reminders', status);
    const r = await h.utter('remind me to wind down at eleven pm');
    expect(textOf(r)).toBe(status === 403 ? say.REMINDER_PERMISSION_REVOKED : say.REMINDER_TROUBLE[status === 401 ? 'unauthorized' : status === 429 ? 'throttled' : 'unavailable']);
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(apis.reminders.size).toBe(1);
  });

  it.each([
    [403, say.REMINDER_STOP_NOT_ALLOWED],
    [429, say.REMINDER_TROUBLE.throttled],
    [500, say.REMINDER_TROUBLE.unavailable],
  ])('deleting one answered %i: one call, and its token kept to try again later', async (status, sentence) => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    apis.failNext('/v1/alerts/reminders/', status);
    expect(textOf(await h.utter('stop reminding me'))).toBe(sentence);
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'DELETE']);
    expect(textOf(await h.utter('stop reminding me'))).toBe(say.REMINDER_STOPPED);
    expect(apis.reminders.size).toBe(0);
  });

  it('an API that cannot be reached gets the same plain sentence', async () => {
    const h = harness({ apiEndpoint: NO_ALEXA_APIS, filter: permissionFilter('granted'), now: () => EVENING });
    expect(textOf(await h.utter('remind me to wind down at ten p.m.'))).toBe(say.REMINDER_TROUBLE.unavailable);
  });
});

describe('the offer after a bedtime is set', () => {
  it('is made once, gently, and "yes" sets it fifteen minutes before bedtime', async () => {
    const h = skill();
    const r = await h.utter('set my bedtime to ten thirty pm');
    expect(textOf(r)).toBe(`${say.bedtimeSet('22:30', 'disabled')} ${say.REMINDER_OFFER}`);
    expect(r.response.shouldEndSession).toBe(false);
    const yes = await h.utter('yes');
    expect(textOf(yes)).toBe(say.reminderSet('22:15', false));
    expect(apis.reminders.size).toBe(1);
    expect(stored()[0]!.trigger?.recurrence?.recurrenceRules).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=15;BYSECOND=0;INTERVAL=1']);
  });

  it('"yes" without the permission gets the consent card, and nothing is written', async () => {
    const h = skill({ permission: 'none' });
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toContain(say.REMINDER_OFFER);
    const yes = await h.utter('yes');
    expect(cardOf(yes)).toEqual({ type: 'AskForPermissionsConsent', permissions: [PERMISSION] });
    expect(textOf(yes)).toBe(say.REMINDER_PERMISSION);
    expect(reminderCalls()).toEqual([]);
  });

  it('is not made again, whatever the first answer was', async () => {
    const h = skill();
    await h.utter('set my bedtime to ten thirty pm');
    expect(textOf(await h.utter('no'))).toBe(say.GOODNIGHT);
    const again = await h.utter('set my bedtime to eleven pm');
    expect(textOf(again)).toBe(say.bedtimeSet('23:00', 'disabled'));
    expect(again.response.shouldEndSession).toBe(true);
    expect(reminderCalls()).toEqual([]);
  });

  it('is never made at night, and is still made later in the evening', async () => {
    let now = NIGHT;
    const h = skill({ now: () => now });
    const r = await h.utter('set my bedtime to ten thirty pm');
    expect(textOf(r)).toBe(say.bedtimeSet('22:30', 'disabled'));
    expect(r.response.shouldEndSession).toBe(true);
    now = EVENING;
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toContain(say.REMINDER_OFFER);
  });

  it('is not made when the device clock cannot be known', async () => {
    const h = harness({ apiEndpoint: NO_ALEXA_APIS, filter: permissionFilter('granted'), now: () => EVENING });
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toBe(say.bedtimeSet('22:30', 'disabled'));
  });

  it('is not made to someone who already has a reminder', async () => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toBe(say.bedtimeSet('22:30', 'disabled'));
  });
});

describe('a reminder set from the bedtime moves with it', () => {
  const rulesOf = (): string[] | undefined => stored()[0]!.trigger?.recurrence?.recurrenceRules;

  it('the offered one, fifteen minutes before: one PUT to the same distance before the new bedtime', async () => {
    const h = skill();
    await h.utter('set my bedtime to ten thirty pm');
    await h.utter('yes');
    const r = await h.utter('set my bedtime to eleven pm');
    expect(textOf(r)).toBe(`${say.bedtimeSet('23:00', 'disabled')} ${say.reminderMoved('22:45')}`);
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(apis.reminders.size).toBe(1);
    expect(rulesOf()).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=45;BYSECOND=0;INTERVAL=1']);
  });

  it('"remind me at my bedtime", at the bedtime itself, also in a later Alexa session', async () => {
    const first = skill({ now: () => NIGHT });
    await first.utter('set my bedtime to ten thirty pm');
    await first.utter('remind me at my bedtime');
    const later = skill({ sameUserAs: first });
    expect(textOf(await later.utter('set my bedtime to eleven pm'))).toBe(`${say.bedtimeSet('23:00', 'disabled')} ${say.reminderMoved('23:00')}`);
    expect(rulesOf()).toEqual(['FREQ=DAILY;BYHOUR=23;BYMINUTE=0;BYSECOND=0;INTERVAL=1']);
  });

  it('one set at a time of its own stays where it was', async () => {
    const h = skill();
    await h.utter('remind me to wind down at ten p.m.');
    expect(textOf(await h.utter('set my bedtime to eleven pm'))).toBe(say.bedtimeSet('23:00', 'disabled'));
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST']);
  });

  it.each([403, 429, 500])('a move answered %i: one plain sentence, the bedtime saved all the same, and the next bedtime tries again', async (status) => {
    const h = skill();
    await h.utter('set my bedtime to ten thirty pm');
    await h.utter('yes');
    apis.failNext('/v1/alerts/reminders', status);
    const r = await h.utter('set my bedtime to eleven pm');
    expect(textOf(r)).toBe(`${say.bedtimeSet('23:00', 'disabled')} ${say.reminderNotMoved('22:15')}`);
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(textOf(await h.utter('when is my bedtime'))).toBe(say.bedtimeIs('23:00'));
    expect(rulesOf()).toEqual(['FREQ=DAILY;BYHOUR=22;BYMINUTE=15;BYSECOND=0;INTERVAL=1']);
    expect(textOf(await h.utter('set my bedtime to ten pm'))).toContain(say.reminderMoved('21:45'));
  });

  it('without the permission any more: nothing called, one plain sentence, the bedtime saved', async () => {
    const first = skill();
    await first.utter('set my bedtime to ten thirty pm');
    await first.utter('yes');
    const later = skill({ permission: 'none', sameUserAs: first });
    expect(textOf(await later.utter('set my bedtime to eleven pm'))).toBe(`${say.bedtimeSet('23:00', 'disabled')} ${say.reminderNotMoved('22:15')}`);
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST']);
    expect(textOf(await later.utter('when is my bedtime'))).toBe(say.bedtimeIs('23:00'));
  });

  it('one deleted in the Alexa app is forgotten without a word', async () => {
    const h = skill();
    await h.utter('set my bedtime to ten thirty pm');
    await h.utter('yes');
    apis.reminders.clear();
    expect(textOf(await h.utter('set my bedtime to eleven pm'))).toBe(say.bedtimeSet('23:00', 'disabled'));
    expect(textOf(await h.utter('set my bedtime to ten pm'))).toBe(say.bedtimeSet('22:00', 'disabled'));
    expect(reminderCalls().map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(apis.reminders.size).toBe(0);
  });
});
