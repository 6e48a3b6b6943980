// Dependencies point one way (core <- store <- worker, projector, cli; infra -> store; devkit,
// the local-only tooling, is used by cli, tests and the bench only), core stays pure, only the
// store talks to DynamoDB, and no package reaches into another's files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

// The store is the only package that talks to DynamoDB (and maps its errors): nothing else
// imports the DynamoDB clients. devkit (local-only tooling: DynamoDB Local) may too.
const DYNAMODB_MODULES = /^@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)$/;
const DYNAMODB_ALLOWED = ['packages/store/', 'packages/devkit/'];
const sourceFiles = (): string[] => {
  const dirs = [
    ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src')),
    join(root, 'infra', 'src'),
    join(root, 'infra', 'bin'),
  ];
  return dirs.filter((d) => existsSync(d)).flatMap(files);
};

Direction('only the store (and devkit) imports the DynamoDB clients', () => {
  const offenders = sourceFiles().flatMap((f) => {
    const where = relative(root, f);
    if (DYNAMODB_ALLOWED.some((dir) => where.startsWith(dir))) return [];
    return importsOf(f)
      .filter((s) => DYNAMODB_MODULES.test(s))
      .map((s) => `${where} -> ${s}`);
  });
  assert.equal(offenders, []);
});

Direction('the import scanner sees imports (guards against a vacuous pass)', () => {
  const own = importsOf(new URL(import.meta.url).pathname);
  assert.ok(own.includes('uvu/assert'));
  assert.ok(files(join(root, 'packages', 'core', 'src')).length > 0);
  // the DynamoDB rule sees the store's own imports of those modules (so it is not vacuous either)
  const store = files(join(root, 'packages', 'store', 'src')).flatMap(importsOf);
  assert.ok(store.some((s) => DYNAMODB_MODULES.test(s)));
});

Direction.run();
