#!/usr/bin/env node
// `dh`: everything is in cli.ts. The installed binary (package.json "bin" -> dist/dh.js) is
// this file bundled with what it imports (scripts/bundleCli.ts), commands in lazy chunks.
import { fileURLToPath } from 'node:url';
import { heapCapFor, relaunch } from './launcher.js';

const argv = process.argv.slice(2);
const cap = heapCapFor(argv, process.execArgv, process.env);
if (cap !== null) {
  // replay / verify: the same command in a node with a capped heap (launcher.ts)
  process.exit(await relaunch(fileURLToPath(import.meta.url), argv, cap));
}
const { runProcess } = await import('./cli.js');
runProcess(argv);
