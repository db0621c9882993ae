/**
 * Secrets never reach a log line or an error message: the MQTT password and the user-info of any URL,
 * the home key that signs commands, the Hue username (node-hue-api puts it in every request URL, and so in its errors), private keys.
 * The logger passes every line it writes through `scrubSecrets`, and the Hue adapter does the same to
 * every error before it leaves it; `SECRET_SETTINGS` is the one list of what to look for.
 */
import type { Variables } from '../../src/config/problems';

export const REDACTED = '[redacted]';
/** Shorter values (a one-letter password) would blank out ordinary words: too short to find safely. */
const MIN_SECRET_LENGTH = 4;
/** scheme://user:password@host → scheme://[redacted]@host, whoever wrote the URL. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]+@/gi;

/**
 * The settings that hold a secret: the one list the scrubber (`secretsOf`, `secretsFromEnv`), the log's
 * redaction paths (`REDACT_PATHS` in log.ts) and the settings check (never showing their values:
 * `hideSecrets`) are built from. `path`: where the parsed settings keep it. `byValue`: looked for by
 * value in every line written; not a user name, which may be an ordinary word ("bridge"), found by
 * its key only.
 */
export const SECRET_SETTINGS = {
  WINDDOWN_HOME_KEY: { path: 'homeKey', byValue: true },
  WINDDOWN_MQTT_USERNAME: { path: 'mqtt.username', byValue: false },
  WINDDOWN_MQTT_PASSWORD: { path: 'mqtt.password', byValue: true },
  WINDDOWN_MQTT_KEY: { path: 'mqtt.key', byValue: true },
  WINDDOWN_HUE_USERNAME: { path: 'hue.username', byValue: true },
  WINDDOWN_DIFFUSER_MQTT_USERNAME: { path: 'diffuser.mqtt.username', byValue: false },
  WINDDOWN_DIFFUSER_MQTT_PASSWORD: { path: 'diffuser.mqtt.password', byValue: true },
} as const satisfies Record<string, { path: string; byValue: boolean }>;

/** Settings that are URLs, whose user-info (scheme://user:password@host) is a secret too. */
export const URL_SETTINGS = { WINDDOWN_MQTT_URL: 'mqtt.url', WINDDOWN_DIFFUSER_MQTT_URL: 'diffuser.mqtt.url', WINDDOWN_HUE_URL: 'hue.url' } as const;

const byValue = Object.entries(SECRET_SETTINGS).filter(([, s]) => s.byValue);

function valueAt(settings: unknown, dotted: string): unknown {
  let value = settings;
  for (const key of dotted.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** A URL's password, as written and decoded; nothing when it is not a URL (the settings check says so, without echoing it). */
function urlPasswords(url: unknown): string[] {
  if (typeof url !== 'string' || url === '') return [];
  try {
    const { password } = new URL(url);
    return [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

const findable = (values: unknown[]): string[] => [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH))];

/** The secrets in the bridge's settings (as `loadConfig` returns them). */
export function secretsOf(config: object): string[] {
  return findable([...byValue.map(([, s]) => valueAt(config, s.path)), ...Object.values(URL_SETTINGS).flatMap((p) => urlPasswords(valueAt(config, p)))]);
}

/** The same secrets straight from the environment, for a run that has not parsed its settings (the local run). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return findable([...byValue.map(([name]) => env[name]), ...Object.keys(URL_SETTINGS).flatMap((name) => urlPasswords(env[name]))]);
}

/** A program's variables with every secret one set never to be shown in a problem; a secret at another path is a wiring mistake. */
export function hideSecrets(variables: Variables): Variables {
  return Object.fromEntries(
    Object.entries(variables).map(([name, variable]) => {
      const secret = (SECRET_SETTINGS as Record<string, { path: string }>)[name];
      if (secret === undefined) return [name, variable];
      if (secret.path !== variable.path) throw new Error(`${name}: a secret setting at ${variable.path}, listed at ${secret.path}`);
      return [name, { path: variable.path }];
    }),
  );
}

/** `text` with every secret (as written, or as JSON escapes it) and every URL user-info replaced. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_USER_INFO, `$1${REDACTED}@`);
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  return out;
}
