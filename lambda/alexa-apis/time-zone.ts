/**
 * The device's time zone, from the Alexa Settings API (`GET /v2/devices/{deviceId}/settings/System.timeZone`
 * with the request's API token; no permission needed). Night decisions and reminders are made in the
 * listener's local time, never the Lambda's (UTC).
 *
 * The answer is cached per device for a few hours: a person rarely moves their Echo across zones, and a
 * launch at 3 a.m. should not wait on a second round trip. When the API is unreachable, slow or answers
 * something odd, the caller gets null and decides its own fallback; nothing here throws.
 */
import type { RequestEnvelope } from 'ask-sdk-model';
import { httpFetch, type AlexaFetch } from './http-fetch';

const CACHE_MS = 6 * 3_600_000;
/** A launch must answer within about 8 s; the zone is worth at most this much of it. */
const TIMEOUT_MS = 1_000;

interface Cached {
  zone: string;
  until: number;
}

const cache = new Map<string, Cached>();

/** A real IANA zone name, as the runtime's own Intl knows it (rejects anything else the API might say). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface TimeZoneOptions {
  now: () => number;
  /** Default: `httpFetch`, as for the reminders (see there why not the global `fetch`). */
  fetch?: AlexaFetch;
}

/** The device's IANA time zone, or null when it cannot be known now. */
export async function deviceTimeZone(envelope: RequestEnvelope, options: TimeZoneOptions): Promise<string | null> {
  const system = envelope.context?.System;
  const deviceId = system?.device?.deviceId;
  const endpoint = system?.apiEndpoint;
  const token = system?.apiAccessToken;
  if (deviceId === undefined || endpoint === undefined || token === undefined) return null;
  const now = options.now();
  const hit = cache.get(deviceId);
  if (hit !== undefined && hit.until > now) return hit.zone;
  const doFetch = options.fetch ?? httpFetch;
  try {
    const url = `${endpoint.replace(/\/+$/, '')}/v2/devices/${encodeURIComponent(deviceId)}/settings/System.timeZone`;
    const res = await doFetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) return hit?.zone ?? null;
    const zone: unknown = await res.json();
    if (!isTimeZone(zone)) return hit?.zone ?? null;
    cache.set(deviceId, { zone, until: now + CACHE_MS });
    return zone;
  } catch {
    // Unreachable or too slow: a stale answer is better than none, none is better than a wait.
    return hit?.zone ?? null;
  }
}

/** Forget every cached zone (tests, and a warm Lambda that must not carry one test's zone into another). */
export function clearTimeZoneCache(): void {
  cache.clear();
}

/** Hours and minutes on the wall clock in `zone` at `at`. */
export function localClock(at: number, zone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return { hour: hour % 24, minute };
}
