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
