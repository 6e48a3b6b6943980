// The code cache dh's binary loads its bundle with (src/kit/codeCache.ts): made at the end of a
// run that did its work, used by the next run of the same command and build, rejected (and
// remade) when it does not fit, never required: without a usable directory dh runs as before.
// And the real binary: a fresh checkout's first run creates the cache, the second uses it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { codeCacheDir, commandKey } from '../src/kit/codeCache.js';
import { BIN, ensureBuilt } from './support/runDh.js';

const C = suite<Ctx>('code cache', { dir: '', bundle: '', cache: '' });

type Ctx = { dir: string; bundle: string; cache: string };

const HASH = '0123456789abcdef';
const bundleText = (hash: string, body = 'exports.add = (a, b) => a + b;') => `// dh-bundle ${hash}\n${body}\n`;

const CHILD = new URL('./support/codeCacheChild.ts', import.meta.url).pathname;

/** One run in a child process that exits with `code`: what it did with the cache, and 2 + 3 by the bundle. */
const load = (ctx: Ctx, key = 'history', code = 0, dir: string | null = ctx.cache) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ctx.bundle, dir ?? '-', key, String(code)], {
    encoding: 'utf8',
  });
  if (r.status !== code) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { cache: string; sum: number };
};

const caches = (ctx: Ctx): string[] => {
  try {
    return readdirSync(ctx.cache).sort();
  } catch {
    return [];
  }
};

C.before.each((ctx: Ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-code-cache-'));
  ctx.bundle = join(ctx.dir, 'dh.cjs');
  ctx.cache = join(ctx.dir, 'cache', 'dh');
  writeFileSync(ctx.bundle, bundleText(HASH));
});
C.after.each((ctx: Ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

C('first run: no cache, runs from source, leaves one at exit 0; the next run uses it', (ctx: Ctx) => {
  const first = load(ctx);
  assert.equal(first, { cache: 'missing', sum: 5 });
  assert.equal(caches(ctx), [`${HASH}-${process.version}-${process.arch}-history.v8`]);
  assert.equal(load(ctx), { cache: 'used', sum: 5 });
});

C('a cache per command and per build (the bundle hash)', (ctx: Ctx) => {
  load(ctx, 'history', 0);
  assert.is(load(ctx, 'failed', 1).cache, 'missing', 'not the history cache');
  assert.is(load(ctx, 'failed').cache, 'used');
  writeFileSync(ctx.bundle, bundleText('fedcba9876543210', 'exports.add = (a, b) => a - b;'));
  assert.equal(load(ctx, 'history'), { cache: 'missing', sum: -1 }, 'a new build does not use the old build cache');
  assert.is(caches(ctx).length, 3);
});

C('a run that failed (usage error, interrupt) leaves no cache', (ctx: Ctx) => {
  load(ctx, 'history', 2);
  load(ctx, 'history', 130);
  assert.equal(caches(ctx), []);
});

C('a cache V8 cannot use is rejected, the run goes on from source, and a good one replaces it', (ctx: Ctx) => {
  load(ctx);
  const [file] = caches(ctx);
  if (file === undefined) throw new Error('no cache written');
  writeFileSync(join(ctx.cache, file), Buffer.alloc(4096, 7));
  assert.equal(load(ctx), { cache: 'rejected', sum: 5 });
  assert.equal(load(ctx), { cache: 'used', sum: 5 });
});

C('no usable directory: no cache, no error', (ctx: Ctx) => {
  const file = join(ctx.dir, 'a-file');
  writeFileSync(file, '');
  // mkdir fails under a file: the run ends as it would have, nothing written
  assert.equal(load(ctx, 'history', 0, join(file, 'dh')), { cache: 'missing', sum: 5 });
  assert.equal(load(ctx, 'history', 0, null), { cache: 'none', sum: 5 });
});

C('a bundle without its hash line is never cached', (ctx: Ctx) => {
  writeFileSync(ctx.bundle, 'exports.add = (a, b) => a * b;\n');
  assert.equal(load(ctx), { cache: 'none', sum: 6 });
  assert.equal(caches(ctx), []);
});

C('at most 48 caches are kept, the oldest go first', (ctx: Ctx) => {
  mkdirSync(ctx.cache, { recursive: true });
  const old = Date.now() - 86_400_000;
  for (let i = 0; i < 60; i++) {
    const f = join(ctx.cache, `old${String(i).padStart(2, '0')}.v8`);
    writeFileSync(f, '');
    utimesSync(f, new Date(old), new Date(old + i * 1000));
  }
  load(ctx);
  const left = caches(ctx);
  assert.is(left.length, 48);
  assert.ok(left.includes(`${HASH}-${process.version}-${process.arch}-history.v8`), 'the new cache is kept');
  assert.not.ok(left.includes('old00.v8'), 'the oldest went');
  assert.ok(left.includes('old59.v8'));
});

C('the cache directory: XDG_CACHE_HOME, else the platform convention', () => {
  assert.is(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/a'), '/x/cache/delivery-history/dh');
  assert.is(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/a'), '/home/a/.cache/delivery-history/dh');
  assert.is(codeCacheDir({}, 'darwin', '/Users/a'), '/Users/a/Library/Caches/delivery-history/dh');
  assert.is(codeCacheDir({}, 'linux', '/home/a'), '/home/a/.cache/delivery-history/dh');
});

C('the cache key is the command, or _ for anything else', () => {
  assert.is(commandKey(['history', 'm-1']), 'history');
  assert.is(commandKey(['replay', 'redrive']), 'replay');
  assert.is(commandKey(['--version']), '_');
  assert.is(commandKey(['../../etc']), '_');
  assert.is(commandKey([]), '_');
});

C('the built binary: the first run creates the cache, the next uses it (same output, not rewritten)', (ctx: Ctx) => {
  ensureBuilt();
  const env = { PATH: process.env.PATH, HOME: ctx.dir, XDG_CACHE_HOME: join(ctx.dir, 'xdg') };
  const dh = () => spawnSync(process.execPath, [BIN, '--version'], { env, encoding: 'utf8' });
  const first = dh();
  assert.is(first.status, 0, first.stderr);
  const dir = join(ctx.dir, 'xdg', 'delivery-history', 'dh');
  const made = readdirSync(dir);
  assert.is(made.length, 1);
  assert.match(
    made[0] ?? '',
    new RegExp(`^[0-9a-f]{16}-${process.version.replaceAll('.', '\\.')}-${process.arch}-_\\.v8$`),
  );
  const at = statSync(join(dir, made[0] ?? '')).mtimeMs;
  const second = dh();
  assert.is(second.status, 0, second.stderr);
  assert.is(second.stdout, first.stdout);
  assert.is(statSync(join(dir, made[0] ?? '')).mtimeMs, at, 'used, not remade');
});

C.run();
