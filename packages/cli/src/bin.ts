#!/usr/bin/env node
// `dh`: the command line of delivery history (see main.ts; exit codes in exitCodes.ts).
import { fileURLToPath } from 'node:url';
import { EXIT } from './exitCodes.js';
import { heapCapFor, relaunch } from './launcher.js';

// The SDK warns on every start that its 2027 releases need Node 22; the pinned ones run here.
const quietSdkWarning = (): void => {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.includes('NodeVersionSupportWarning')) return;
    for (const l of listeners) l(w);
  });
};

const argv = process.argv.slice(2);
const cap = heapCapFor(argv, process.execArgv, process.env);
if (cap !== null) {
  // replay / verify: the same command in a node with a capped heap (launcher.ts)
  process.exit(await relaunch(fileURLToPath(import.meta.url), argv, cap));
}

const { processIo } = await import('./io.js');
const { main } = await import('./main.js');
const { startMemoryReport } = await import('./memoryReport.js');

quietSdkWarning();
const memory = process.env.DH_MEMORY_REPORT === '1' ? startMemoryReport() : undefined;
main(argv, processIo()).then(
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
