// The root README's install line, from a fresh clone: `pnpm install --frozen-lockfile && pnpm
// dh:link && dh --version`. The clone is of this checkout's committed HEAD (what a user would
// get), installed from the local pnpm store (--offline: no network in a test), linked into a
// temporary bin directory on PATH (DH_BIN_DIR, as the README offers). Proves: a fresh install
// prints no warning (it once could not create test/node_modules/.bin/dh), the build makes the
// binary, `dh` runs from PATH, its code cache is made on the first run in the user's cache
// directory (nothing of it is committed or written into the checkout), and the checkout stays clean.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const F = suite('a fresh clone, as the README installs it');

const root = new URL('../../../', import.meta.url).pathname;

const run = (cmd: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv) => {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
};

F('pnpm install --frozen-lockfile && pnpm dh:link && dh --version, from PATH, cache made on first run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dh-fresh-clone-'));
  try {
    const repo = join(dir, 'repo');
    const bin = join(dir, 'bin');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: dir,
      XDG_CACHE_HOME: join(dir, 'cache'),
      DH_BIN_DIR: bin,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    };
    const clone = run('git', ['clone', '-q', root, repo], dir, env);
    assert.is(clone.code, 0, clone.out);
    const install = run('pnpm', ['install', '--frozen-lockfile', '--offline'], repo, {
      ...env,
      // the machine's store, not one under the temporary HOME
      HOME: process.env.HOME,
    });
    assert.is(install.code, 0, install.out);
    assert.not.match(install.out, /WARN/, install.out);
    const link = run('pnpm', ['dh:link'], repo, env);
    assert.is(link.code, 0, link.out);
    assert.match(link.out, /works from any directory/);
    const first = run('dh', ['--version'], dir, env);
    assert.is(first.code, 0, first.out);
    assert.match(first.stdout, /^dh \d+\.\d+\.\d+\n$/);
    const caches = readdirSync(join(dir, 'cache', 'delivery-history', 'dh'));
    assert.is(caches.length, 1, 'the first run made its code cache');
    const second = run('dh', ['--version'], dir, env);
    assert.is(second.stdout, first.stdout);
    const status = run('git', ['status', '--porcelain'], repo, env);
    assert.is(status.stdout, '', 'the install, build and runs leave the checkout clean');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

F.run();
