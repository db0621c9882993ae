import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Logger, LevelWithSilent } from 'pino';
import { scrubSecrets, SECRET_SETTINGS } from './secrets';

export type { Logger };

/**
 * Paths that may hold secrets anywhere in a log line; pino replaces their values. Any password or
 * user name one or two levels down, and every secret setting by its variable and by its place in the
 * settings (SECRET_SETTINGS), at the top or one level down.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'username',
  '*.username',
  ...Object.entries(SECRET_SETTINGS).flatMap(([name, { path }]) => [name, `*.${name}`, path, `*.${path}`]),
];

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /**
   * 'pretty': one readable line per event, for a person at a terminal; 'json': one JSON object per
   * line. Default: as `chooseLogFormat` decides for stdout.
   */
  format?: LogFormat;
  /** Values taken out of every line wherever they appear (see secrets.ts); URL user-info always is. */
  secrets?: readonly string[];
  /** Where the lines go (default stdout); tests capture them here. */
  destination?: pino.DestinationStream;
  /** Colour in pretty lines (default: when stdout is a colour terminal). */
  colorize?: boolean;
}

/**
 * The format asked for (`WINDDOWN_LOG_FORMAT`, `--json`), else JSON when the output is piped or written
 * to a file and readable lines when a person is watching a terminal. Undefined or "auto" decides by
 * the terminal; anything else is an error naming the setting.
 */
export function chooseLogFormat(asked: string | undefined, isTTY: boolean): LogFormat {
  const value = asked?.trim().toLowerCase();
  if (value === 'json' || value === 'pretty') return value;
  if (value === undefined || value === '' || value === 'auto') return isTTY ? 'pretty' : 'json';
  throw new Error(`WINDDOWN_LOG_FORMAT: expected json, pretty or auto, got ${JSON.stringify(asked)}`);
}

/** What every line has already said (or never needs to): left out of the readable line's details. */
const QUIET_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'part', 'scope']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

function detail(value: unknown): string {
  if (typeof value === 'string') return ISO_TIME.test(value) ? clock(Date.parse(value)) : value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(text).join(',');
  // An error (pino serialises `err` as {type, message, stack}): its message is the line's business.
  if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  return text(value);
}

/** Nested settings as "hue.url", "hue.group": one level of keys to read instead of a JSON blob. */
function flatten(entries: [string, unknown][], prefix = ''): [string, unknown][] {
  return entries.flatMap(([key, value]): [string, unknown][] => {
    if (value === undefined || value === null) return [];
    const isPlain = typeof value === 'object' && !Array.isArray(value) && typeof (value as { message?: unknown }).message !== 'string';
    return isPlain ? flatten(Object.entries(value), `${prefix}${key}.`) : [[`${prefix}${key}`, value]];
  });
}

type Paint = (text: string) => string;

const clock = (ms: number): string => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

/**
 * One event as one line: "time  scope  message · key value, key value", a warning or error marked as
 * such. Exported for tests; pino-pretty calls it with the parsed (already redacted) event.
 */
export function readableLine(event: Record<string, unknown>, paint: { dim: Paint; warn: Paint; error: Paint } = { dim: (t) => t, warn: (t) => t, error: (t) => t }): string {
  const level = typeof event.level === 'number' ? event.level : 30;
  const scope = text(event.scope ?? event.part);
  const fields = flatten(Object.entries(event).filter(([key]) => !QUIET_KEYS.has(key))).map(([key, value]) => `${key} ${detail(value)}`);
  const message = text(event.msg);
  const mark = level >= 50 ? paint.error('error: ') : level >= 40 ? paint.warn('warning: ') : '';
  const time = typeof event.time === 'number' ? `${paint.dim(clock(event.time))}  ` : '';
  return `${time}${paint.dim(scope.padEnd(9))} ${mark}${message}${fields.length > 0 ? paint.dim(` · ${fields.join(', ')}`) : ''}`;
}

/**
 * The root logger of the bridge and the local run: JSON lines (one per event) for files, pipes and
 * journald; readable lines when a person is watching a terminal. Pipe JSON through `pino-pretty` to
 * read it later.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const secrets = options.secrets ?? [];
  // Paths catch the known keys; this catches a secret anywhere else (an error message, a URL).
  const base = { level, name: 'winddown', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) } };
  const format = options.format ?? chooseLogFormat(undefined, Boolean(process.stdout.isTTY));
  if (format === 'pretty') {
    // In-process (not a worker transport), so it also works from the bundled executable; loaded only
    // for a person at a terminal, so a service's bridge never carries it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof PinoPretty;
    const colorize = options.colorize ?? (options.destination === undefined && pretty.isColorSupported);
    const stream = pretty({
      colorize,
      // Every part of the line is written by `readableLine`, so pino-pretty adds no prefix of its own.
      ignore: 'pid,hostname,name,level,time',
      hideObject: true,
      sync: true,
      ...(options.destination ? { destination: options.destination } : {}),
      messageFormat: (event, _key, _label, extras) => {
        const colors = extras.colors;
        return readableLine(event, { dim: (t) => colors.gray(t), warn: (t) => colors.yellow(t), error: (t) => colors.red(t) });
      },
    });
    return pino(base, stream);
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}

/** Errors as plain objects that pino serialises the same way whatever threw them. */
export function errorDetail(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
