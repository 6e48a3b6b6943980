import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';

// Short cursors: a list's next-page cursor (the store's key plus the query, hundreds of
// characters) is kept in a local file under a short id (`cur-3fa9c2d1b0`), and the table's
// hint prints the id. `--cursor` takes the id or the full cursor; `--json` keeps the full one
// (a script may page on another machine). Ids are a hash of the cursor, so the same page has
// the same id; files older than SHELF_DAYS are removed as new ones are written.

const ID = /^cur-[0-9a-f]{10}$/;
const SHELF_DAYS = 7;

type Env = Readonly<Record<string, string | undefined>>;

/** `$DH_CURSOR_DIR`, else `$XDG_CACHE_HOME/dh/cursors`, else `~/.cache/dh/cursors`; null without a home. */
export const shelfDir = (env: Env): string | null => {
  if (env.DH_CURSOR_DIR !== undefined && env.DH_CURSOR_DIR !== '') return env.DH_CURSOR_DIR;
  if (env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '') return join(env.XDG_CACHE_HOME, 'dh', 'cursors');
  return env.HOME === undefined || env.HOME === '' ? null : join(env.HOME, '.cache', 'dh', 'cursors');
};

const prune = (dir: string, now: number): void => {
  for (const name of readdirSync(dir)) {
    if (!ID.test(name)) continue;
    const path = join(dir, name);
    if (now - statSync(path).mtimeMs > SHELF_DAYS * 86_400_000) unlinkSync(path);
  }
};

/** The short id the cursor is kept under; the cursor itself when it cannot be kept (no home, read-only). */
export const shelveCursor = (env: Env, cursor: string, now: number): string => {
  const dir = shelfDir(env);
  if (dir === null) return cursor;
  const id = `cur-${createHash('sha256').update(cursor).digest('hex').slice(0, 10)}`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${id}.${process.pid}`);
    writeFileSync(tmp, cursor, { mode: 0o600 });
    renameSync(tmp, join(dir, id));
    prune(dir, now);
    return id;
  } catch {
    return cursor;
  }
};

/** A `--cursor` value as the full cursor: a short id is looked up, anything else is returned as is. */
export const unshelveCursor = (env: Env, input: string): E.Either<string, string> => {
  if (!ID.test(input)) return E.right(input);
  const dir = shelfDir(env);
  try {
    if (dir === null) throw new Error('no cache directory');
    return E.right(readFileSync(join(dir, input), 'utf8'));
  } catch {
    return E.left(
      `--cursor ${input} is not kept on this machine (short cursors live in ${dir ?? '$HOME/.cache/dh/cursors'} for ${SHELF_DAYS} days); run the query again, or page with the full cursor from --json`,
    );
  }
};
