// Dependencies point one way (core <- store <- worker, projector, cli; infra -> store; devkit,
// the local-only tooling, is used by cli, tests and the bench only), core stays pure, and no
// package reaches into another's files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return e === 'node_modules' || e === 'dist' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });

const importsOf = (file: string): string[] =>
  [
    ...readFileSync(file, 'utf8').matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? '');

const allowed: Record<string, readonly string[]> = {
  core: [],
  store: ['core'],
  worker: ['core', 'store'],
  projector: ['core', 'store'],
  devkit: ['core', 'store', 'worker'],
  cli: ['core', 'store', 'worker', 'projector', 'devkit'],
};

const Direction = suite('dependency direction');

for (const [pkg, deps] of Object.entries(allowed)) {
  Direction(`${pkg} imports only ${deps.join(', ') || 'no workspace package'}`, () => {
    const src = join(root, 'packages', pkg, 'src');
    for (const file of files(src)) {
      for (const spec of importsOf(file)) {
        const m = /^@delivery-history\/([^/]+)(\/.*)?$/.exec(spec);
        if (m === null) continue;
        const where = relative(root, file);
        assert.ok(m[2] === undefined, `${where}: deep import ${spec}`);
        assert.ok(deps.includes(m[1] ?? ''), `${where}: ${pkg} must not import ${spec}`);
      }
    }
  });
}

Direction('core imports no AWS SDK, no HTTP, no network', () => {
  const banned =
    /^(@aws-sdk\/|@smithy\/|@aws-lambda-powertools\/|undici$|node:(http|https|http2|net|tls|dgram|dns|child_process)$)/;
  const src = join(root, 'packages', 'core', 'src');
  const offenders = files(src).flatMap((f) =>
    importsOf(f)
      .filter((s) => banned.test(s))
      .map((s) => `${relative(root, f)} -> ${s}`),
  );
  assert.equal(offenders, []);
});

Direction('the import scanner sees imports (guards against a vacuous pass)', () => {
  const own = importsOf(new URL(import.meta.url).pathname);
  assert.ok(own.includes('uvu/assert'));
  assert.ok(files(join(root, 'packages', 'core', 'src')).length > 0);
});

Direction.run();
