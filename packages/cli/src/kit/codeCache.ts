// Loads the CLI bundle (dist/dh.cjs) with a V8 code cache: the bytecode V8 compiled during an
// earlier run of the same command, kept in the user's cache directory. Why: most of a short
// command's start-up was compiling ~1 MB of bundled JS, the SDK's mostly (dh history: 197 ms
// CPU without the cache, 130 ms with it, against 66 ms for `node -e 0`; packages/cli/README.md,
// "Start-up"). Node 20 has no compile cache for modules (`module.enableCompileCache` is Node
// 22.1+), so the bundle is CommonJS and compiled here with `vm.Script`, whose `cachedData` is
// stable API on every Node this runs on; one path on 20 and 22, so what CI proves is what runs.
//
// Safe by construction: a cache is keyed by the bundle's content hash (its first line, written
// by scripts/bundleCli.ts), node's version and the architecture, and V8 itself rejects one made
// by another V8 or other flags (then the run compiles from source, as without a cache, and
// writes a fresh one). A missing or unwritable cache directory only means no cache. Files are
// written aside and renamed into place, so a parallel run never reads half a cache.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

/** The bundle's first line: `// dh-bundle <hash>`. */
const HASH_LINE = /^\/\/ dh-bundle ([0-9a-f]{16})\n/;
/** At most this many caches are kept (each ~1.5 MB: one per command of a build; three builds). */
const KEEP = 48;

type Env = Readonly<Record<string, string | undefined>>;

/** The per-user cache directory (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows). */
export const codeCacheDir = (env: Env, platform: NodeJS.Platform, home: string): string => {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'delivery-history', 'dh');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'delivery-history', 'dh');
  const local = env.LOCALAPPDATA;
  if (platform === 'win32' && local !== undefined && isAbsolute(local))
    return join(local, 'delivery-history', 'cache', 'dh');
  return join(home, '.cache', 'delivery-history', 'dh');
};

/** One cache per command: each keeps the functions its own run compiled (`replay redrive` -> `replay`). */
export const commandKey = (argv: ReadonlyArray<string>): string => {
  const c = argv[0];
  return c !== undefined && /^[a-z]{1,20}$/.test(c) ? c : '_';
};

const readOrUndefined = (file: string): Buffer | undefined => {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
};

/** Writes the cache to `file` through a rename, then keeps the KEEP newest caches. Best effort. */
const save = (file: string, data: () => Buffer): void => {
  try {
    const dir = dirname(file);
    // the directory first: where it cannot be made, serializing the cache would be wasted work
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, data(), { mode: 0o600 });
    renameSync(aside, file);
    const caches = readdirSync(dir)
      .filter((f) => f.endsWith('.v8'))
      .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { f } of caches.slice(KEEP)) rmSync(join(dir, f), { force: true });
  } catch {
    // no cache this time: the next run compiles from source again
  }
};

type Exit = { once(event: 'exit', listener: (code: number) => void): unknown };

export type CodeCacheOptions = {
  /** Where caches live; null: no cache. */
  readonly dir: string | null;
  /** Which command's cache (`commandKey`). */
  readonly key: string;
  /** Exits that leave a cache: a run that did its work (0 found/ok, 1 not found or drift). */
  readonly keepOn?: ReadonlyArray<number>;
  readonly process?: Exit;
};

/** What a load did with the cache. */
export type CodeCacheUse = 'none' | 'used' | 'rejected' | 'missing';

/**
 * Runs the CommonJS bundle at `bundle` and returns its exports. The cache is made at exit, so
 * it holds the functions this run compiled (lazily compiled ones included), not only the top level.
 */
export const loadBundle = (bundle: string, o: CodeCacheOptions): { exports: unknown; cache: CodeCacheUse } => {
  const source = readFileSync(bundle, 'utf8');
  const hash = HASH_LINE.exec(source)?.[1];
  const file =
    hash === undefined || o.dir === null ? null : join(o.dir, `${hash}-${process.version}-${process.arch}-${o.key}.v8`);
  const cachedData = file === null ? undefined : readOrUndefined(file);
  // the CommonJS wrapper on the first line, so line numbers in stack traces stay the bundle's
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData !== undefined ? { cachedData } : {}),
  });
  const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  const module: { exports: unknown } = { exports: {} };
  run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const cache: CodeCacheUse =
    file === null
      ? 'none'
      : cachedData === undefined
        ? 'missing'
        : script.cachedDataRejected === true
          ? 'rejected'
          : 'used';
  if (file !== null && cache !== 'used') {
    const keepOn = o.keepOn ?? [0, 1];
    (o.process ?? process).once('exit', (code) => {
      if (keepOn.includes(code)) save(file, () => script.createCachedData());
    });
  }
  return { exports: module.exports, cache };
};
