// The package as a team gets it: `pnpm pack` (its prepack builds lib/ and the prebuilt
// bundles), the tarball unpacked into a node_modules outside the workspace next to the CDK
// and nothing else, and a plain JavaScript CDK app (consumer/app.mjs) that imports
// `@delivery-history/infra` by name and uses DeliveryHistory twice in one stack. Its
// template shows the bring-your-own wiring, the grants and the alarms; its Lambda assets are
// the package's prebuilt bundles, which answer in a cold node as Lambda would run them.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { answerEmptyBatch } from './support/coldHandler.js';
import { grantsOf, props, type Resource, resourcesOf, statementsOfRole, wildcards } from './support/templateQueries.js';

const run = promisify(execFile);
const infraDir = fileURLToPath(new URL('..', import.meta.url));
const json = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

type Ctx = { dir: string; pkg: string; outdir: string; template: Template; tarball: string };
const Packed = suite<Ctx>('the packed package, used by a separate CDK app', {
  dir: '',
  pkg: '',
  outdir: '',
  template: Template.fromJSON({}),
  tarball: '',
});

/** The directory of an installed package of infra's (the CDK the consumer brings). */
const packageDirOf = (name: string): string =>
  realpathSync(dirname(createRequire(join(infraDir, 'package.json')).resolve(`${name}/package.json`)));

Packed.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-consumer-'));
  await run('pnpm', ['pack', '--pack-destination', ctx.dir], { cwd: infraDir, timeout: 300_000 });
  const tarball = readdirSync(ctx.dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball !== undefined, 'pnpm pack wrote a tarball');
  ctx.tarball = join(ctx.dir, tarball);
  const modules = join(ctx.dir, 'app', 'node_modules');
  mkdirSync(join(modules, '@delivery-history'), { recursive: true });
  await run('tar', ['xzf', ctx.tarball, '-C', join(modules, '@delivery-history')]);
  ctx.pkg = join(modules, '@delivery-history', 'infra');
  renameSync(join(modules, '@delivery-history', 'package'), ctx.pkg);
  for (const peer of ['aws-cdk-lib', 'constructs']) symlinkSync(packageDirOf(peer), join(modules, peer), 'dir');
  copyFileSync(join(infraDir, 'test', 'consumer', 'app.mjs'), join(ctx.dir, 'app', 'app.mjs'));
  ctx.outdir = join(ctx.dir, 'cdk.out');
  await run(process.execPath, ['app.mjs', ctx.outdir], {
    cwd: join(ctx.dir, 'app'),
    // Offline and without Docker: a bundling attempt would fail here.
    env: { PATH: process.env.PATH ?? '', CDK_DOCKER: '/nonexistent/docker', NO_COLOR: '1' },
    timeout: 300_000,
  });
  ctx.template = Template.fromJSON(JSON.parse(readFileSync(join(ctx.outdir, 'Consumer.template.json'), 'utf8')));
});

Packed.after((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

const only = (t: Template, type: string, idPrefix: string): [string, Resource] => {
  const hits = resourcesOf(t, type).filter(([id]) => id.startsWith(idPrefix));
  assert.is(hits.length, 1, `one ${type} ${idPrefix}*: ${hits.map(([id]) => id).join(', ')}`);
  return hits[0] as [string, Resource];
};
const fnNamed = (t: Template, name: string): [string, Resource] => {
  const hits = resourcesOf(t, 'AWS::Lambda::Function').filter(([, r]) => props(r).FunctionName === name);
  assert.is(hits.length, 1, name);
  return hits[0] as [string, Resource];
};
const mappingOf = (t: Template, fnId: string): Record<string, unknown> => {
  const hits = resourcesOf(t, 'AWS::Lambda::EventSourceMapping').filter(
    ([, r]) => json(props(r).FunctionName) === json({ Ref: fnId }),
  );
  assert.is(hits.length, 1, fnId);
  return props((hits[0] as [string, Resource])[1]);
};
const roleOf = (fn: Resource): string => (props(fn).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

Packed('the tarball holds the library, the prebuilt bundles and no sources', (ctx) => {
  const files = readdirSync(ctx.pkg, { recursive: true }).map(String);
  assert.ok(files.includes(join('lib', 'index.js')));
  for (const target of ['node20', 'node22', 'node24'])
    for (const handler of ['worker', 'projector', 'drain'])
      assert.ok(files.includes(join('bundles', target, handler, 'index.mjs')), `${target} ${handler}`);
  assert.not.ok(
    files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    'no TypeScript sources',
  );
  const manifest = JSON.parse(readFileSync(join(ctx.pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
  // nothing from this workspace is needed at install: its code is inside lib/index.js
  assert.is(manifest.dependencies, undefined);
  assert.equal(Object.keys(manifest.peerDependencies as object).sort(), ['aws-cdk-lib', 'constructs']);
  assert.not.match(json(manifest.exports), /src\/index\.ts/);
});

Packed('both instances synthesize in one stack; bring-your-own creates no table, no delivery queue, no key', (ctx) => {
  const t = ctx.template;
  // the team's table and the created one; the team's key; team-b's queues: only projector failures
  assert.is(resourcesOf(t, 'AWS::DynamoDB::Table').length, 2);
  assert.is(resourcesOf(t, 'AWS::KMS::Key').length, 1);
  const queueNames = resourcesOf(t, 'AWS::SQS::Queue').map(([, q]) => String(props(q).QueueName ?? 'TEAM'));
  assert.equal(
    queueNames.filter((n) => n.startsWith('team-b')),
    ['team-b-projector-failures'],
  );
  assert.ok(queueNames.includes('team-a-deliveries') && queueNames.includes('team-a-deliveries-dlq'));
});

Packed("the worker consumes the team's queue, the projector the team's table stream, with the team's key", (ctx) => {
  const t = ctx.template;
  const [tableId] = only(t, 'AWS::DynamoDB::Table', 'TeamTable');
  const [queueId] = only(t, 'AWS::SQS::Queue', 'TeamQueue');
  const [keyId] = only(t, 'AWS::KMS::Key', 'TeamKey');
  const [workerId, worker] = fnNamed(t, 'team-b-worker');
  const [projectorId, projector] = fnNamed(t, 'team-b-projector');
  assert.equal(mappingOf(t, workerId).EventSourceArn, arn(queueId));
  assert.equal(mappingOf(t, projectorId).EventSourceArn, { 'Fn::GetAtt': [tableId, 'StreamArn'] });
  const env = (props(worker).Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(env.DELIVERY_TABLE_NAME, { Ref: tableId });
  // overrides and runtime choice reach the function
  assert.is(props(worker).MemorySize, 1024);
  assert.is(props(worker).Runtime, 'nodejs24.x');
  for (const fn of [worker, projector]) {
    const grants = grantsOf(statementsOfRole(t, roleOf(fn)));
    assert.equal(grants['kms:Decrypt'], [json(arn(keyId))]);
  }
  const [, failures] = only(t, 'AWS::SQS::Queue', 'ByoQueuesProjectorFailures');
  assert.equal(props(failures).KmsMasterKeyId, arn(keyId));
  // the team's tag on team-b's resources, not on team-a's
  assert.match(json(props(worker).Tags), /"Key":"team","Value":"payments"/);
  assert.not.match(json(props(fnNamed(t, 'team-a-worker')[1]).Tags), /payments/);
});

Packed(
  'grants: producers send (and use the key), support reads, operators replay and re-drive; named actions only',
  (ctx) => {
    const t = ctx.template;
    const [tableId] = only(t, 'AWS::DynamoDB::Table', 'TeamTable');
    const [queueId] = only(t, 'AWS::SQS::Queue', 'TeamQueue');
    const [keyId] = only(t, 'AWS::KMS::Key', 'TeamKey');
    const grantsOfRole = (prefix: string) => grantsOf(statementsOfRole(t, only(t, 'AWS::IAM::Role', prefix)[0]));
    const table = json(arn(tableId));
    const indexes = json({ 'Fn::Join': ['', [arn(tableId), '/index/*']] });

    assert.equal(grantsOfRole('Producer'), {
      'sqs:SendMessage': [json(arn(queueId))],
      'kms:GenerateDataKey': [json(arn(keyId))],
      'kms:Decrypt': [json(arn(keyId))],
    });
    const support = grantsOfRole('Support');
    assert.equal(Object.keys(support).sort(), [
      'dynamodb:BatchGetItem',
      'dynamodb:DescribeStream',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:DescribeKey',
    ]);
    assert.equal(support['dynamodb:Query'], [indexes, table].sort());
    const operator = grantsOfRole('Operator');
    for (const a of [
      'dynamodb:Scan',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'sqs:SendMessage',
      'kms:GenerateDataKey',
    ])
      assert.ok(operator[a] !== undefined, a);
    assert.is(operator['dynamodb:DeleteTable'], undefined);
    for (const prefix of ['Producer', 'Support', 'Operator']) {
      const statements = statementsOfRole(t, only(t, 'AWS::IAM::Role', prefix)[0]);
      assert.equal(wildcards(statements).actions, [], prefix);
    }
  },
);

Packed("alarms: missing data is quiet, silence is measured; the team's topic gets every team-b alarm", (ctx) => {
  const t = ctx.template;
  const [queueId] = only(t, 'AWS::SQS::Queue', 'TeamQueue');
  const [topicId] = only(t, 'AWS::SNS::Topic', 'TeamAlarms');
  const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, props(a)] as const);
  for (const [id, a] of alarms) assert.is(a.TreatMissingData, 'notBreaching', id);
  const byo = alarms.filter(([id]) => id.startsWith('Byo'));
  assert.ok(byo.length >= 10, `${byo.length} team-b alarms`);
  for (const [id, a] of byo) assert.equal(a.AlarmActions, [{ Ref: topicId }], id);
  // team-a has no topic: no actions
  for (const [id, a] of alarms.filter(([i]) => i.startsWith('Created'))) assert.is(a.AlarmActions, undefined, id);
  // the oldest-message alarm watches the team's queue
  assert.ok(
    byo.some(([, a]) => a.MetricName === 'ApproximateAgeOfOldestMessage' && json(a.Dimensions).includes(queueId)),
  );
  // the projector's iterator age breaches when the table takes writes and the projector says nothing
  const iterator = byo.filter(([, a]) => json(a.Metrics).includes('IteratorAge'));
  assert.is(iterator.length, 1);
  assert.match(json(iterator[0]?.[1].Metrics), /IF\(FILL\(writes, 0\) > 0, FILL\(age, 300000\), FILL\(age, 0\)\)/);
});

Packed("the functions' code is the package's prebuilt bundle, unchanged", (ctx) => {
  const t = ctx.template;
  for (const [name, target, handler] of [
    ['team-a-worker', 'node22', 'worker'],
    ['team-b-projector', 'node24', 'projector'],
    ['team-a-drain', 'node22', 'drain'],
  ] as const) {
    const [, fn] = fnNamed(t, name);
    const key = String((props(fn).Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
    const deployed = readFileSync(join(ctx.outdir, `asset.${key}`, 'index.mjs'));
    assert.ok(deployed.equals(readFileSync(join(ctx.pkg, 'bundles', target, handler, 'index.mjs'))), name);
  }
});

for (const handler of ['worker', 'projector'] as const)
  Packed(`the packed ${handler} bundle: a cold node imports it and answers an empty batch`, async (ctx) => {
    const [kind, response] = await answerEmptyBatch(join(ctx.pkg, 'bundles', 'node22', handler, 'index.mjs'), ctx.dir);
    assert.is(kind, 'function');
    assert.equal(response, { batchItemFailures: [] });
  });

/** A team's TypeScript app against the package's declarations (strict, skipLibCheck off). */
const TYPED_CONSUMER = `import { App, Stack } from 'aws-cdk-lib';
import {
  DeliveryHistory,
  type DeliveryHistoryProps,
  READ_TABLE_ACTIONS,
  type StackConfig,
} from '@delivery-history/infra';

const app = new App();
const stack = new Stack(app, 'Typed');
const props: DeliveryHistoryProps = { settings: { stage: 'dev', maxAttempts: 5 } };
const dh = new DeliveryHistory(stack, 'Dh', props);
const config: StackConfig = dh.config;
const tableName: string = config.tableName;
const actions: readonly string[] = READ_TABLE_ACTIONS;
void actions;
void tableName;
`;

Packed("the declarations name no private workspace package: a consumer's tsc compiles against them", async (ctx) => {
  const app = join(ctx.dir, 'app');
  const modules = join(app, 'node_modules');
  // the types a CDK app has anyway (aws-cdk-lib's declarations use Node's)
  mkdirSync(join(modules, '@types'), { recursive: true });
  symlinkSync(packageDirOf('@types/node'), join(modules, '@types', 'node'), 'dir');
  writeFileSync(join(app, 'typed.ts'), TYPED_CONSUMER);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        types: ['node'],
      },
      files: ['typed.ts'],
    }),
  );
  // the declarations a consumer loads: index.d.ts and what it imports, transitively
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(ctx.pkg, 'dist', file), 'utf8');
    for (const m of text.matchAll(/from '\.\/([^']+)\.js'/g)) visit(`${m[1]}.d.ts`);
  };
  visit('index.d.ts');
  const named = [...seen].filter((f) =>
    /from '(@delivery-history\/|fp-ts|io-ts|esbuild)|import\("(@delivery-history\/|fp-ts|io-ts)/.test(
      readFileSync(join(ctx.pkg, 'dist', f), 'utf8'),
    ),
  );
  assert.equal(named, [], 'no declaration a consumer loads imports a workspace package or a bundled dependency');
  const tsc = join(packageDirOf('typescript'), 'bin', 'tsc');
  const out = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, timeout: 300_000 }).then(
    () => '',
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  assert.is(out, '', out);
});

Packed('the packed drain bundle: a cold node imports it and reads its configuration (the queue first)', async (ctx) => {
  const [kind, response] = await answerEmptyBatch(join(ctx.pkg, 'bundles', 'node22', 'drain', 'index.mjs'), ctx.dir);
  assert.is(kind, 'function');
  assert.equal(response, { rejected: 'drain configuration: DELIVERY_QUEUE_URL is required' });
});

Packed.run();
