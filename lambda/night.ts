/**
 * Whether it is the middle of the night where the listener is. Between midnight and 5 a.m. on the
 * device's own clock, someone asking to sleep has woken in the night: the room stays dark, nothing
 * brightens, no scent starts, and the voice is soft.
 *
 * The device's zone comes from the Alexa Settings API; when it cannot be read, the skill's configured
 * zone (`WINDDOWN_TIME_ZONE`) stands in; with neither, the hour is unknown and it is not treated as
 * night (the evening session is what most launches want, and the bridge still never lets a dark
 * session switch a lamp on).
 */
import type { HandlerInput } from 'ask-sdk-core';
import { localClock } from './alexa-apis/time-zone';
import type { SkillDeps } from './context';

/** Night is [NIGHT_STARTS_HOUR, NIGHT_ENDS_HOUR) on the device's clock. */
export const NIGHT_STARTS_HOUR = 0;
export const NIGHT_ENDS_HOUR = 5;

/** Whether `at` falls in the night in `zone`. */
export function isNightIn(at: number, zone: string): boolean {
  const { hour } = localClock(at, zone);
  return hour >= NIGHT_STARTS_HOUR && hour < NIGHT_ENDS_HOUR;
}

const NIGHT_KEY = 'winddownNight';

/** Whether this request comes in the night (asked once per request, whoever asks). */
export async function isNight(h: HandlerInput, deps: SkillDeps): Promise<boolean> {
  const attributes = h.attributesManager.getRequestAttributes();
  const known = attributes[NIGHT_KEY] as boolean | undefined;
  if (known !== undefined) return known;
  const zone = (await deps.timeZone(h.requestEnvelope)) ?? deps.config.timeZone ?? null;
  const night = zone !== null && isNightIn(deps.now(), zone);
  attributes[NIGHT_KEY] = night;
  return night;
}
