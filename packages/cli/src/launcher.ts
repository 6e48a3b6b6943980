import { spawn } from 'node:child_process';
import { constants } from 'node:os';

// The `dh` launcher's one job: `replay` and `verify` walk the whole table, and V8 lets
// garbage pile up to whatever heap it may take (with a page per scan segment held, 456 MiB
// RSS at 100,000 messages). They run in a node with a capped old space instead, which keeps
// the process flat (the page budget in forEachParallel keeps the live data small; the cap
// keeps the garbage small). Every other command runs in the process it was started in.

/** Commands that scan the whole table. */
export const HEAP_CAPPED_COMMANDS: ReadonlySet<string> = new Set(['replay', 'verify']);

/** V8 old space for them, MiB (`DH_MAX_OLD_SPACE_MB` overrides; 0 = no cap). */
export const DEFAULT_MAX_OLD_SPACE_MB = 96;

/** Set in the re-executed child, so it runs the command instead of launching again. */
const LAUNCHED = 'DH_LAUNCHED';

const hasHeapFlag = (args: ReadonlyArray<string>): boolean => args.some((a) => a.startsWith('--max-old-space-size'));

/** The cap (MiB) the command should run under, or null to run here as is. */
export const heapCapFor = (
  argv: ReadonlyArray<string>,
  execArgv: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
): number | null => {
  if (env[LAUNCHED] === '1' || !HEAP_CAPPED_COMMANDS.has(argv[0] ?? '')) return null;
  if (hasHeapFlag(execArgv) || hasHeapFlag((env.NODE_OPTIONS ?? '').split(/\s+/))) return null;
  const raw = env.DH_MAX_OLD_SPACE_MB;
  const mb = raw === undefined || raw.trim() === '' ? DEFAULT_MAX_OLD_SPACE_MB : Number(raw);
  return Number.isInteger(mb) && mb > 0 ? mb : null;
};

/**
 * Runs this very script again in a node with `--max-old-space-size=mb` (the same node, the
 * same flags: tsx's loader stays), stdio shared, signals passed on; resolves to its exit code.
 */
export const relaunch = (script: string, argv: ReadonlyArray<string>, mb: number): Promise<number> =>
  new Promise((ok) => {
    const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${mb}`, script, ...argv], {
      stdio: 'inherit',
      env: { ...process.env, [LAUNCHED]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, forward(s));
    child.on('error', () => ok(3));
    // killed by a signal: the shell's convention, 128 + its number
    child.on('close', (code, signal) => ok(code ?? (signal === null ? 3 : 128 + (constants.signals[signal] ?? 0))));
  });
