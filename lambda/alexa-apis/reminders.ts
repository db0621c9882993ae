/**
 * The Alexa Reminders API (`/v1/alerts/reminders` with the request's API access token): one daily
 * reminder to wind down, written, moved and deleted. The request body is built by a pure function; the
 * calls make one attempt each and answer an outcome instead of throwing, so a refusal, a throttle or an
 * outage becomes one plain sentence and never a retry storm against a service that is already unhappy.
 *
 * Every call shares one deadline: a reply has to reach Alexa within about 8 s, and the time zone, the
 * persistence read and the home link need their share of it.
 */
import type { RequestEnvelope, services } from 'ask-sdk-model';
import { httpFetch, type AlexaFetch } from './http-fetch';
import { localClock } from './time-zone';

export const REMINDERS_PERMISSION = 'alexa::alerts:reminders:skill:readwrite';

/** What the reminder says when it goes off: what to say next, in words the interaction model hears. */
export const REMINDER_TEXT = 'Time to wind down. Say: Alexa, start wind down.';

/** All the Reminders API calls of one request together get at most this long. */
export const REMINDER_BUDGET_MS = 4_000;

export type ReminderFailure =
  /** The token was refused: nothing the listener can do but try later. */
  | 'unauthorized'
  /** The permission is not (or no longer) granted. */
  | 'forbidden'
  /** No reminder with that token (deleted in the Alexa app). */
  | 'not-found'
  | 'throttled'
  /** 5xx, unreachable, or no answer in time. */
  | 'unavailable'
  /** Any other 4xx, such as too many reminders or a body it refused. */
  | 'rejected';

export type ReminderOutcome = { ok: true; alertToken: string } | { ok: false; failure: ReminderFailure; status: number | null };

/**
 * Whether the listener granted the reminders permission. `scopes` names it when Alexa sends it; older
 * requests carry only a consent token, which this skill can only have been given for reminders.
 */
export function remindersGranted(envelope: RequestEnvelope): boolean {
  const permissions = envelope.context?.System?.user?.permissions;
  if (permissions === undefined) return false;
  const scope = permissions.scopes?.[REMINDERS_PERMISSION];
  if (scope !== undefined) return scope.status === 'GRANTED';
  return typeof permissions.consentToken === 'string' && permissions.consentToken.length > 0;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The calendar date on the wall in `zone` (or UTC when the zone is unknown) at `at`. */
function localDate(at: number, zone: string | null): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone ?? 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: part('year'), month: part('month'), day: part('day') };
}

/**
 * The first local "YYYY-MM-DDTHH:MM:00.000" at `clock` from `now` on: today if it is still ahead,
 * otherwise tomorrow. No offset: the API reads it in `timeZoneId` (or the device's own zone).
 */
export function nextLocalTime(clock: string, now: number, zone: string | null): string {
  const [hour = 0, minute = 0] = clock.split(':').map(Number);
  const today = localDate(now, zone);
  const localNow = localClock(now, zone ?? 'UTC');
  const later = hour * 60 + minute > localNow.hour * 60 + localNow.minute;
  const date = new Date(Date.UTC(today.year, today.month - 1, today.day + (later ? 0 : 1)));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(hour)}:${pad(minute)}:00.000`;
}

export interface ReminderPlan {
  /** "HH:MM", local to the device. */
  clock: string;
  /** IANA zone of the device; null lets the API use the device's own zone. */
  zone: string | null;
  /** Request locale, which the spoken text is written in. */
  locale: string;
  /** When it is asked for (ms since the epoch). */
  now: number;
}

/** The body for POST and PUT: absolute, every day at the clock time, spoken and pushed to the phone. */
export function reminderRequest(plan: ReminderPlan): services.reminderManagement.ReminderRequest {
  const [hour = 0, minute = 0] = plan.clock.split(':').map(Number);
  const firstAt = nextLocalTime(plan.clock, plan.now, plan.zone);
  return {
    requestTime: new Date(plan.now).toISOString().replace(/Z$/, ''),
    trigger: {
      type: 'SCHEDULED_ABSOLUTE',
      scheduledTime: firstAt,
      ...(plan.zone === null ? {} : { timeZoneId: plan.zone }),
      recurrence: {
        startDateTime: firstAt,
        // The documented form; `freq: DAILY` is deprecated.
        recurrenceRules: [`FREQ=DAILY;BYHOUR=${hour};BYMINUTE=${minute};BYSECOND=0;INTERVAL=1`],
      },
    },
    alertInfo: { spokenInfo: { content: [{ locale: plan.locale, text: REMINDER_TEXT }] } },
    pushNotification: { status: 'ENABLED' },
  };
}

function failureOf(status: number): ReminderFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}

export interface RemindersClient {
  create(body: services.reminderManagement.ReminderRequest): Promise<ReminderOutcome>;
  /** Moves an existing reminder; `not-found` when it is gone. */
  update(alertToken: string, body: services.reminderManagement.ReminderRequest): Promise<ReminderOutcome>;
  /** Deleting one that is already gone counts as done. */
  remove(alertToken: string): Promise<ReminderOutcome>;
}

/**
 * A client for this request: its endpoint and token, and one shared deadline for every call it makes.
 * Null when the request carries no API access (then there is nothing to call).
 */
export function remindersClient(envelope: RequestEnvelope, options: { fetch?: AlexaFetch; budgetMs?: number } = {}): RemindersClient | null {
  const endpoint = envelope.context?.System?.apiEndpoint;
  const token = envelope.context?.System?.apiAccessToken;
  if (endpoint === undefined || token === undefined || token === '') return null;
  const base = `${endpoint.replace(/\/+$/, '')}/v1/alerts/reminders`;
  const doFetch = options.fetch ?? httpFetch;
  const signal = AbortSignal.timeout(options.budgetMs ?? REMINDER_BUDGET_MS);
  /** One attempt; `read` takes what is needed from a 2xx answer. */
  const call = async (method: string, url: string, body: unknown, read: (answer: unknown) => string | null): Promise<ReminderOutcome> => {
    try {
      const res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      if (!res.ok) return { ok: false, failure: failureOf(res.status), status: res.status };
      const alertToken = read(method === 'POST' ? await res.json() : undefined);
      return alertToken === null ? { ok: false, failure: 'unavailable', status: res.status } : { ok: true, alertToken };
    } catch {
      return { ok: false, failure: 'unavailable', status: null };
    }
  };
  const one = (alertToken: string): string => `${base}/${encodeURIComponent(alertToken)}`;
  const tokenIn = (answer: unknown): string | null => {
    const alertToken = (answer as { alertToken?: unknown } | null)?.alertToken;
    return typeof alertToken === 'string' && alertToken !== '' ? alertToken : null;
  };
  return {
    create: (body) => call('POST', base, body, tokenIn),
    update: (alertToken, body) => call('PUT', one(alertToken), body, () => alertToken),
    remove: async (alertToken) => {
      const outcome = await call('DELETE', one(alertToken), undefined, () => alertToken);
      return outcome.ok || outcome.failure === 'not-found' ? { ok: true, alertToken } : outcome;
    },
  };
}
