/**
 * The Echo Show's breathing shape (src/engine/apl.ts), built into a file of its own (dist/lambda/apl.js)
 * by scripts/build.mjs and required on the first response to a device with a screen, so a cold start
 * for an Echo without one never reads or compiles it.
 */
export { blackDocument, breathingDocument } from '../src/engine/apl';
