// `pnpm dh:link` (scripts/linkDh.ts after the build): `dh` on PATH with no setup step: in
// npm's global bin directory (where `npm install -g pnpm` put pnpm) when PNPM_HOME is not
// set, in $PNPM_HOME when it is; then `dh --version` runs from any directory. Temporary
// prefixes stand in for the machine's (npm_config_prefix is npm's own override).
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt } from './support/runDh.js';

const L = suite('pnpm dh:link');

const root = new URL('../../../', import.meta.url).pathname;

const link = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/linkDh.ts'], { cwd: root, env, encoding: 'utf8' });

const version = (binDir: string) =>
  spawnSync('dh', ['--version'], {
    cwd: tmpdir(),
    env: { PATH: `${binDir}:${process.env.PATH ?? ''}`, HOME: process.env.HOME },
    encoding: 'utf8',
  });

L.before(() => ensureBuilt());

L('no PNPM_HOME: linked into npm global bin directory; dh --version runs from PATH', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'dh-npm-prefix-'));
  try {
    const bin = join(prefix, 'bin');
    const env = {
      ...process.env,
      PNPM_HOME: '',
      DH_BIN_DIR: '',
      npm_config_prefix: prefix,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    };
    const r = link(env);
    assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.ok(lstatSync(join(bin, 'dh')).isSymbolicLink());
    assert.match(r.stdout, /works from any directory/);
    const v = version(bin);
    assert.is(v.status, 0, `${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /^dh \d+\.\d+\.\d+\n$/);
    // again: the link is replaced, not refused
    assert.is(link(env).status, 0);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

L('PNPM_HOME set: linked there; a directory not on PATH is said', () => {
  const home = mkdtempSync(join(tmpdir(), 'dh-pnpm-home-'));
  try {
    const r = link({ ...process.env, PNPM_HOME: home, DH_BIN_DIR: '' });
    assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.ok(lstatSync(join(home, 'dh')).isSymbolicLink());
    assert.match(r.stdout, new RegExp(`${home} is not on PATH`));
    const v = version(home);
    assert.match(v.stdout, /^dh \d+\.\d+\.\d+\n$/, `${v.stdout}${v.stderr}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

L.run();
