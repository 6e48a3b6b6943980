// `dh` on a real terminal: panes of a private tmux server (one per test file, killed at the
// end), each running the built binary from a script with the test's environment (not the
// tmux server's), which then says how dh exited and waits. tmux is installed by .ci/run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@delivery-history/testkit/waitFor';
import { BIN, ensureBuilt } from './runDh.js';
import { exportLines, shellQuote, tmuxServer } from './tmux.js';

export type Tmux = {
  /** Starts a pane of `width` x `height` running `dh <args>` (with `env` on top of the suite's); its name. */
  pane(name: string, width: number, args: ReadonlyArray<string>, height?: number, env?: NodeJS.ProcessEnv): string;
  /** The pane's text (with escape codes when `escapes`), once `until` holds (fails when the machine stops making progress). */
  capture(name: string, until: RegExp, escapes?: boolean): Promise<string>;
  /** tmux itself (`send-keys`, `kill-session`, ...). */
  run(...args: string[]): string;
  close(): void;
};

export const startTmux = (env: NodeJS.ProcessEnv): Tmux => {
  ensureBuilt();
  const run = tmuxServer(`dh-test-${process.pid}`);
  const dir = mkdtempSync(join(tmpdir(), 'dh-tmux-'));
  const script = (name: string, args: ReadonlyArray<string>, extra: NodeJS.ProcessEnv): string => {
    const path = join(dir, `${name}.sh`);
    const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
    // a trap (not an ignore, which dh would inherit) keeps the shell alive through Ctrl-C to say how dh exited
    writeFileSync(
      path,
      `${exportLines({ ...env, ...extra }).join('\n')}\nunset NO_COLOR FORCE_COLOR\ntrap 'true' INT\n${command}\necho "exit=$?"\nsleep 120\n`,
    );
    return path;
  };
  // a session that lives as long as the suite: tmux exits with its last session, and a new
  // session racing that exit fails ("server exited unexpectedly")
  run('new-session', '-d', '-s', 'keep', 'sleep 600');
  return {
    run,
    pane: (name, width, args, height = 50, extra = {}) => {
      run(
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        String(width),
        '-y',
        String(height),
        `sh ${shellQuote(script(name, args, extra))}`,
      );
      return name;
    },
    capture: (name, until, escapes = false) => {
      let text = '';
      return waitFor(
        () => {
          text = run('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', name);
          return until.test(text) && text;
        },
        { what: `pane ${name} shows ${until}`, everyMs: 200, detail: () => text },
      );
    },
    close: () => {
      run.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
