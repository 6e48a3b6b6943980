#!/usr/bin/env node
// `dh`: the command line of delivery history (see main.ts; exit codes in exitCodes.ts).
import { EXIT } from './exitCodes.js';
import { processIo } from './io.js';
import { main } from './main.js';
import { startMemoryReport } from './memoryReport.js';

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
const memory = process.env.DH_MEMORY_REPORT === '1' ? startMemoryReport() : undefined;
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    if (memory !== undefined) process.stderr.write(`dh-memory ${JSON.stringify(memory())}\n`);
    // Flush stdout (a pipe may be slow) before exiting; a lingering socket must not keep us alive.
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`dh: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(EXIT.runtime);
  },
);
