/**
 * Settings problems in plain words. Every problem names the variable to fix, all of them are reported
 * together, and none repeats a secret: a password, a user name, a key or token, or the user-info of a
 * URL is never shown, whatever was wrong with it.
 */
import type * as z from 'zod/mini';

/** Where every setting is described. */
export const SETTINGS_DOC = 'README.md, Settings';

/** How a variable's value may be shown in a problem about it. */
export type Shown = 'value' | 'url' | 'never';

export interface Variable {
  /** Where the value goes in the program's settings, dotted (`mqtt.url`). */
  path: string;
  /** Default 'never': only values known to be harmless are repeated back. */
  shown?: Shown;
}

/** A program's variables: name → where its value goes and whether it may be shown. */
export type Variables = Readonly<Record<string, Variable>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    const count = `${problems.length} setting${problems.length === 1 ? ' needs' : 's need'} fixing`;
    super(`Config: ${count} (each is described in ${SETTINGS_DOC}):\n  - ${problems.join('\n  - ')}`);
  }
}

/** A URL without user name or password, or null when it cannot be read as a URL. */
export function redactUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.username) u.username = '';
    if (u.password) u.password = '';
    return u.toString();
  } catch {
    return null;
  }
}

/**
 * The variable a problem at `path` is about: the one whose path is the longest prefix of it (a problem
 * inside a list of light ids is about the lights' variable), or, for a problem about a whole group of
 * settings, the group's first variable.
 */
export function variableAt(path: readonly PropertyKey[], variables: Variables): string | undefined {
  const at = path.map(String);
  const entries = Object.entries(variables).map(([name, variable]) => ({ name, parts: variable.path.split('.') }));
  const covering = entries.filter(({ parts }) => parts.length <= at.length && parts.every((part, i) => at[i] === part));
  if (covering.length > 0) return covering.reduce((best, entry) => (entry.parts.length > best.parts.length ? entry : best)).name;
  return entries.find(({ parts }) => at.every((part, i) => parts[i] === part))?.name;
}

function shownValue(input: unknown, shown: Shown): string {
  if (shown === 'never' || (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean')) return '';
  const raw = String(input);
  if (shown === 'url') {
    const safe = redactUrl(raw.trim());
    return safe === null ? '' : ` (got ${safe})`;
  }
  return ` (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw)})`;
}

/** Each zod issue as one line, `VARIABLE: what is wrong`, in the order found, without repeats. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], variables: Variables): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const name = variableAt(issue.path, variables) ?? '(settings)';
    const variable = variables[name];
    const message = issue.code === 'custom' ? issue.message : `expected ${describeExpected(issue)}`;
    // A missing setting has no input, so nothing is shown for it.
    const line = `${name}: ${message}${shownValue(issue.input, variable?.shown ?? 'never')}`;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** A validator's own issue, which our settings do not raise but a shape mismatch can, in plain words. */
function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected === 'object' ? 'a group of settings' : `a ${issue.expected === 'string' ? 'text' : issue.expected} value`;
  return 'a valid value';
}

/**
 * The program's settings from where they were written: `source` maps variable names to values (the
 * environment, a JSON file), and each variable's value lands at its path. Empty values count as
 * unset, as in a shell where `WINDDOWN_X=` clears a setting.
 */
export function gather(source: Readonly<Record<string, unknown>>, variables: Variables): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(variables)) {
    const value = source[name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    const parts = variable.path.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1] as string] = value;
  }
  return out;
}
