// A re-drive reports how each delivery ended (issue 18, point 2), through the built binary:
// delivered locally (the worker's local driver, no queue), the report reads each re-driven
// message's STATE after the delivery (OUTCOME column, `outcome` in --json) and exits 1 when
// one ended FAILED; on a queue it says where the records went and how to follow them; the
// dry run warns of a target the worker blocks and of credentials that go out redacted.
import { startSqsEndpoint, type Receivers, startReceivers } from '@delivery-history/devkit';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { collectDh, type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; noAllow: NodeJS.ProcessEnv; rx: Receivers };
const O = suite<Ctx>('dh replay redrive: outcomes and warnings');

const T0 = new Date('2025-06-01T12:00:00.000Z');
const WORKER = { DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '200', DELIVERY_TIMEOUT_MS: '2000' };

O.before(async (ctx) => {
  ctx.t = await useTestTable('cli-redrive-outcome');
  ctx.rx = await startReceivers();
  const base = { endpoint: ctx.t.endpoint, tableName: ctx.t.tableName };
  ctx.env = dhEnv({ ...base, extra: { DELIVERY_ALLOW_TARGETS: '127.0.0.1', ...WORKER } });
  // as after `dh local` without its exports: loopback is not allowed
  ctx.noAllow = dhEnv({ ...base, extra: WORKER });
  const s = seeder(ctx.t.doc, ctx.t.tableName, T0);
  // every message final FAILED after one attempt; no credentials unless said
  const final = (messageId: string, path: string, headers: Record<string, string> = {}) =>
    s.deliver({ messageId, url: ctx.rx.url(path), maxAttempts: 1, headers }, ['503']);
  for (const id of ['o-fail-t', 'o-fail-j']) await final(id, '/status/500');
  for (const id of ['o-ok-t', 'o-ok-j', 'o-blocked', 'o-sqs']) await final(id, '/ok');
  // the store redacts the header and the query value as it creates the message (the seeder seals nothing)
  await final('o-secret', '/ok?token=abc', { authorization: 'Bearer x', 'content-type': 'application/json' });
});

O.after(async (ctx) => {
  await ctx.rx.close();
  await ctx.t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

type Outcome = {
  status: string;
  final: boolean;
  category: string | null;
  statusCode: number | null;
  errorCode: string | null;
  attempts: number;
  maxAttempts: number;
};
type Report = {
  messages: Array<{ messageId: string; action: string; warnings: string[]; outcome: Outcome | null }>;
  delivery: string | null;
  outcomes: { success: number; failed: number; notFinished: number } | null;
};

const redrive = (ids: ReadonlyArray<string>, env: NodeJS.ProcessEnv, ...more: string[]) =>
  runDh(
    ['replay', 'redrive', ...ids.flatMap((id) => ['--message', id]), '--reason', 'r', '--extra-attempts', '1', ...more],
    env,
  );

O('a delivery that fails again: exit 1, FAILED (final) with its code, in the table and in JSON', async ({ env }) => {
  const table = await redrive(['o-fail-t'], env);
  ok(table, 1);
  assert.match(table.stdout, /^o-fail-t\s+redriven\s+1\s+1\s+2\s+FAILED \(final\) 500 server_error, 2 of 2 attempts/m);
  assert.match(table.stdout, /^Outcome: 0 SUCCESS, 1 FAILED, 0 not finished \(exit 1\)\.$/m, show(table));
  const json = await redrive(['o-fail-j'], env, '--json');
  ok(json, 1);
  const rep = jsonOf<Report>(json);
  assert.equal(rep.messages[0]?.outcome, {
    status: 'FAILED',
    final: true,
    category: 'server_error',
    statusCode: 500,
    errorCode: 'HTTP_500',
    attempts: 2,
    maxAttempts: 2,
  });
  assert.equal(rep.outcomes, { success: 0, failed: 1, notFinished: 0 });
});

O('a delivery that succeeds: exit 0, SUCCESS 200; a dry run has no outcome', async ({ env }) => {
  const dry = jsonOf<Report>(await redrive(['o-ok-j'], env, '--dry-run', '--json'));
  assert.is(dry.messages[0]?.outcome, null);
  assert.is(dry.outcomes, null);
  const table = await redrive(['o-ok-t'], env);
  ok(table);
  assert.match(table.stdout, /^o-ok-t\s+redriven\s+1\s+1\s+2\s+SUCCESS 200, 2 of 2 attempts/m);
  assert.match(table.stdout, /^Outcome: 1 SUCCESS, 0 FAILED, 0 not finished\.$/m);
  const json = await redrive(['o-ok-j'], env, '--json');
  ok(json);
  const rep = jsonOf<Report>(json);
  assert.equal(
    [rep.messages[0]?.outcome?.status, rep.messages[0]?.outcome?.statusCode, rep.messages[0]?.warnings],
    ['SUCCESS', 200, []],
  );
  assert.equal(rep.outcomes, { success: 1, failed: 0, notFinished: 0 });
});

O('a target the worker blocks: the dry run warns, the delivery ends blocked_target, exit 1', async ({ noAllow }) => {
  const dry = await redrive(['o-blocked'], noAllow, '--dry-run', '--json');
  ok(dry);
  const warnings = jsonOf<Report>(dry).messages[0]?.warnings ?? [];
  assert.is(warnings.length, 1, JSON.stringify(warnings));
  assert.match(
    warnings[0] ?? '',
    /^target 127\.0\.0\.1 is blocked \(loopback[^)]*\): the worker will refuse it unless DELIVERY_ALLOW_TARGETS allows it$/,
  );
  // summarised on stderr once
  assert.is(dry.stderr.match(/warning: target 127\.0\.0\.1 is blocked/g)?.length, 1, dry.stderr);
  const dryTable = await redrive(['o-blocked'], noAllow, '--dry-run');
  assert.match(dryTable.stdout, /^o-blocked\s+would-redrive.*warning: target 127\.0\.0\.1 is blocked/m);
  const run = await redrive(['o-blocked'], noAllow);
  ok(run, 1);
  assert.match(run.stdout, /^o-blocked\s+redriven.*FAILED \(final\) blocked_target BLOCKED_TARGET, 2 of 2 attempts/m);
});

O('credentials that go out redacted: the dry run names the header and the query parameter', async ({ env }) => {
  const dry = await redrive(['o-secret'], env, '--dry-run', '--json');
  ok(dry);
  const warnings = jsonOf<Report>(dry).messages[0]?.warnings ?? [];
  assert.equal(warnings, [
    'credentials go out redacted: header authorization, query parameter token carry "[REDACTED]" ' +
      '(the message has no sealed credentials, so the worker cannot restore them unless it has a credential ' +
      'configured for this endpoint, DELIVERY_ENDPOINT_CREDENTIALS; the receiver may refuse it)',
  ]);
  assert.match(dry.stderr, /^warning: credentials go out redacted: header authorization, .* \[o-secret\]$/m);
});

O('on a queue: enqueued, how to follow them, no outcome; the blocked-target note names the worker', async (ctx) => {
  const bodies: string[] = [];
  const sqs = await startSqsEndpoint((body) => bodies.push(body));
  try {
    const queue = { DELIVERY_QUEUE_URL: sqs.queueUrl, AWS_ENDPOINT_URL_SQS: sqs.endpoint };
    const dry = jsonOf<Report>(await redrive(['o-sqs'], { ...ctx.noAllow, ...queue }, '--dry-run', '--json'));
    assert.match(dry.messages[0]?.warnings[0] ?? '', /on AWS it is the worker's DELIVERY_ALLOW_TARGETS that counts/);
    const run = await redrive(['o-sqs'], { ...ctx.env, ...queue });
    ok(run);
    // follow-ups that paste as printed, the current state first
    assert.ok(
      run.stdout.includes(
        `enqueued 1 on ${sqs.queueUrl}; the worker delivers it.\nIts state now: dh history o-sqs\nAttempts since the run, then new ones: dh tail --since `,
      ),
      show(run),
    );
    // the tail line runs as printed: its backfill (the worker's attempts so far) first, then it follows
    const tailLine = /then new ones: dh (tail --since \S+ --message o-sqs)\n/.exec(run.stdout)?.[1] ?? '';
    const tail = collectDh(tailLine.split(' '), ctx.env);
    const tailExit = new Promise<number | null>((done) => tail.child.on('exit', (code) => done(code)));
    try {
      while (!tail.err().includes('following new attempts') && tail.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      tail.child.kill('SIGINT');
    }
    assert.is(await tailExit, 130, tail.err());
    assert.match(tail.err(), /dh tail: 0 attempts completed since \S+; then new ones as they come/);
    const now = await runDh(['history', 'o-sqs'], ctx.env);
    assert.match(now.stdout, /Status\s+PENDING/, show(now));
    assert.not.match(run.stdout, /^Outcome:/m);
    assert.is(bodies.length, 1);
    const json = jsonOf<Report>(await redrive(['o-sqs'], { ...ctx.env, ...queue }, '--json'));
    // reopened and not attempted since: enqueued again, nothing delivered here
    assert.equal([json.messages[0]?.action, json.messages[0]?.outcome, json.outcomes], ['requeued', null, null]);
  } finally {
    await sqs.close();
  }
});

O.run();
