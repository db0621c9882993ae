/**
 * The bridge's settings: one schema, built from the shared pieces in `src/config/`. They come from the
 * environment and, optionally, a JSON file with the same keys (`winddown bridge --config FILE`); the
 * environment wins where both set a key. Every problem is found in one pass, settings that need each
 * other included, and reported together by variable name, so one start shows everything to fix.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { mqttSettings, mqttVariables, type ReadText } from '../src/config/mqtt';
import { ConfigError, describeIssues, gather, type Variables } from '../src/config/problems';
import {
  BAD,
  Expected,
  flag,
  HOME_ID_EXPECTED,
  HOME_KEY_EXPECTED,
  homeId,
  homeKey,
  LOG_LEVEL_EXPECTED,
  logLevel,
  oneOf,
  optional,
  required,
  text,
  wholeNumber,
  withDefault,
  type Parse,
} from '../src/config/setting';
import { homeKeyWeakness } from '../src/protocol/signing';
import { IDENTITY_FILE, readIdentity, type Identity } from './pairing/identity';
import { hideSecrets } from './process/secrets';
import { normalizeFingerprint } from './lights/hue/fingerprint';
import { isTimeZone, systemTimeZone } from './diffuser/time-zone';
import { DIFFUSER_EXPECTED, parseDiffuserSpec, type DiffuserSpec } from './plugs';

export { ConfigError };

/** The plug kinds and their usage come from the registry in `plugs/`; config knows none of them. */
export { parseDiffuserSpec, type DiffuserSpec };

const diffuserSpec: Parse<DiffuserSpec> = (input) => {
  if (typeof input !== 'string') return BAD;
  const spec = parseDiffuserSpec(input.trim());
  return typeof spec === 'string' ? new Expected(spec.replace(/^expected /, '')) : spec;
};

const HUE_URL_EXPECTED = 'https://<bridge-ip> (a real bridge) or http://host:port (an emulator)';
const hueUrl: Parse<{ url: string; host: string; port: number | undefined; secure: boolean }> = (input) => {
  if (typeof input !== 'string') return BAD;
  try {
    const url = new URL(input.trim());
    const ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && (url.pathname === '/' || url.pathname === '');
    if (!ok) return BAD;
    const secure = url.protocol === 'https:';
    // https: a real bridge, its certificate checked against its id; http: an emulator.
    return { url: input.trim(), host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : undefined, secure };
  } catch {
    return BAD;
  }
};

const lightIds: Parse<number[]> = (input) => {
  const list = Array.isArray(input) ? input.map(String) : typeof input === 'string' ? input.split(',') : null;
  if (list === null) return BAD;
  const ids = list.map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id < 1)) return BAD;
  return [...new Set(ids)];
};

const hueGroup: Parse<string> = (input) => (typeof input === 'number' && Number.isInteger(input) && input >= 0 ? String(input) : text(input));

/** The certificate pin, only when one was given (most HueSettings are written without it). */
const pinned = (fingerprint: string | undefined): { fingerprint?: string | null } => (fingerprint === undefined ? {} : { fingerprint });

const hueFingerprint: Parse<string> = (input) => (typeof input === 'string' ? (normalizeFingerprint(input) ?? BAD) : BAD);

/** An IANA time zone, checked without loading Intl's locale data (see `diffuser/time-zone.ts`). */
const timeZone: Parse<string> = (input) => (typeof input === 'string' && isTimeZone(input.trim()) ? input.trim() : BAD);

const always = (): boolean => true;

const hue = z
  .object({
    url: required(HUE_URL_EXPECTED, hueUrl, 'with the other WINDDOWN_HUE_* settings'),
    username: required('the user `winddown hue pair` printed', text, 'with WINDDOWN_HUE_URL'),
    lights: optional('comma-separated Hue light ids such as 1,2,3', lightIds),
    group: optional('a Hue group id or room name', hueGroup),
    /** SHA-256 of the bridge's certificate, recorded by `winddown hue pair`: any other is refused. */
    fingerprint: optional('the SHA-256 fingerprint `winddown hue pair` printed (64 hex digits, colons allowed)', hueFingerprint),
  })
  .check(
    z.superRefine(
      (h, ctx) => {
        if (h.lights === undefined && h.group === undefined) {
          ctx.addIssue({ code: 'custom', path: ['lights'], message: 'expected light ids (e.g. 1,2,3), or WINDDOWN_HUE_GROUP a group id or room name; `winddown hue lights` lists them' });
        } else if (h.lights !== undefined && h.group !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['group'], message: 'expected either WINDDOWN_HUE_LIGHTS or WINDDOWN_HUE_GROUP, not both' });
        }
      },
      { when: always },
    ),
  );

/**
 * Where each variable goes in the settings, and whether its value may be repeated in a problem. The
 * secret ones (process/secrets.ts) never are, whatever is written here.
 */
export const BRIDGE_VARIABLES: Variables = hideSecrets({
  ...mqttVariables('WINDDOWN_MQTT', 'mqtt', { tls: true, clientId: true }),
  WINDDOWN_HOME_ID: { path: 'homeId', shown: 'value' },
  WINDDOWN_HOME_KEY: { path: 'homeKey' },
  WINDDOWN_HUE_URL: { path: 'hue.url', shown: 'url' },
  WINDDOWN_HUE_USERNAME: { path: 'hue.username' },
  WINDDOWN_HUE_LIGHTS: { path: 'hue.lights', shown: 'value' },
  WINDDOWN_HUE_GROUP: { path: 'hue.group', shown: 'value' },
  WINDDOWN_HUE_FINGERPRINT: { path: 'hue.fingerprint', shown: 'value' },
  WINDDOWN_DIFFUSER: { path: 'diffuser.spec', shown: 'value' },
  ...mqttVariables('WINDDOWN_DIFFUSER_MQTT', 'diffuser.mqtt', { tls: false, clientId: false }),
  WINDDOWN_DIFFUSER_MAX_MINUTES: { path: 'diffuserMaxMinutes', shown: 'value' },
  WINDDOWN_SESSION_HOLD_MINUTES: { path: 'sessionHoldMinutes', shown: 'value' },
  WINDDOWN_STATE_DIR: { path: 'stateDir', shown: 'value' },
  TZ: { path: 'timeZone', shown: 'value' },
  WINDDOWN_HA_DISCOVERY: { path: 'haDiscovery', shown: 'value' },
  WINDDOWN_LOG_LEVEL: { path: 'logLevel', shown: 'value' },
  WINDDOWN_LOG_FORMAT: { path: 'logFormat', shown: 'value' },
});
export const CONFIG_KEYS = Object.keys(BRIDGE_VARIABLES);

export interface BridgeDefaults {
  stateDir: string;
  timeZone: string;
}

/** The bridge's settings schema; `readFile` reads the TLS files, `defaults` fill what the machine decides. */
export function bridgeSettings(readFile: ReadText, defaults: BridgeDefaults) {
  const mqtt = mqttSettings(readFile);
  return z.pipe(
    z.object({
      homeId: required(HOME_ID_EXPECTED, homeId, '(or stored by `npx winddown pair` in WINDDOWN_STATE_DIR: run it once to pair this home by voice)'),
      // Always: a bridge obeys only signed commands, so without its key it could obey nothing.
      homeKey: required(HOME_KEY_EXPECTED, homeKey, '(or stored by `npx winddown pair`)'),
      // Absent altogether, the broker's settings still report which of them is missing.
      mqtt: z.prefault(mqtt, {} as z.input<typeof mqtt>),
      hue: z.optional(hue),
      diffuser: z.optional(
        z.object({
          spec: required(DIFFUSER_EXPECTED, diffuserSpec, 'with the other WINDDOWN_DIFFUSER_* settings'),
          mqtt: z.optional(mqtt),
        }),
      ),
      diffuserMaxMinutes: withDefault('whole minutes from 1 to 240', wholeNumber(1, 240), 60),
      sessionHoldMinutes: withDefault('whole minutes from 1 to 60', wholeNumber(1, 60), 5),
      stateDir: withDefault('a directory', text, defaults.stateDir),
      timeZone: withDefault('an IANA time zone such as Europe/London', timeZone, defaults.timeZone),
      haDiscovery: withDefault('1 or 0', flag, false),
      logLevel: withDefault(LOG_LEVEL_EXPECTED, logLevel, 'info'),
      /** auto: readable lines at a terminal, JSON lines for a service's log. */
      logFormat: withDefault('json, pretty or auto', oneOf(['json', 'pretty', 'auto'] as const), 'auto'),
    }),
    z.transform((s) => {
      // Fixed, so the broker keeps the session (and QoS 1 commands) while the bridge is away.
      const clientId = s.mqtt.clientId ?? `winddown-bridge-${s.homeId}`;
      return {
        homeId: s.homeId,
        homeKey: s.homeKey,
        mqtt: { ...s.mqtt, clientId },
        hue: s.hue ? { ...s.hue.url, username: s.hue.username, lights: s.hue.lights ?? null, group: s.hue.group ?? null, ...pinned(s.hue.fingerprint) } : null,
        diffuser: s.diffuser
          ? { spec: s.diffuser.spec, maxMinutes: s.diffuserMaxMinutes, mqtt: s.diffuser.mqtt ? { ...s.diffuser.mqtt, clientId: `${clientId}-plug` } : null }
          : null,
        diffuserMaxMinutes: s.diffuserMaxMinutes,
        /** How long a non-final part holds its last light level for the next part before the session ends. */
        sessionHoldMinutes: s.sessionHoldMinutes,
        stateDir: path.resolve(s.stateDir),
        timeZone: s.timeZone,
        haDiscovery: s.haDiscovery,
        logLevel: s.logLevel,
        logFormat: s.logFormat,
      };
    }),
  );
}

export type BridgeConfig = z.output<ReturnType<typeof bridgeSettings>>;
export type HueSettings = NonNullable<BridgeConfig['hue']>;
export type BridgeMqttSettings = BridgeConfig['mqtt'];

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A JSON file with the same keys; the environment overrides it. */
  file?: string;
}

const readText: ReadText = (file) => readFileSync(file, 'utf8');

/** The settings a JSON file holds, or the problems with it. Its text is never repeated: it may hold secrets. */
function readSettingsFile(file: string, problems: string[]): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'it is not valid JSON' : `it cannot be read: ${(error as { code?: string }).code ?? 'unreadable'}`;
    throw new ConfigError([`--config ${file}: expected a readable JSON file (${why})`]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError([`--config ${file}: expected a JSON object of settings`]);
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (CONFIG_KEYS.includes(key)) known[key] = value;
    else if (key.startsWith('WINDDOWN_')) problems.push(`${key}: unknown setting in ${file} (known: ${CONFIG_KEYS.join(', ')})`);
  }
  return known;
}

/**
 * Hosted mode: the home id and key that `winddown pair` stored fill in what the settings leave out.
 * The stored key goes only with the stored home id: a key for another home would sign nothing here.
 */
function withIdentity(source: Record<string, unknown>, stateDir: string, problems: string[]): void {
  let identity: Identity | null;
  try {
    identity = readIdentity(path.resolve(stateDir));
  } catch (error) {
    problems.push(`WINDDOWN_STATE_DIR: ${(error as Error).message.replace(/^Config: /, '')}`);
    return;
  }
  if (identity === null) return;
  const weakness = homeKeyWeakness(Buffer.from(identity.key, 'hex'));
  if (weakness !== null) {
    const file = path.join(path.resolve(stateDir), IDENTITY_FILE);
    problems.push(`WINDDOWN_STATE_DIR: ${file} holds a weak key (${weakness}); move it aside and run \`npx winddown pair\` again`);
    return;
  }
  if (source.WINDDOWN_HOME_ID === undefined) source.WINDDOWN_HOME_ID = identity.homeId;
  if (source.WINDDOWN_HOME_KEY === undefined && source.WINDDOWN_HOME_ID === identity.homeId) source.WINDDOWN_HOME_KEY = identity.key;
}

/** Reads, validates and shapes the bridge's settings, or throws one ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): BridgeConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const source: Record<string, unknown> = options.file ? readSettingsFile(options.file, problems) : {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') source[key] = value;
  }
  const defaultStateDir = path.join(homedir(), '.winddown');
  withIdentity(source, typeof source.WINDDOWN_STATE_DIR === 'string' ? source.WINDDOWN_STATE_DIR : defaultStateDir, problems);
  const schema = bridgeSettings(readText, {
    stateDir: defaultStateDir,
    // Without TZ, the zone this machine is set to (Raspberry Pi OS links /etc/localtime); UTC if it says none.
    timeZone: systemTimeZone(env, readlinkSync) ?? 'UTC',
  });
  const parsed = schema.safeParse(gather(source, BRIDGE_VARIABLES), { reportInput: true });
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, BRIDGE_VARIABLES));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}
