import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Logger, LevelWithSilent } from 'pino';

export type { Logger };

/** Paths that may hold secrets anywhere in a log line; pino replaces their values. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'WINDDOWN_MQTT_PASSWORD',
  'WINDDOWN_HUE_USERNAME',
  '*.WINDDOWN_MQTT_PASSWORD',
  '*.WINDDOWN_HUE_USERNAME',
  'hue.username',
  '*.hue.username',
  'mqtt.password',
  '*.mqtt.password',
  'diffuserMqtt.password',
  '*.diffuserMqtt.password',
  'username',
  '*.username',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Pretty, human-readable lines (for a terminal). Default: when stdout is a TTY. */
  pretty?: boolean;
}

/**
 * The bridge's root logger: JSON lines (one per event) for files and journald, readable colour lines
 * when a person is watching a terminal. Pipe JSON through `pino-pretty` to read it later.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const base = { level, name: 'winddown', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (options.pretty ?? Boolean(process.stdout.isTTY)) {
    // In-process (not a worker transport), so it also works from the bundled executable; loaded only
    // for a person at a terminal, so a service's bridge never carries it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof PinoPretty;
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
  }
  return pino(base);
}

/** Errors as plain objects that pino serialises the same way whatever threw them. */
export function errorDetail(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
