/**
 * The MQTT settings every program shares: one broker URL rule, one rule for TLS files, one settings
 * schema. The skill, the bridge and the local run read the same variables the same way; only the
 * prefix differs (the bridge's diffuser may use a broker of its own).
 */
import * as z from 'zod/mini';
import type { Variables } from './problems';
import { BAD, optional, required, text, verbatim, type Parse } from './setting';

/**
 * The broker URL schemes both the skill and the bridge accept. `tcp` and `ssl` are mqtt.js's other
 * names for `mqtt` and `mqtts`; the skill's slim connect knows them too, so a URL that works for one
 * program works for the other.
 */
export const MQTT_SCHEMES = ['mqtt', 'mqtts', 'tcp', 'ssl', 'ws', 'wss'] as const;
export type MqttScheme = (typeof MQTT_SCHEMES)[number];

export const MQTT_URL_EXPECTED = `a broker URL such as mqtt://host:1883 or mqtts://host:8883 (schemes: ${MQTT_SCHEMES.join(', ')})`;

/** The scheme of a broker URL we accept, or null. */
export function mqttScheme(url: string): MqttScheme | null {
  try {
    const parsed = new URL(url);
    const scheme = parsed.protocol.replace(/:$/, '');
    return parsed.hostname !== '' && (MQTT_SCHEMES as readonly string[]).includes(scheme) ? (scheme as MqttScheme) : null;
  } catch {
    return null;
  }
}

export const mqttUrl: Parse<string> = (input) => (typeof input === 'string' && mqttScheme(input.trim()) !== null ? input.trim() : BAD);

/** Reads a file as text; each program passes its own (the file system at its edge, or a fake in tests). */
export type ReadText = (path: string) => string;

export const TLS_EXPECTED = 'a readable file of PEM text, or the PEM text itself';

/**
 * A certificate or key: the PEM text itself (as AWS Lambda's environment often holds it, with `\n` for
 * line breaks), or the path of a PEM file, which is read now so that a missing file is found at start,
 * not at the first connection.
 */
export function tlsFile(readFile: ReadText): Parse<string> {
  return (input) => {
    if (typeof input !== 'string' || input.trim() === '') return BAD;
    const value = input.trim();
    if (value.startsWith('-----BEGIN')) return value.replace(/\\n/g, '\n');
    try {
      const pem = readFile(value);
      return pem.includes('-----BEGIN') ? pem : BAD;
    } catch {
      return BAD;
    }
  };
}

export const CLIENT_ID_EXPECTED = 'up to 64 letters, digits, _ . -';
const clientId: Parse<string> = (input) => (typeof input === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(input.trim()) ? input.trim() : BAD);

const always = (): boolean => true;

/** One broker's settings: where it is, who we are to it, and the TLS material. */
export function mqttSettings(readFile: ReadText) {
  const pem = tlsFile(readFile);
  return z
    .object({
      url: required(MQTT_URL_EXPECTED, mqttUrl),
      username: optional('a user name', text),
      password: optional('a password', verbatim),
      ca: optional(TLS_EXPECTED, pem),
      cert: optional(TLS_EXPECTED, pem),
      key: optional(TLS_EXPECTED, pem),
      clientId: optional(CLIENT_ID_EXPECTED, clientId),
    })
    .check(
      // A client certificate is useless without its key and the other way round (AWS IoT Core needs both).
      z.superRefine(
        (s, ctx) => {
          if ((s.cert === undefined) === (s.key === undefined)) return;
          const missing = s.cert === undefined ? 'cert' : 'key';
          ctx.addIssue({ code: 'custom', path: [missing], message: `is required with the client ${missing === 'cert' ? 'key' : 'certificate'}: both or neither` });
        },
        { when: always },
      ),
    );
}

export type MqttSettings = z.output<ReturnType<typeof mqttSettings>>;

/** The variables of one broker's settings, `<prefix>_URL` and so on, placed under `path`. */
export function mqttVariables(prefix: string, path: string, parts: { tls: boolean; clientId: boolean }): Variables {
  return {
    [`${prefix}_URL`]: { path: `${path}.url`, shown: 'url' },
    [`${prefix}_USERNAME`]: { path: `${path}.username` },
    [`${prefix}_PASSWORD`]: { path: `${path}.password` },
    ...(parts.tls
      ? {
          [`${prefix}_CA`]: { path: `${path}.ca`, shown: 'value' },
          [`${prefix}_CERT`]: { path: `${path}.cert`, shown: 'value' },
          [`${prefix}_KEY`]: { path: `${path}.key` },
        }
      : {}),
    ...(parts.clientId ? { [`${prefix}_CLIENT_ID`]: { path: `${path}.clientId`, shown: 'value' } } : {}),
  };
}
