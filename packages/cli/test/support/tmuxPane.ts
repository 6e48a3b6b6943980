// `dh` on a real terminal: panes of a private tmux server (one per test file, killed at the
// end), each running the built binary from a script with the test's environment (not the
// tmux server's), which then says how dh exited and waits. tmux is installed by .ci/run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Progress, waitFor } from '@delivery-history/testkit/waitFor';
import { BIN, ensureBuilt } from './runDh.js';
import { exportLines, shellQuote, tmuxServer } from './tmux.js';

export type CaptureOptions = {
  /** With escape codes (colour). */
  readonly escapes?: boolean;
  /** The whole history, not just the visible screen. */
  readonly scrollback?: boolean;
  /** What counts as the pane moving on (default: this process tree's CPU, as waitFor's). */
  readonly progress?: Progress;
  readonly stallMs?: number;
};

export type Tmux = {
  /** Starts a pane of `width` x `height` running `dh <args>` (with `env` on top of the suite's); its name. */
  pane(name: string, width: number, args: ReadonlyArray<string>, height?: number, env?: NodeJS.ProcessEnv): string;
  /** Starts a pane running these shell lines (several `dhLine`s, markers) after the suite's environment; its name. */
  script(name: string, width: number, height: number, lines: ReadonlyArray<string>, env?: NodeJS.ProcessEnv): string;
  /** The pane's text, once `until` holds (fails when the machine stops making progress). */
  capture(name: string, until: RegExp, o?: CaptureOptions): Promise<string>;
  /** tmux itself (`send-keys`, `kill-session`, ...). */
  run(...args: string[]): string;
  close(): void;
};

/** The shell line that runs the built `dh` with these arguments. */
export const dhLine = (args: ReadonlyArray<string>): string =>
  [process.execPath, BIN, ...args].map(shellQuote).join(' ');

export const startTmux = (env: NodeJS.ProcessEnv): Tmux => {
  ensureBuilt();
  const run = tmuxServer(`dh-test-${process.pid}`);
  const dir = mkdtempSync(join(tmpdir(), 'dh-tmux-'));
  // a session that lives as long as the suite: tmux exits with its last session, and a new
  // session racing that exit fails ("server exited unexpectedly")
  run('new-session', '-d', '-s', 'keep', 'sleep 600');
  // room for every view a script prints (applies to the panes made from now on)
  run('set-option', '-g', 'history-limit', '20000');
  const script: Tmux['script'] = (name, width, height, lines, extra = {}) => {
    const path = join(dir, `${name}.sh`);
    writeFileSync(path, `${[...exportLines({ ...env, ...extra }), ...lines].join('\n')}\n`);
    run('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `sh ${shellQuote(path)}`);
    return name;
  };
  return {
    run,
    script,
    // a trap (not an ignore, which dh would inherit) keeps the shell alive through Ctrl-C to say how dh exited
    pane: (name, width, args, height = 50, extra = {}) =>
      script(
        name,
        width,
        height,
        ['unset NO_COLOR FORCE_COLOR', `trap 'true' INT`, dhLine(args), 'echo "exit=$?"', 'sleep 120'],
        extra,
      ),
    capture: (name, until, o = {}) => {
      let text = '';
      const flags = [...(o.escapes ? ['-e'] : []), ...(o.scrollback ? ['-S', '-'] : [])];
      return waitFor(
        () => {
          text = run('capture-pane', '-p', '-J', ...flags, '-t', name);
          return until.test(text) && text;
        },
        {
          what: `pane ${name} shows ${until}`,
          everyMs: 200,
          detail: () => text,
          ...(o.progress !== undefined ? { progress: o.progress } : {}),
          ...(o.stallMs !== undefined ? { stallMs: o.stallMs } : {}),
        },
      );
    },
    close: () => {
      run.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
