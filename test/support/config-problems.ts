import { ConfigError } from '../../src/config/problems';

/** The problems a settings loader reports, all at once; fails when it reports none or throws something else. */
export function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
