/**
 * One JSON line per event on stdout, which CloudWatch keeps. Library code never calls console.
 * Callers pass only what is safe to keep: request ids, request types, intent names, outcomes.
 * Never slot values, questions, bedtimes or credentials.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Log {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function jsonLog(write: (line: string) => void = (line) => void process.stdout.write(line)): Log {
  const emit = (level: string, event: string, fields?: LogFields): void => {
    write(`${JSON.stringify({ level, scope: 'skill', event, ...fields })}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
