// A private tmux server for terminal tests (its own socket, so a developer's tmux is never
// touched): run tmux commands, quote for sh, write a script that runs `dh` with a test's
// environment, and kill the server and its socket file at the end.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export type Tmux = {
  /** Runs `tmux <args>` on this server; its stdout (throws on failure). */
  (...args: string[]): string;
  /** Kills the server and removes its socket file (idempotent). */
  kill(): void;
};

export const tmuxServer = (socket: string): Tmux => {
  const run = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (r.error !== undefined)
      throw new Error(`tmux is needed for this test (.ci/run installs it): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  return Object.assign(run, {
    kill: () => {
      try {
        run('kill-server');
      } catch {
        // no server left
      }
      // tmux leaves its socket file behind
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    },
  });
};

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `export K=V` lines for a pane's script: the test's environment, colour left to the terminal. */
export const exportLines = (env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): string[] =>
  Object.entries({ ...env, NO_COLOR: undefined, TERM: 'xterm-256color', ...extra })
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
