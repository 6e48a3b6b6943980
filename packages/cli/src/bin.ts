#!/usr/bin/env node
// `dh`: the command line of delivery history (see main.ts; exit codes in exitCodes.ts).
import { EXIT } from './exitCodes.js';
import { processIo } from './io.js';
import { main } from './main.js';

// The SDK warns on every start that its 2027 releases need Node 22; the pinned ones run here.
const quietSdkWarning = (): void => {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.includes('NodeVersionSupportWarning')) return;
    for (const l of listeners) l(w);
  });
};

quietSdkWarning();
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    // Flush stdout (a pipe may be slow) before exiting; a lingering socket must not keep us alive.
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`dh: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(EXIT.runtime);
  },
);
