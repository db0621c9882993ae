/**
 * The Echo Show's documents, loaded when a device with a screen first needs one (in the built Lambda,
 * from apl.js beside index.js): an Echo without a screen never reads or compiles them.
 */
import type * as AplEntry from './apl-entry';

export function screenDocuments(): typeof AplEntry {
  // A runtime require by design: the build turns it into a require of apl.js (see apl-entry.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./apl-entry') as typeof AplEntry;
}
