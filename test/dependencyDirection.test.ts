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

const importsOf = (file: string): string[] => importsIn(readFileSync(file, 'utf8'));
const importsIn = (text: string): string[] =>
  [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? '');

const allowed: Record<string, readonly string[]> = {
  core: [],
  store: ['core'],
  worker: ['core', 'store'],
  projector: ['core', 'store'],
  // worker and projector only to wire their handlers into the local stack (HANDLER_WIRING below)
  devkit: ['core', 'store', 'worker', 'projector'],
  cli: ['core', 'store', 'devkit'],
  // the test kit: tests and the bench only (no src lists it, so it is in no Lambda bundle)
  testkit: ['core', 'store', 'devkit', 'projector'],
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
        // the test kit may use the testing doors, as tests do
        const door = pkg === 'testkit' && m[2] === '/testing';
        assert.ok(m[2] === undefined || door, `${where}: deep import ${spec}`);
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
    // testkit is test code (the tests' kit), not a package's shipped source
    ...readdirSync(join(root, 'packages'))
      .filter((p) => p !== 'testkit')
      .map((p) => join(root, 'packages', p, 'src')),
    join(root, 'infra', 'src'),
    join(root, 'infra', 'bin'),
  ];
  return dirs.filter((d) => existsSync(d)).flatMap(files);
};

Direction('only the store (and devkit) imports the DynamoDB clients (the test kit neither)', () => {
  // the test kit writes and reads items through the store's door too (Store.putItems, readPartition)
  const testkit = files(join(root, 'packages', 'testkit', 'src'));
  const offenders = [...sourceFiles(), ...testkit].flatMap((f) => {
    const where = relative(root, f);
    if (DYNAMODB_ALLOWED.some((dir) => where.startsWith(dir))) return [];
    return importsOf(f)
      .filter((s) => DYNAMODB_MODULES.test(s))
      .map((s) => `${where} -> ${s}`);
  });
  assert.equal(offenders, []);
});

// Apps borrow no rules from each other: cli, devkit and infra import nothing from worker or
// projector (a rule they share lives in core or the store). devkit wires the real handlers
// into the local stack: exactly these files, for exactly that.
const APPS = /^@delivery-history\/(worker|projector)$/;
const HANDLER_WIRING: Readonly<Record<string, string>> = {
  'packages/devkit/src/createLocalWorker.ts': '@delivery-history/worker', // the worker's handler over the local queue
  'packages/devkit/src/localQueue.ts': '@delivery-history/worker', // the handler's SQS ports, implemented locally
  'packages/devkit/src/localDrain.ts': '@delivery-history/worker', // the drain function's handler on a timer
  // the local stream poller around the projector's apply (its deps, errors, config, events, telemetry)
  'packages/devkit/src/poller/poller.ts': '@delivery-history/projector',
  'packages/devkit/src/poller/batchRetry.ts': '@delivery-history/projector',
  'packages/devkit/src/poller/shardLoop.ts': '@delivery-history/projector',
  'packages/devkit/src/poller/pollerConfig.ts': '@delivery-history/projector',
  'packages/devkit/src/poller/pollerMain.ts': '@delivery-history/projector',
  'packages/devkit/src/poller/pollerStats.ts': '@delivery-history/projector',
};
const toolFiles = (): string[] =>
  [
    join(root, 'packages', 'cli', 'src'),
    join(root, 'packages', 'devkit', 'src'),
    join(root, 'infra', 'src'),
    join(root, 'infra', 'bin'),
  ]
    .filter((d) => existsSync(d))
    .flatMap(files);

/** A source file as the rules read it: its repo-relative path and its text. */
type Source = { readonly where: string; readonly text: string };
const sourcesOf = (list: readonly string[]): Source[] =>
  list.map((f) => ({ where: relative(root, f), text: readFileSync(f, 'utf8') }));

/** `file -> spec` for every import of worker/projector by cli, devkit or infra not on the wiring list. */
const borrowedRules = (list: readonly Source[]): string[] =>
  list.flatMap(({ where, text }) =>
    importsIn(text)
      .filter((s) => APPS.test(s) && HANDLER_WIRING[where] !== s)
      .map((s) => `${where} -> ${s}`),
  );

Direction('cli, devkit and infra import no rule from worker or projector (devkit: handler wiring only)', () => {
  assert.equal(borrowedRules(sourcesOf(toolFiles())), []);
  // every wiring entry is still needed (the list cannot outgrow what it allows)
  for (const [file, spec] of Object.entries(HANDLER_WIRING)) {
    assert.ok(importsOf(join(root, file)).includes(spec), `${file} no longer imports ${spec}: drop it from the list`);
  }
});

// One door into the store: outside it, nobody builds an Env or calls a raw op (a function of
// an Env: the store's ops and queries); they go through createStore/Store, which logs and
// carries the store's policies. A raw op is found by its shape, so a new one is covered too.
const storeFiles = files(join(root, 'packages', 'store', 'src'));
const RAW_OPS = new Set(
  storeFiles.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/export const (\w+)\s*=\s*(?:<[^>]*>)?\(\s*env\s*:\s*Env\b/g)].map(
      (m) => m[1] ?? '',
    ),
  ),
);
const DOOR_BANNED = new Set(['makeEnv', 'Env', ...RAW_OPS]);

/** Names a file imports (or re-exports) from the store package. */
const storeNamesOf = (text: string): string[] =>
  [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s+['"]@delivery-history\/store['"]/g,
    ),
  ].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map(
        (n) =>
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0] ?? '',
      )
      .filter((n) => n !== ''),
  );

const rawDoorUses = (list: readonly Source[]): string[] =>
  list.flatMap(({ where, text }) =>
    storeNamesOf(text)
      .filter((n) => DOOR_BANNED.has(n))
      .map((n) => `${where} -> ${n}`),
  );

Direction('outside the store, nobody imports makeEnv, Env or a raw op (one door: createStore)', () => {
  assert.ok(RAW_OPS.has('appendAttempt') && RAW_OPS.has('readPartition'), 'raw ops are found by their shape');
  const outside = sourceFiles().filter((f) => !relative(root, f).startsWith('packages/store/'));
  assert.equal(rawDoorUses(sourcesOf(outside)), []);
});

// Tests reach internals through `@delivery-history/<pkg>/testing` (or their own package's
// ../src); no package's source, infra's included, imports a testing door or any deep path.
const deepImports = (list: readonly Source[]): string[] =>
  list.flatMap(({ where, text }) =>
    importsIn(text)
      .filter((s) => /^@delivery-history\/[^/]+\/./.test(s))
      .map((s) => `${where} -> ${s}`),
  );

Direction('no source imports a testing door (or any deep path)', () => {
  assert.equal(deepImports(sourcesOf(sourceFiles())), []);
});

// The rules above can fail: deliberate offending imports, as a file in each place would hold them.
Direction('the rules flag deliberate offending imports', () => {
  const cli = (text: string): Source[] => [{ where: 'packages/cli/src/history/run.ts', text }];
  assert.equal(borrowedRules(cli("import { readConfig } from '@delivery-history/worker';\n")), [
    'packages/cli/src/history/run.ts -> @delivery-history/worker',
  ]);
  assert.equal(
    borrowedRules([{ where: 'infra/src/stack.ts', text: "import { x } from '@delivery-history/projector';" }]),
    ['infra/src/stack.ts -> @delivery-history/projector'],
  );
  // devkit's wiring entry allows its handler import, and nothing else
  const wiring = 'packages/devkit/src/localQueue.ts';
  assert.equal(borrowedRules([{ where: wiring, text: "import { y } from '@delivery-history/worker';" }]), []);
  assert.equal(borrowedRules([{ where: wiring, text: "import { y } from '@delivery-history/projector';" }]), [
    `${wiring} -> @delivery-history/projector`,
  ]);
  const door = cli(
    "import {\n  createStore,\n  makeEnv,\n  type Env,\n  appendAttempt as raw,\n} from '@delivery-history/store';\n",
  );
  assert.equal(rawDoorUses(door), [
    'packages/cli/src/history/run.ts -> makeEnv',
    'packages/cli/src/history/run.ts -> Env',
    'packages/cli/src/history/run.ts -> appendAttempt',
  ]);
  assert.equal(deepImports(cli("import { tableReader } from '@delivery-history/store/testing';")), [
    'packages/cli/src/history/run.ts -> @delivery-history/store/testing',
  ]);
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
