#!/usr/bin/env node
/** The home bridge on its own (`winddown-bridge`, bundled to dist/cli/winddown-bridge.js): the bridge and Hue set-up commands, nothing of the local run. */
import './process/young-generation';
import { runProgram } from './cli';

runProgram();
