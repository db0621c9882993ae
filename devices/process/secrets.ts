/**
 * Secrets never reach a log line or an error message: the MQTT password and the user-info of any URL,
 * the home key that signs commands, the Hue username (node-hue-api puts it in every request URL, and so in its errors), private keys.
 * The logger passes every line it writes through `scrubSecrets`, and the Hue adapter does the same to
 * every error before it leaves it; this is the one list of what to look for.
 */
import type { BridgeConfig } from '../config';

export const REDACTED = '[redacted]';
/** Shorter values (a one-letter password) would blank out ordinary words: too short to find safely. */
const MIN_SECRET_LENGTH = 4;
/** scheme://user:password@host → scheme://[redacted]@host, whoever wrote the URL. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]+@/gi;

/** The secrets in the bridge's settings. */
export function secretsOf(config: BridgeConfig): string[] {
  const values = [config.homeKey, config.mqtt.password, config.mqtt.key, config.hue?.username, config.diffuser?.mqtt?.password, config.diffuser?.mqtt?.key];
  for (const url of [config.mqtt.url, config.diffuser?.mqtt?.url]) {
    if (!url) continue;
    try {
      const u = new URL(url);
      values.push(decodeURIComponent(u.password), u.password);
    } catch {
      // Not a URL: nothing in it to find.
    }
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH);
}

/** The same secrets straight from the environment, for a run that has not parsed its settings (the local run). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const values = [env.WINDDOWN_HOME_KEY, env.WINDDOWN_MQTT_PASSWORD, env.WINDDOWN_DIFFUSER_MQTT_PASSWORD, env.WINDDOWN_HUE_USERNAME];
  for (const url of [env.WINDDOWN_MQTT_URL, env.WINDDOWN_DIFFUSER_MQTT_URL, env.WINDDOWN_HUE_URL]) {
    try {
      if (url) values.push(decodeURIComponent(new URL(url).password));
    } catch {
      // Not a URL: the settings check says so, without echoing it.
    }
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH);
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
