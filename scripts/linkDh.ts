// `pnpm dh:link`: puts `dh` on PATH from this checkout (after `pnpm build`): a symlink to
// packages/cli/bin/dh.js in a directory that is already on PATH, with no setup step:
//   1. `--bin-dir DIR` (or $DH_BIN_DIR), when given;
//   2. $PNPM_HOME, pnpm's global bin directory, when set (`pnpm setup` put it on PATH);
//   3. npm's global bin directory (`npm prefix -g`/bin), where `npm install -g pnpm` put pnpm.
// (`pnpm link --global` linked the root package with pnpm 10 and needed PNPM_HOME.)
// The link points into the checkout, so a later `pnpm build` is picked up; the bundle finds
// the devkit (DynamoDB Local's jar) through the checkout's node_modules.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, lstatSync, mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'packages', 'cli', 'bin', 'dh.js');
const name = process.platform === 'win32' ? 'dh.cmd' : 'dh';

const { values } = parseArgs({ options: { 'bin-dir': { type: 'string' } } });

const npmBinDir = (): string => {
  const prefix = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['prefix', '-g'], {
    encoding: 'utf8',
  }).trim();
  return process.platform === 'win32' ? prefix : join(prefix, 'bin');
};

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s);

const dir =
  nonEmpty(values['bin-dir']) ?? nonEmpty(process.env.DH_BIN_DIR) ?? nonEmpty(process.env.PNPM_HOME) ?? npmBinDir();
const link = join(dir, name);

mkdirSync(dir, { recursive: true });
try {
  const existing = lstatSync(link);
  // replace our own link (or a stale one); never a real file someone else installed
  if (!existing.isSymbolicLink()) {
    process.stderr.write(`dh:link: ${link} exists and is not a link; remove it or pass --bin-dir DIR\n`);
    process.exit(1);
  }
  unlinkSync(link);
} catch (e) {
  if ((e as { code?: string }).code !== 'ENOENT') throw e;
}
symlinkSync(target, link);
process.stdout.write(`dh:link: ${link} -> ${readlinkSync(link)}\n`);

/** The first `dh` on PATH, or null. */
const onPath = (): string | null => {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d === '') continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {
      // not here
    }
  }
  return null;
};

const found = onPath();
if (found === link) process.stdout.write('dh:link: `dh --version` works from any directory\n');
else
  process.stdout.write(
    found === null
      ? `dh:link: ${dir} is not on PATH; add it (export PATH="${dir}${delimiter}$PATH") or pass --bin-dir DIR\n`
      : `dh:link: another dh comes first on PATH (${found}); remove it or put ${dir} first\n`,
  );
