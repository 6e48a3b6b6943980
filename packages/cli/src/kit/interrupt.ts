// Ctrl-C on a long command: one line saying what was done so far, then exit 130.
// A command registers what to say (`onInterrupt`); a command that handles SIGINT itself
// (dh local stopping its stack, a re-drive finishing its deliveries) adds its own
// listener, and this default then stays out of the way.

type Summary = { readonly name: string; readonly say: () => string };

let current: Summary | null = null;

export const INTERRUPTED_EXIT = 130;

/** What Ctrl-C reports while `name` runs; returns the function that forgets it. */
export const onInterrupt = (name: string, say: () => string): (() => void) => {
  const mine: Summary = { name, say };
  current = mine;
  return () => {
    if (current === mine) current = null;
  };
};

/**
 * A terminal's Ctrl-C reaches every process of the foreground group, and a wrapper in that
 * group (`pnpm dh`, a launcher) may pass its own copy on: one key press can arrive here more
 * than once within a few milliseconds. Signals within this window of the first count as that
 * same Ctrl-C; a person pressing again to quit at once takes longer than this.
 */
export const SAME_CTRL_C_MS = 500;

/**
 * Counts Ctrl-C key presses, not signals: `press()` says whether this signal is the first,
 * the same one again (ignore it), or a second press (the operator does not want to wait).
 */
export const ctrlCCounter = (now: () => number = Date.now): { press(): 'first' | 'again' | 'second' } => {
  let first: number | null = null;
  return {
    press: () => {
      const t = now();
      if (first === null) {
        first = t;
        return 'first';
      }
      return t - first < SAME_CTRL_C_MS ? 'again' : 'second';
    },
  };
};

/** The line printed on Ctrl-C (exported for tests). */
export const interruptLine = (): string => {
  if (current === null) return 'dh: interrupted\n';
  let said = '';
  try {
    said = current.say();
  } catch {
    said = '';
  }
  return `dh ${current.name}: interrupted${said === '' ? '' : `; ${said}`}\n`;
};

/** Installs the default SIGINT/SIGTERM behaviour of the `dh` process. */
export const installInterrupt = (stderr: { write(s: string): unknown }): void => {
  const handler = (signal: NodeJS.Signals) => {
    // another listener (the command's own) handles it: let it finish and exit
    if (process.listenerCount(signal) > 1) return;
    stderr.write(`\n${interruptLine()}`);
    process.exit(INTERRUPTED_EXIT);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
};
