/**
 * Local time in a named zone, light enough for a Raspberry Pi. Any `Intl.DateTimeFormat` loads ICU's
 * locale and calendar data: about 8 MB of resident memory for the life of the bridge. `Date`'s own
 * local-time methods follow `process.env.TZ`, which Node re-reads each time it is assigned, so the zone
 * is switched for the length of one synchronous computation and put back; nothing else runs between.
 * Where assigning `TZ` does not reach the runtime (a sandboxed `process.env`, as under jest), Intl
 * does the same work.
 */

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

let switchWorks: boolean | undefined;

/** Whether assigning `process.env.TZ` changes local time here (checked once, with a zone that is never UTC). */
function zoneSwitchWorks(): boolean {
  switchWorks ??= switched('Asia/Kolkata', () => new Date(0).getTimezoneOffset()) === -330;
  return switchWorks;
}

function switched<T>(timeZone: string, compute: () => T): T {
  const previous = process.env.TZ;
  if (timeZone === previous) return compute();
  process.env.TZ = timeZone;
  try {
    return compute();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}

/** Local calendar fields of an instant in `timeZone`, through `process.env.TZ`. */
export function localFieldsBySwitch(at: number, timeZone: string): LocalFields {
  return switched(timeZone, () => {
    const d = new Date(at);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local calendar fields of an instant in `timeZone`, through Intl. */
export function localFieldsByIntl(at: number, timeZone: string): LocalFields {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** Local calendar fields of an instant in `timeZone`. */
export function localFields(at: number, timeZone: string): LocalFields {
  return zoneSwitchWorks() ? localFieldsBySwitch(at, timeZone) : localFieldsByIntl(at, timeZone);
}

/**
 * Whether `name` is a time zone the runtime knows. An unknown name silently behaves as UTC under the
 * generic name "GMT+00:00"; a real zone leaves UTC at some time of the year or has a name of its own
 * ("Coordinated Universal Time", "Greenwich Mean Time").
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  if (!zoneSwitchWorks()) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      return true;
    } catch {
      return false;
    }
  }
  return switched(name, () => {
    const winter = new Date(Date.UTC(2026, 0, 15));
    const summer = new Date(Date.UTC(2026, 6, 15));
    if (winter.getTimezoneOffset() !== 0 || summer.getTimezoneOffset() !== 0) return true;
    return !/\(GMT(?:[+-]00:?00)?\)$/.test(winter.toString());
  });
}

/** This machine's zone by name (TZ, else the /etc/localtime link), or undefined when it has none. */
export function systemTimeZone(env: NodeJS.ProcessEnv, readLink: (path: string) => string): string | undefined {
  const fromEnv = env.TZ?.replace(/^:/, '');
  if (fromEnv && isTimeZone(fromEnv)) return fromEnv;
  try {
    const match = /zoneinfo\/(.+)$/.exec(readLink('/etc/localtime'));
    if (match?.[1] && isTimeZone(match[1])) return match[1];
  } catch {
    // No link (a container, another OS): the machine's local time is used as it is.
  }
  return undefined;
}
