/**
 * The skill's settings, read once from the environment. Problems are collected and reported together,
 * each naming its variable; a bad home-link setting switches the home link off (the voice still
 * works) rather than failing every request.
 */
import { readFileSync } from 'node:fs';
import { HomeId } from '../src/protocol/messages';

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  /** PEM text (read from the file the variable names, or given inline). */
  ca?: string;
  cert?: string;
  key?: string;
}

export interface SkillConfig {
  skillId?: string;
  homeId: string;
  /** Undefined: no home link configured; the skill speaks but sends nothing. */
  mqtt?: MqttSettings;
  dynamoTable?: string;
  /** From issuing a response until Alexa starts speaking it, estimated. */
  voiceLatencyMs: number;
  /** How long a handler waits for the broker's PUBACK. */
  publishTimeoutMs: number;
  /** How long the diffuser runs when turned on by voice or with a session. */
  diffuserMinutes: number;
  /** Most characters of SSML in one response (Alexa fails at 8,000); smaller values split sessions into more parts. */
  maxSpeechChars: number;
  problems: string[];
}

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

export function readConfig(env: NodeJS.ProcessEnv = process.env): SkillConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const pem = (name: string): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    if (raw.startsWith('-----BEGIN')) return raw.replace(/\\n/g, '\n');
    try {
      return readFileSync(raw, 'utf8');
    } catch (error) {
      problems.push(`${name}: cannot read ${raw} (${errorCode(error)})`);
      return undefined;
    }
  };

  const homeId = text('WINDDOWN_HOME_ID') ?? 'home';
  if (!HomeId.safeParse(homeId).success) problems.push(`WINDDOWN_HOME_ID must be 1–64 letters, digits, "-" or "_", got "${homeId}"`);

  let mqtt: MqttSettings | undefined;
  const url = text('WINDDOWN_MQTT_URL');
  if (url !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      problems.push('WINDDOWN_MQTT_URL is not a URL');
    }
    if (protocol && !MQTT_PROTOCOLS.includes(protocol)) {
      problems.push(`WINDDOWN_MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://, got ${protocol}//`);
    }
    const settings: MqttSettings = { url };
    const optional = {
      username: text('WINDDOWN_MQTT_USERNAME'),
      password: text('WINDDOWN_MQTT_PASSWORD'),
      ca: pem('WINDDOWN_MQTT_CA'),
      cert: pem('WINDDOWN_MQTT_CERT'),
      key: pem('WINDDOWN_MQTT_KEY'),
    };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) settings[key as keyof typeof optional] = value;
    if ((settings.cert === undefined) !== (settings.key === undefined)) {
      problems.push('WINDDOWN_MQTT_CERT and WINDDOWN_MQTT_KEY go together (AWS IoT Core needs both)');
    }
    mqtt = settings;
  }

  const config: SkillConfig = {
    homeId,
    voiceLatencyMs: int('WINDDOWN_VOICE_LATENCY_MS', 1500, 0, 10_000),
    publishTimeoutMs: int('WINDDOWN_PUBLISH_TIMEOUT_MS', 1500, 100, 5_000),
    diffuserMinutes: int('WINDDOWN_DIFFUSER_MINUTES', 30, 1, 240),
    maxSpeechChars: int('WINDDOWN_MAX_SPEECH_CHARS', 7600, 1000, 7600),
    problems,
  };
  const skillId = text('WINDDOWN_SKILL_ID');
  if (skillId !== undefined) config.skillId = skillId;
  const table = text('WINDDOWN_DYNAMODB_TABLE');
  if (table !== undefined) config.dynamoTable = table;
  // A link that is half configured would fail in confusing ways at bedtime: leave it off and say why.
  if (mqtt !== undefined && problems.length === 0) config.mqtt = mqtt;
  return config;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
