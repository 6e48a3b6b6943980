#!/usr/bin/env node
// `dh`, the installed binary (package.json "bin" -> dist/bin.js): everything is in cli.ts.
import { runProcess } from './cli.js';

runProcess(process.argv.slice(2));
