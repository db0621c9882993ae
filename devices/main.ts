#!/usr/bin/env node
/** The `winddown` executable (bundled to dist/cli/winddown.js). */
import { buildProgram } from './cli';
import { registerLocalCommands } from './local/commands';

registerLocalCommands(buildProgram())
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`winddown: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
