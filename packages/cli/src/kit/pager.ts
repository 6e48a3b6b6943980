import { spawn } from 'node:child_process';
import type { Out } from './io.js';

// A pager for the views a person reads on a terminal (lists, history, health): a long answer
// no longer scrolls its header away. `$DH_PAGER`, then `$PAGER`, then `less -FRX` (quits when
// the answer fits one screen, keeps colours, leaves the text on the screen); run through the
// shell like git's. Never when stdout is not a terminal, with `--no-pager`, or with an empty
// or `cat` pager; a pager that cannot start leaves stdout as it is.

/** Commands whose answer is paged (not streams, progress or long-running work). */
const PAGED: ReadonlySet<string> = new Set(['history', 'failed', 'endpoint', 'correlation', 'endpoints', 'help']);

type Env = Readonly<Record<string, string | undefined>>;

/** The pager command line, or null for none. */
export const pagerCommand = (argv: ReadonlyArray<string>, env: Env, stdout: Out): string | null => {
  if (stdout.isTTY !== true || !PAGED.has(argv[0] ?? '') || argv.includes('--no-pager')) return null;
  const command = (env.DH_PAGER ?? env.PAGER ?? 'less -FRX').trim();
  return command === '' || command === 'cat' ? null : command;
};

export type Pager = {
  /** Writes to the pager; a terminal of the real one's width, so views fit and keep colours. */
  readonly out: Out;
  /** Ends the pager's input and waits for the person to leave it. */
  close(): Promise<void>;
};

/** Starts the pager for `dh <argv>` when there is one to start; null otherwise. */
export const startPager = (
  argv: ReadonlyArray<string>,
  env: Env,
  stdout: Out & NodeJS.WritableStream,
): Pager | null => {
  const command = pagerCommand(argv, env, stdout);
  if (command === null) return null;
  const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env } });
  let failed = false;
  const exited = new Promise<void>((ok) => {
    child.on('error', () => {
      failed = true;
      ok();
    });
    child.on('close', () => ok());
  });
  // the person quit the pager before the end: the rest has nowhere to go, and that is fine
  child.stdin.on('error', () => {});
  return {
    out: {
      write: (s: string) => (failed || child.stdin.destroyed ? stdout.write(s) : child.stdin.write(s)),
      isTTY: true,
      ...(stdout.columns !== undefined ? { columns: stdout.columns } : {}),
    },
    close: async () => {
      // the answer is complete: Ctrl-C belongs to the pager now (as with git), not to dh
      process.on('SIGINT', () => {});
      child.stdin.end();
      await exited;
    },
  };
};
