/**
 * All bridge settings in one schema. They come from the environment and, optionally, a JSON file with
 * the same keys (`winddown bridge --config FILE`); the environment wins where both set a key. Every
 * problem is collected and reported together, each naming its key and what it expected, so one start
 * shows everything there is to fix.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { HomeId } from '../src/protocol/messages';
import { isTimeZone, systemTimeZone } from './time-zone';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type DiffuserSpec =
  | { kind: 'tasmota'; topic: string }
  | { kind: 'shelly'; deviceId: string }
  | { kind: 'zigbee2mqtt'; name: string }
  | { kind: 'mqtt'; topic: string; on: string; off: string };

export interface MqttSettings {
  url: string;
  username: string | undefined;
  password: string | undefined;
  /** PEM contents read from the configured files. */
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  /** Fixed, so the broker keeps the session (and QoS 1 commands) while the bridge is away. */
  clientId: string;
}

export interface HueSettings {
  url: string;
  host: string;
  port: number | undefined;
  /** https: a real bridge (certificate checked against its id); http: an emulator. */
  secure: boolean;
  username: string;
  lights: number[] | null;
  /** A group id or a room name. */
  group: string | null;
}

export interface BridgeConfig {
  homeId: string;
  mqtt: MqttSettings;
  hue: HueSettings | null;
  diffuser: { spec: DiffuserSpec; mqtt: MqttSettings | null; maxMinutes: number } | null;
  diffuserMaxMinutes: number;
  /** How long a non-final part holds its last light level for the next part before the session ends. */
  sessionHoldMinutes: number;
  stateDir: string;
  timeZone: string;
  haDiscovery: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
}

const mqttUrl = z
  .string()
  .refine((v) => {
    try {
      return ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected a broker URL such as mqtt://host:1883 or mqtts://host:8883');

const hueUrl = z
  .string()
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && (url.pathname === '/' || url.pathname === '');
    } catch {
      return false;
    }
  }, 'expected https://<bridge-ip> (a real bridge) or http://host:port (an emulator)');

const filePath = z.string().min(1).refine((p) => existsSync(p), 'expected a readable file (it does not exist)');

const flag = z
  .union([z.boolean(), z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])], { error: 'expected 1 or 0' })
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

const minutes = z.coerce
  .number({ error: 'expected whole minutes from 1 to 240' })
  .int('expected whole minutes from 1 to 240')
  .min(1, 'expected whole minutes from 1 to 240')
  .max(240, 'expected whole minutes from 1 to 240');

const lightIds = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .transform((v, ctx) => {
    const parts = (Array.isArray(v) ? v.map(String) : v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    const ids = parts.map(Number);
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id < 1)) {
      ctx.addIssue({ code: 'custom', message: 'expected comma-separated Hue light ids such as 1,2,3' });
      return z.NEVER;
    }
    return [...new Set(ids)];
  });

const timeZone = z.string().refine((tz) => isTimeZone(tz), 'expected an IANA time zone such as Europe/London');

const trimmed = z.string().trim().min(1, 'expected a non-empty value');

/** Parse `WINDDOWN_DIFFUSER`: `tasmota:<topic>`, `shelly:<id>`, `zigbee2mqtt:<name>` or `mqtt:<topic>:<on>:<off>`. */
export function parseDiffuserSpec(spec: string): DiffuserSpec | string {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  const wild = /[+#\0]/;
  const usage = 'expected tasmota:<topic>, shelly:<device id>, zigbee2mqtt:<friendly name> or mqtt:<command topic>:<on payload>:<off payload>';
  if (rest === '' || wild.test(rest)) return usage;
  switch (kind) {
    case 'tasmota':
      return rest.includes('/') ? 'expected tasmota:<topic> with a topic without "/"' : { kind, topic: rest };
    case 'shelly':
      return { kind, deviceId: rest };
    case 'zigbee2mqtt':
      return { kind, name: rest };
    case 'mqtt': {
      const parts = rest.split(':');
      if (parts.length < 3) return 'expected mqtt:<command topic>:<on payload>:<off payload>';
      const off = parts.pop() as string;
      const on = parts.pop() as string;
      const topic = parts.join(':');
      if (topic === '' || on === '' || off === '') return 'expected mqtt:<command topic>:<on payload>:<off payload>, all three non-empty';
      return { kind, topic, on, off };
    }
    default:
      return usage;
  }
}

/** The settings as written: every key, its raw value checked on its own. */
export const RawConfig = z.object({
  WINDDOWN_MQTT_URL: mqttUrl,
  WINDDOWN_MQTT_USERNAME: trimmed.optional(),
  WINDDOWN_MQTT_PASSWORD: z.string().optional(),
  WINDDOWN_MQTT_CA: filePath.optional(),
  WINDDOWN_MQTT_CERT: filePath.optional(),
  WINDDOWN_MQTT_KEY: filePath.optional(),
  WINDDOWN_MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected up to 64 letters, digits, _ . -').optional(),
  WINDDOWN_HOME_ID: z
    .string({ error: "expected this home's id (letters, digits, _ and -, up to 64)" })
    .refine((v) => HomeId.safeParse(v).success, "expected this home's id (letters, digits, _ and -, up to 64)"),
  WINDDOWN_HUE_URL: hueUrl.optional(),
  WINDDOWN_HUE_USERNAME: trimmed.optional(),
  WINDDOWN_HUE_LIGHTS: lightIds.optional(),
  WINDDOWN_HUE_GROUP: z.union([trimmed, z.number().int().min(0).transform(String)]).optional(),
  WINDDOWN_DIFFUSER: z
    .string()
    .transform((v, ctx) => {
      const spec = parseDiffuserSpec(v.trim());
      if (typeof spec === 'string') {
        ctx.addIssue({ code: 'custom', message: spec });
        return z.NEVER;
      }
      return spec;
    })
    .optional(),
  WINDDOWN_DIFFUSER_MQTT_URL: mqttUrl.optional(),
  WINDDOWN_DIFFUSER_MQTT_USERNAME: trimmed.optional(),
  WINDDOWN_DIFFUSER_MQTT_PASSWORD: z.string().optional(),
  WINDDOWN_DIFFUSER_MAX_MINUTES: minutes.default(60),
  WINDDOWN_SESSION_HOLD_MINUTES: z.coerce
    .number({ error: 'expected whole minutes from 1 to 60' })
    .int('expected whole minutes from 1 to 60')
    .min(1, 'expected whole minutes from 1 to 60')
    .max(60, 'expected whole minutes from 1 to 60')
    .default(5),
  WINDDOWN_STATE_DIR: trimmed.optional(),
  TZ: timeZone.optional(),
  WINDDOWN_HA_DISCOVERY: flag.default(false),
  WINDDOWN_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});
export type RawConfig = z.infer<typeof RawConfig>;
export const CONFIG_KEYS = Object.keys(RawConfig.shape) as (keyof RawConfig)[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Config: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A JSON file with the same keys; the environment overrides it. */
  file?: string;
}

const SECRET_KEYS = new Set(['WINDDOWN_MQTT_PASSWORD', 'WINDDOWN_DIFFUSER_MQTT_PASSWORD', 'WINDDOWN_HUE_USERNAME']);

function describe(issue: z.core.$ZodIssue): string {
  const key = String(issue.path[0] ?? '(config)');
  let message = issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) message = `is required: ${message.replace(/^Invalid input: /, '')}`;
  const shown = SECRET_KEYS.has(key) || issue.input === undefined || typeof issue.input === 'object' ? '' : ` (got ${JSON.stringify(issue.input)})`;
  return `${key}: ${message}${shown}`;
}

/** Reads, validates and shapes the bridge's settings, or throws one ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): BridgeConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};

  if (options.file) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(options.file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`--config ${options.file}: expected a readable JSON file (${error instanceof Error ? error.message : String(error)})`]);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new ConfigError([`--config ${options.file}: expected a JSON object of settings`]);
    }
    for (const [key, value] of Object.entries(data)) {
      if (!(CONFIG_KEYS as string[]).includes(key)) {
        if (key.startsWith('WINDDOWN_')) problems.push(`${key}: unknown setting in ${options.file} (known: ${CONFIG_KEYS.join(', ')})`);
        continue;
      }
      raw[key] = value;
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }

  const parsed = RawConfig.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describe));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;

  // Settings that only make sense together.
  if (c.WINDDOWN_HUE_URL) {
    if (!c.WINDDOWN_HUE_USERNAME) problems.push('WINDDOWN_HUE_USERNAME: is required with WINDDOWN_HUE_URL: expected the user `winddown hue pair` printed');
    if (!c.WINDDOWN_HUE_LIGHTS && c.WINDDOWN_HUE_GROUP === undefined) {
      problems.push('WINDDOWN_HUE_LIGHTS: expected light ids (e.g. 1,2,3), or WINDDOWN_HUE_GROUP a group id or room name; `winddown hue lights` lists them');
    }
    if (c.WINDDOWN_HUE_LIGHTS && c.WINDDOWN_HUE_GROUP !== undefined) {
      problems.push('WINDDOWN_HUE_GROUP: expected either WINDDOWN_HUE_LIGHTS or WINDDOWN_HUE_GROUP, not both');
    }
  } else {
    for (const key of ['WINDDOWN_HUE_USERNAME', 'WINDDOWN_HUE_LIGHTS', 'WINDDOWN_HUE_GROUP'] as const) {
      if (c[key] !== undefined) problems.push(`${key}: is set but WINDDOWN_HUE_URL is not: expected WINDDOWN_HUE_URL too`);
    }
  }
  if (!c.WINDDOWN_DIFFUSER) {
    for (const key of ['WINDDOWN_DIFFUSER_MQTT_URL', 'WINDDOWN_DIFFUSER_MQTT_USERNAME', 'WINDDOWN_DIFFUSER_MQTT_PASSWORD'] as const) {
      if (c[key] !== undefined) problems.push(`${key}: is set but WINDDOWN_DIFFUSER is not: expected WINDDOWN_DIFFUSER too`);
    }
  }
  if ((c.WINDDOWN_MQTT_CERT === undefined) !== (c.WINDDOWN_MQTT_KEY === undefined)) {
    problems.push('WINDDOWN_MQTT_KEY: expected WINDDOWN_MQTT_CERT and WINDDOWN_MQTT_KEY together (a client certificate and its key)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const read = (file: string | undefined): Buffer | undefined => (file ? readFileSync(file) : undefined);
  const clientId = c.WINDDOWN_MQTT_CLIENT_ID ?? `winddown-bridge-${c.WINDDOWN_HOME_ID}`;
  const mqtt: MqttSettings = {
    url: c.WINDDOWN_MQTT_URL,
    username: c.WINDDOWN_MQTT_USERNAME,
    password: c.WINDDOWN_MQTT_PASSWORD,
    ca: read(c.WINDDOWN_MQTT_CA),
    cert: read(c.WINDDOWN_MQTT_CERT),
    key: read(c.WINDDOWN_MQTT_KEY),
    clientId,
  };

  let hue: HueSettings | null = null;
  if (c.WINDDOWN_HUE_URL && c.WINDDOWN_HUE_USERNAME) {
    const url = new URL(c.WINDDOWN_HUE_URL);
    hue = {
      url: c.WINDDOWN_HUE_URL,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : undefined,
      secure: url.protocol === 'https:',
      username: c.WINDDOWN_HUE_USERNAME,
      lights: c.WINDDOWN_HUE_LIGHTS ?? null,
      group: c.WINDDOWN_HUE_GROUP ?? null,
    };
  }

  const diffuser = c.WINDDOWN_DIFFUSER
    ? {
        spec: c.WINDDOWN_DIFFUSER,
        maxMinutes: c.WINDDOWN_DIFFUSER_MAX_MINUTES,
        mqtt: c.WINDDOWN_DIFFUSER_MQTT_URL
          ? {
              url: c.WINDDOWN_DIFFUSER_MQTT_URL,
              username: c.WINDDOWN_DIFFUSER_MQTT_USERNAME,
              password: c.WINDDOWN_DIFFUSER_MQTT_PASSWORD,
              ca: undefined,
              cert: undefined,
              key: undefined,
              clientId: `${clientId}-plug`,
            }
          : null,
      }
    : null;

  return {
    homeId: c.WINDDOWN_HOME_ID,
    mqtt,
    hue,
    diffuser,
    diffuserMaxMinutes: c.WINDDOWN_DIFFUSER_MAX_MINUTES,
    sessionHoldMinutes: c.WINDDOWN_SESSION_HOLD_MINUTES,
    stateDir: path.resolve(c.WINDDOWN_STATE_DIR ?? path.join(homedir(), '.winddown')),
    // Without TZ, the zone this machine is set to (Raspberry Pi OS links /etc/localtime); UTC if it says none.
    timeZone: c.TZ ?? systemTimeZone(env, readlinkSync) ?? 'UTC',
    haDiscovery: c.WINDDOWN_HA_DISCOVERY,
    logLevel: c.WINDDOWN_LOG_LEVEL,
  };
}
