/**
 * The Reminders API client on its own: the body it writes, whether the permission is granted, the first
 * local time it goes off, and that a call which does not answer is given up within its budget, once.
 */
import type { RequestEnvelope } from 'ask-sdk-model';
import type { AlexaFetch } from '../../../lambda/alexa-apis/http-fetch';
import { nextLocalTime, REMINDER_TEXT, reminderRequest, remindersClient, remindersGranted } from '../../../lambda/alexa-apis/reminders';
import { minutesBefore } from '../../../lambda/handlers/reminder-offer';
import { startAlexaApis } from '../../support/alexa-apis';
import { closedAtTeardown } from '../../support/teardown';

const PERMISSION = 'alexa::alerts:reminders:skill:readwrite';

function envelope(system: Record<string, unknown>): RequestEnvelope {
  return { version: '1.0', context: { System: { application: { applicationId: 'app' }, user: { userId: 'u' }, ...system } }, request: { type: 'IntentRequest', requestId: 'r', timestamp: '', locale: 'en-GB' } } as unknown as RequestEnvelope;
}

describe('the reminders permission', () => {
  it.each([
    [{}, false],
    [{ consentToken: 'c' }, true],
    [{ consentToken: '' }, false],
    [{ consentToken: 'c', scopes: { [PERMISSION]: { status: 'GRANTED' } } }, true],
    [{ consentToken: 'c', scopes: { [PERMISSION]: { status: 'DENIED' } } }, false],
    [{ scopes: { [PERMISSION]: { status: 'GRANTED' } } }, true],
  ])('permissions %j → granted %p', (permissions, granted) => {
    expect(remindersGranted(envelope({ user: { userId: 'u', permissions } }))).toBe(granted);
  });

  it('is not granted when the request has no permissions at all', () => {
    expect(remindersGranted(envelope({}))).toBe(false);
  });
});

describe('the first time it goes off', () => {
  // 20:00 in London, 7 December 2026 (GMT).
  const evening = Date.UTC(2026, 11, 7, 20, 0);
  it.each([
    ['22:00', 'Europe/London', '2026-12-07T22:00:00.000'],
    ['19:30', 'Europe/London', '2026-12-08T19:30:00.000'],
    ['20:00', 'Europe/London', '2026-12-08T20:00:00.000'],
    // 01:30 on the 8th in Kolkata: tonight's 22:00 there is on the 8th.
    ['22:00', 'Asia/Kolkata', '2026-12-08T22:00:00.000'],
    // 07:00 on the 8th in Sydney.
    ['06:45', 'Australia/Sydney', '2026-12-09T06:45:00.000'],
    // 15:00 on the 7th in New York.
    ['22:00', 'America/New_York', '2026-12-07T22:00:00.000'],
    ['22:00', null, '2026-12-07T22:00:00.000'],
  ])('%s in %s', (clock, zone, expected) => {
    expect(nextLocalTime(clock, evening, zone)).toBe(expected);
  });

  it('rolls over the end of a month and a year', () => {
    expect(nextLocalTime('21:00', Date.UTC(2026, 11, 31, 22, 0), 'UTC')).toBe('2027-01-01T21:00:00.000');
  });
});

describe('the reminder body', () => {
  it('is absolute and daily at the clock time, with no offset, spoken in the locale and pushed to the phone', () => {
    const body = reminderRequest({ clock: '21:45', zone: 'Europe/London', locale: 'en-GB', now: Date.UTC(2026, 5, 1, 12, 0) });
    expect(body).toEqual({
      requestTime: '2026-06-01T12:00:00.000',
      trigger: {
        type: 'SCHEDULED_ABSOLUTE',
        scheduledTime: '2026-06-01T21:45:00.000',
        timeZoneId: 'Europe/London',
        recurrence: { startDateTime: '2026-06-01T21:45:00.000', recurrenceRules: ['FREQ=DAILY;BYHOUR=21;BYMINUTE=45;BYSECOND=0;INTERVAL=1'] },
      },
      alertInfo: { spokenInfo: { content: [{ locale: 'en-GB', text: REMINDER_TEXT }] } },
      pushNotification: { status: 'ENABLED' },
    });
  });

  it('leaves the zone to the device when it is unknown', () => {
    const body = reminderRequest({ clock: '22:00', zone: null, locale: 'en-US', now: 0 });
    expect(body.trigger).not.toHaveProperty('timeZoneId');
  });
});

describe('the time before bedtime', () => {
  it.each([
    ['22:30', '22:15'],
    ['22:00', '21:45'],
    ['00:10', '23:55'],
    ['00:00', '23:45'],
  ])('fifteen minutes before %s is %s', (bedtime, expected) => {
    expect(minutesBefore(bedtime, 15)).toBe(expected);
  });
});

describe('the client', () => {
  it('is not made without an API token', () => {
    expect(remindersClient(envelope({ apiEndpoint: 'http://127.0.0.1:1' }))).toBeNull();
  });

  it('gives up a call that does not answer within its budget, once, as "unavailable"', async () => {
    let calls = 0;
    const hanging: AlexaFetch = (_url, init) => {
      calls += 1;
      // As fetch does: a signal already aborted rejects at once, a later abort rejects then.
      return new Promise((_resolve, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(signal.reason as Error);
        signal?.addEventListener('abort', () => reject(signal.reason as Error));
      });
    };
    const client = remindersClient(envelope({ apiEndpoint: 'http://127.0.0.1:1', apiAccessToken: 't' }), { fetch: hanging, budgetMs: 20 })!;
    const body = reminderRequest({ clock: '22:00', zone: null, locale: 'en-US', now: 0 });
    expect(await client.create(body)).toEqual({ ok: false, failure: 'unavailable', status: null });
    expect(calls).toBe(1);
    // The budget is shared: a second call in the same request is not given a fresh one.
    expect(await client.update('a', body)).toEqual({ ok: false, failure: 'unavailable', status: null });
  });

  it('treats deleting one already gone as done', async () => {
    const apis = await closedAtTeardown(startAlexaApis());
    const client = remindersClient(envelope({ apiEndpoint: apis.url, apiAccessToken: 't' }))!;
    expect(await client.remove('no-such-token')).toEqual({ ok: true, alertToken: 'no-such-token' });
    expect(apis.calls.map((c) => c.method)).toEqual(['DELETE']);
  });

  it('sends the bearer token, and a refused token is "unauthorized"', async () => {
    const apis = await closedAtTeardown(startAlexaApis({ token: 'right' }));
    const body = reminderRequest({ clock: '22:00', zone: null, locale: 'en-US', now: 0 });
    const wrong = remindersClient(envelope({ apiEndpoint: apis.url, apiAccessToken: 'wrong' }))!;
    expect(await wrong.create(body)).toEqual({ ok: false, failure: 'unauthorized', status: 401 });
    const right = remindersClient(envelope({ apiEndpoint: apis.url, apiAccessToken: 'right' }))!;
    expect(await right.create(body)).toEqual({ ok: true, alertToken: expect.any(String) as string });
    expect(apis.reminders.size).toBe(1);
  });
});
