#!/usr/bin/env node
/**
 * The `winddown` executable (bundled to dist/cli/winddown.js): the bridge's commands plus the local
 * run's `start` and `say`. The local run is loaded only when one of its commands runs, so
 * `winddown bridge` costs what the bridge costs.
 */
import '../devices/process/young-generation';
import { buildProgram, runProgram } from '../devices/cli';
import { registerLocalCommands } from './commands';

runProgram(registerLocalCommands(buildProgram()));
