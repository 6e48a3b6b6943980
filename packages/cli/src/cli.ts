// The process around `main`: what `dh` (bin.ts) runs. Quiets the SDK's Node-version warning,
// gives Ctrl-C its default (exit 130 with a one-line summary of what was done; see
// interrupt.ts), flushes stdout before exiting, and never prints a stack trace.
import { display } from '@delivery-history/core';
import { EXIT } from './kit/exitCodes.js';
import { safeOut, terminalSafe } from './kit/format/safeOut.js';
import { installInterrupt } from './kit/interrupt.js';
import { processIo } from './kit/io.js';
import { main } from './main.js';
import { startMemoryReport } from './kit/memoryReport.js';
import { startPager } from './kit/pager.js';

// The SDK warns on every start that its 2027 releases need Node 22; the pinned ones run here.
const quietSdkWarning = (): void => {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.includes('NodeVersionSupportWarning')) return;
    for (const l of listeners) l(w);
  });
};

/** Runs `dh <argv>` in this process and exits with its code. */
export const runProcess = (argv: ReadonlyArray<string>): void => {
  quietSdkWarning();
  installInterrupt(safeOut(process.stderr));
  const memory = process.env.DH_MEMORY_REPORT === '1' ? startMemoryReport() : undefined;
  const pager = startPager(argv, process.env, process.stdout);
  main(argv, processIo(pager?.out)).then(
    async (code) => {
      process.exitCode = code;
      await pager?.close();
      if (memory !== undefined) process.stderr.write(`dh-memory ${JSON.stringify(memory())}\n`);
      // Flush stdout (a pipe may be slow) before exiting; a lingering socket must not keep us alive.
      process.stdout.write('', () => process.exit(code));
    },
    (e: unknown) => {
      process.stderr.write(terminalSafe(`dh: ${display.line(e instanceof Error ? e.message : String(e))}\n`));
      process.exit(EXIT.runtime);
    },
  );
};
