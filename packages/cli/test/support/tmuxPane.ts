// `dh` on a real terminal: panes of a private tmux server (one per test file, killed at the
// end), each running the built binary from a script with the test's environment (not the
// tmux server's), which then says how dh exited and waits. tmux is installed by .ci/run.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ensureBuilt } from './runDh.js';

export type Tmux = {
  /** Starts a pane of `width` x `height` running `dh <args>` (with `env` on top of the suite's); its name. */
  pane(name: string, width: number, args: ReadonlyArray<string>, height?: number, env?: NodeJS.ProcessEnv): string;
  /** The pane's text (with escape codes when `escapes`), once `until` holds (bounded). */
  capture(name: string, until: RegExp, escapes?: boolean, timeoutMs?: number): Promise<string>;
  /** tmux itself (`send-keys`, `kill-session`, ...). */
  run(...args: string[]): string;
  close(): void;
};

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const startTmux = (env: NodeJS.ProcessEnv): Tmux => {
  ensureBuilt();
  const socket = `dh-test-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'dh-tmux-'));
  const run = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (r.error !== undefined)
      throw new Error(`tmux is needed for this test (.ci/run installs it): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const script = (name: string, args: ReadonlyArray<string>, extra: NodeJS.ProcessEnv): string => {
    const exports = Object.entries({ ...env, NO_COLOR: undefined, TERM: 'xterm-256color', ...extra })
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    const path = join(dir, `${name}.sh`);
    const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
    // a trap (not an ignore, which dh would inherit) keeps the shell alive through Ctrl-C to say how dh exited
    writeFileSync(
      path,
      `${exports.join('\n')}\nunset NO_COLOR FORCE_COLOR\ntrap 'true' INT\n${command}\necho "exit=$?"\nsleep 120\n`,
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
    capture: async (name, until, escapes = false, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = run('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', name);
        if (until.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`pane ${name} never showed ${until}:\n${text}`);
        await sleep(200);
      }
    },
    close: () => {
      try {
        run('kill-server');
      } catch {
        // no server left
      }
      // tmux leaves its socket file behind
      const uid = process.getuid?.() ?? 0;
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, socket), { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
