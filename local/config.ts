/**
 * The local run's settings (`winddown start`, `winddown say`): one schema built from the shared pieces
 * in `src/config/`. Each device is real when its setting names one and simulated otherwise; the home
 * bridge and the skill inside read their own settings as they do anywhere else. Before anything starts,
 * the bridge's settings are checked as the local run will give them, so one start reports every
 * problem, the local run's and the bridge's, together.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { ConfigError, loadConfig } from '../devices/config';
import { mqttSettings, mqttVariables, type ReadText } from '../src/config/mqtt';
import { describeIssues, gather, type Variables } from '../src/config/problems';
import { BAD, HOME_ID_EXPECTED, homeId, LOG_LEVEL_EXPECTED, logLevel, oneOf, optional, text, wholeNumber, withDefault, type Parse } from '../src/config/setting';

export const DEFAULT_LOCAL_PORT = 8787;
/** The time the local "voice" takes to start: the reply appears on screen at once. */
export const LOCAL_VOICE_LATENCY_MS = 300;
export const SIMULATED_PLUG_TOPIC = 'winddown-diffuser';

export const LOCAL_VARIABLES: Variables = {
  ...mqttVariables('WINDDOWN_MQTT', 'mqtt', { tls: true, clientId: true }),
  WINDDOWN_HOME_ID: { path: 'homeId', shown: 'value' },
  WINDDOWN_HUE_URL: { path: 'hueUrl', shown: 'url' },
  WINDDOWN_DIFFUSER: { path: 'diffuser', shown: 'value' },
  WINDDOWN_STATE_DIR: { path: 'stateDir', shown: 'value' },
  WINDDOWN_LOG_LEVEL: { path: 'logLevel', shown: 'value' },
  WINDDOWN_LOG_FORMAT: { path: 'logFormat', shown: 'value' },
  WINDDOWN_VOICE_LATENCY_MS: { path: 'voiceLatencyMs', shown: 'value' },
  WINDDOWN_ALEXA_VERIFY: { path: 'alexaVerify', shown: 'value' },
  WINDDOWN_LOCAL_HOST: { path: 'host', shown: 'value' },
  WINDDOWN_LOCAL_PORT: { path: 'port', shown: 'value' },
  WINDDOWN_LOCAL_URL: { path: 'url', shown: 'url' },
  WINDDOWN_SKILL_ID: { path: 'skillId', shown: 'value' },
};

const httpUrl: Parse<string> = (input) => {
  if (typeof input !== 'string') return BAD;
  try {
    const url = new URL(input.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? input.trim().replace(/\/$/, '') : BAD;
  } catch {
    return BAD;
  }
};

export function localSettings(readFile: ReadText) {
  return z.object({
    /** Undefined: a broker in this process. */
    mqtt: z.optional(mqttSettings(readFile)),
    homeId: withDefault(HOME_ID_EXPECTED, homeId, 'home'),
    /** Undefined: the simulated Hue bridge (checked in full by the bridge's settings). */
    hueUrl: optional('a Hue bridge URL', text),
    /** Undefined: the simulated Tasmota plug (checked in full by the bridge's settings). */
    diffuser: optional('a diffuser plug', text),
    /** Where the bridge and the skill keep their state, and where `start` leaves its address for `say`. */
    stateDir: withDefault('a directory', text, path.join('.winddown', 'local')),
    logLevel: withDefault(LOG_LEVEL_EXPECTED, logLevel, 'info'),
    /** auto: readable lines at a terminal, JSON lines when piped. */
    logFormat: withDefault('json, pretty or auto', oneOf(['json', 'pretty', 'auto'] as const), 'auto'),
    voiceLatencyMs: withDefault('a whole number of milliseconds from 0 to 10000', wholeNumber(0, 10_000), LOCAL_VOICE_LATENCY_MS),
    /** `always`: even requests from this machine must carry Alexa's signature. */
    alexaVerify: withDefault('always or remote', oneOf(['always', 'remote'] as const), 'remote'),
    host: withDefault('an address to listen on, such as 127.0.0.1', text, '127.0.0.1'),
    port: withDefault('a port number from 0 to 65535', wholeNumber(0, 65_535), DEFAULT_LOCAL_PORT),
    /** A running `winddown start` for `say` to talk to. */
    url: optional('http://host:port of a running `winddown start`', httpUrl),
    /** Required when listening beyond this machine: only this skill's signed requests are answered. */
    skillId: optional('the skill id from the Alexa developer console', text),
  });
}

export type LocalConfig = z.output<ReturnType<typeof localSettings>>;

/** The simulated parts the bridge is given when no real one is configured. */
export interface SimulatedParts {
  /** The key this run made for its bridge and its skill (the local run needs no setting for it). */
  homeKey: string;
  mqttUrl?: string;
  hue?: { url: string; username: string };
  plugTopic?: string;
}

/** The bridge's environment in the local run: what was configured, with the simulators where nothing was. */
export function bridgeEnvFor(env: NodeJS.ProcessEnv, config: LocalConfig, simulated: SimulatedParts): NodeJS.ProcessEnv {
  const bridgeEnv: NodeJS.ProcessEnv = {
    ...env,
    WINDDOWN_HOME_ID: config.homeId,
    WINDDOWN_HOME_KEY: simulated.homeKey,
    WINDDOWN_STATE_DIR: path.join(path.resolve(config.stateDir), 'bridge'),
  };
  if (simulated.mqttUrl !== undefined) bridgeEnv.WINDDOWN_MQTT_URL = simulated.mqttUrl;
  if (simulated.hue) {
    Object.assign(bridgeEnv, { WINDDOWN_HUE_URL: simulated.hue.url, WINDDOWN_HUE_USERNAME: simulated.hue.username, WINDDOWN_HUE_GROUP: 'Bedroom' });
    delete bridgeEnv.WINDDOWN_HUE_LIGHTS;
  }
  if (simulated.plugTopic !== undefined) {
    bridgeEnv.WINDDOWN_DIFFUSER = `tasmota:${simulated.plugTopic}`;
    delete bridgeEnv.WINDDOWN_DIFFUSER_MQTT_URL;
  }
  return bridgeEnv;
}

const readText: ReadText = (file) => readFileSync(file, 'utf8');

/** The local run's settings, or one ConfigError with every problem, the bridge's included. */
export function loadLocalConfig(env: NodeJS.ProcessEnv = process.env, readFile: ReadText = readText): LocalConfig {
  const parsed = localSettings(readFile).safeParse(gather(env, LOCAL_VARIABLES), { reportInput: true });
  const problems = parsed.success ? [] : describeIssues(parsed.error.issues, LOCAL_VARIABLES);
  // The bridge as it will be started, with stand-ins for the simulators that do not run yet.
  const config = parsed.success ? parsed.data : localSettings(readFile).parse({});
  const preview = bridgeEnvFor(env, config, {
    // Any key the checks accept: the run makes its real one at start.
    homeKey: randomBytes(32).toString('hex'),
    ...(env.WINDDOWN_MQTT_URL?.trim() ? {} : { mqttUrl: 'mqtt://127.0.0.1:1883' }),
    ...(env.WINDDOWN_HUE_URL?.trim() ? {} : { hue: { url: 'http://127.0.0.1:80', username: 'simulated' } }),
    ...(env.WINDDOWN_DIFFUSER?.trim() ? {} : { plugTopic: SIMULATED_PLUG_TOPIC }),
  });
  try {
    loadConfig({ env: preview });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const named = new Set(problems.map((p) => p.split(':')[0]));
    // A variable both check (the broker URL, the home id) is reported once.
    problems.push(...error.problems.filter((p) => !named.has(p.split(':')[0])));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
