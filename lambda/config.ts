/**
 * The skill's settings: one schema, built from the shared pieces in `src/config/`, read once from the
 * environment. Problems are collected and reported together, each naming its variable and never
 * repeating a secret. A bad value falls back to its default, and any problem switches the home link
 * off (the voice still works) rather than failing every request: a link that is half configured would
 * fail in confusing ways at bedtime.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { mqttSettings, mqttVariables, type ReadText } from '../src/config/mqtt';
import { describeIssues, gather, variableAt, type Variables } from '../src/config/problems';
import { BAD, HOME_ID_EXPECTED, HOME_KEY_EXPECTED, homeId, homeKey, optional, text, wholeNumber, withDefault, type Parse } from '../src/config/setting';
import { isTimeZone } from './alexa-apis/time-zone';

/**
 * The skill takes no fixed MQTT client id: Lambda runs several containers at once, and a broker
 * disconnects a client when another connects with the same id.
 */
export const SKILL_VARIABLES: Variables = {
  ...mqttVariables('WINDDOWN_MQTT', 'mqtt', { tls: true, clientId: false }),
  WINDDOWN_HOME_ID: { path: 'homeId', shown: 'value' },
  WINDDOWN_HOME_KEY: { path: 'homeKey' },
  WINDDOWN_SKILL_ID: { path: 'skillId', shown: 'value' },
  WINDDOWN_DYNAMODB_TABLE: { path: 'dynamoTable', shown: 'value' },
  WINDDOWN_VOICE_LATENCY_MS: { path: 'voiceLatencyMs', shown: 'value' },
  WINDDOWN_PUBLISH_TIMEOUT_MS: { path: 'publishTimeoutMs', shown: 'value' },
  WINDDOWN_DIFFUSER_MINUTES: { path: 'diffuserMinutes', shown: 'value' },
  WINDDOWN_MAX_SPEECH_CHARS: { path: 'maxSpeechChars', shown: 'value' },
  WINDDOWN_TIME_ZONE: { path: 'timeZone', shown: 'value' },
};

const ZONE_EXPECTED = 'an IANA time zone such as America/New_York';
const timeZoneName: Parse<string> = (input) => (isTimeZone(typeof input === 'string' ? input.trim() : input) ? (input as string).trim() : BAD);

const ms = (min: number, max: number): string => `a whole number of milliseconds from ${min} to ${max}`;

export function skillSettings(readFile: ReadText) {
  return z.object({
    /** Undefined: no home link configured; the skill speaks but sends nothing. */
    mqtt: z.optional(mqttSettings(readFile)),
    /** Personal mode: the one home this skill drives. Undefined: hosted, each user pairs their own home. */
    homeId: optional(HOME_ID_EXPECTED, homeId),
    /** Signs every command; the home's bridge has the same key and obeys nothing else. */
    homeKey: optional(HOME_KEY_EXPECTED, homeKey),
    /** When set, requests for any other skill are refused. */
    skillId: optional('the skill id from the Alexa developer console', text),
    dynamoTable: optional('a DynamoDB table name', text),
    /** From issuing a response until Alexa starts speaking it, estimated. */
    voiceLatencyMs: withDefault(ms(0, 10_000), wholeNumber(0, 10_000), 1500),
    /** How long a handler waits for the broker's PUBACK. */
    publishTimeoutMs: withDefault(ms(100, 5000), wholeNumber(100, 5000), 1500),
    /** How long the diffuser runs when turned on by voice or with a session. */
    diffuserMinutes: withDefault('whole minutes from 1 to 240', wholeNumber(1, 240), 30),
    /** Most characters of SSML in one response (Alexa fails at 8,000); smaller values split sessions into more parts. */
    maxSpeechChars: withDefault('a whole number of characters from 1000 to 7600', wholeNumber(1000, 7600), 7600),
    /**
     * The listeners' zone when a device's own cannot be read from the Settings API. Unset and unread,
     * the hour is not known, and a plain launch is the evening session.
     */
    timeZone: optional(ZONE_EXPECTED, timeZoneName),
  });
}

export type SkillConfig = z.output<ReturnType<typeof skillSettings>> & {
  /** Every problem found, one line each, naming its variable. */
  problems: string[];
};

const readText: ReadText = (file) => readFileSync(file, 'utf8');

export function readConfig(env: NodeJS.ProcessEnv = process.env, readFile: ReadText = readText): SkillConfig {
  const schema = skillSettings(readFile);
  const source: Record<string, unknown> = env;
  const first = schema.safeParse(gather(source, SKILL_VARIABLES), { reportInput: true });
  if (first.success) {
    if (first.data.mqtt === undefined || first.data.homeId === undefined || first.data.homeKey !== undefined) return { ...first.data, problems: [] };
    // Unsigned commands would all be dropped by the bridge: better no home link, said plainly.
    return { ...first.data, mqtt: undefined, problems: [`WINDDOWN_HOME_KEY: is required with WINDDOWN_MQTT_URL and WINDDOWN_HOME_ID: ${HOME_KEY_EXPECTED}, the same as the bridge's`] };
  }

  const problems = describeIssues(first.error.issues, SKILL_VARIABLES);
  // Again without the bad values (their defaults apply) and without the home link.
  const bad = new Set(first.error.issues.map((issue) => variableAt(issue.path, SKILL_VARIABLES)));
  const rest = Object.fromEntries(Object.entries(source).filter(([name]) => !bad.has(name) && !name.startsWith('WINDDOWN_MQTT_')));
  const second = schema.safeParse(gather(rest, SKILL_VARIABLES));
  const data = second.success ? second.data : schema.parse({});
  return { ...data, mqtt: undefined, problems };
}
