// Re-drive end to end: exhausted messages reopened by `dh replay redrive` get new attempts
// after the old ones (history untouched) and a stored REDRIVE event; delivered by the
// worker's local driver inside the command (no SQS configured).
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '@delivery-history/core';
import { createStore } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { partition as storedPartition } from '@delivery-history/testkit/storedPartition';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; rx: Receivers };
const D = suite<Ctx>('dh replay redrive');

const T0 = new Date('2025-05-01T12:00:00.000Z');

D.before(async (ctx) => {
  ctx.t = await useTestTable('cli-redrive');
  ctx.rx = await startReceivers();
  ctx.env = dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: {
      DELIVERY_ALLOW_TARGETS: '127.0.0.1',
      DELIVERY_BACKOFF_BASE_MS: '50',
      DELIVERY_BACKOFF_MAX_MS: '200',
      DELIVERY_TIMEOUT_MS: '2000',
    },
  });
  const s = seeder(ctx.t.doc, ctx.t.tableName, T0);
  // the seeded outcomes say the endpoint was down; it is up now (/ok)
  await s.deliver({ messageId: 'x-fixed', url: ctx.rx.url('/ok') }, ['503', '503', '503']);
  await s.deliver({ messageId: 'x-broken', url: ctx.rx.url('/status/500') }, ['503', '503', '503']);
  await s.deliver({ messageId: 'x-done', url: ctx.rx.url('/ok') }, ['ok']);
  await s.deliver({ messageId: 'x-retrying', url: ctx.rx.url('/ok'), maxAttempts: 5 }, ['503']);
});

D.after(async (ctx) => {
  await ctx.rx.close();
  await ctx.t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

const partition = (t: TestTable, id: string) => storedPartition(t.doc, t.tableName, id);

type Report = {
  dryRun: boolean;
  considered: number;
  actions: Record<string, number>;
  messages: Array<{
    messageId: string;
    action: string;
    detail: string | null;
    afterAttempt: number | null;
    maxAttempts: number | null;
    outcome: { status: string; final: boolean; statusCode: number | null } | null;
  }>;
};

const messages = (...ids: string[]): string[] => ids.flatMap((id) => ['--message', id]);
/** `dh replay redrive <args> --json`: exits `code`, returns its report. */
const runRedrive = async (env: NodeJS.ProcessEnv, args: string[], code = 0): Promise<Report> => {
  const r = await runDh(['replay', 'redrive', ...args, '--json'], env);
  ok(r, code);
  return jsonOf<Report>(r);
};
const actions = (rep: Report) => rep.messages.map((m) => [m.messageId, m.action]);

D('dry run lists what would be re-driven and writes nothing', async ({ t, env }) => {
  const rep = await runRedrive(env, [
    ...messages('x-fixed', 'x-done', 'x-retrying'),
    '--reason',
    'endpoint fixed',
    '--dry-run',
  ]);
  assert.equal(actions(rep), [
    ['x-fixed', 'would-redrive'],
    ['x-done', 'skipped'],
    ['x-retrying', 'would-redrive'],
  ]);
  assert.is(rep.messages[0]?.afterAttempt, 3);
  // its retry was due in 2025 and no worker came back: stalled, it would be enqueued again
  assert.match(
    rep.messages[2]?.detail ?? '',
    /^stalled: FAILED, waiting since 2025-05-01T12:00:\d\d\.\d{3}Z; would enqueue again$/,
  );
  const patient = jsonOf<Report>(
    await runDh(
      [
        'replay',
        'redrive',
        ...messages('x-retrying'),
        '--reason',
        'r',
        '--stalled-after',
        '100000d',
        '--dry-run',
        '--json',
      ],
      env,
    ),
  );
  assert.equal(
    patient.messages.map((m) => [m.action, m.detail]),
    [['skipped', 'not final: retries are still scheduled']],
  );
  assert.ok((await partition(t, 'x-fixed')).every((i) => !String(i.sk).startsWith('REDRIVE#')));
});

D('re-drive by id: an auditable event, new attempts after the old ones, history untouched', async ({ t, env }) => {
  const before = (await partition(t, 'x-fixed')).filter((i) => String(i.sk).startsWith('ATTEMPT#'));
  const rep = await runRedrive(env, [
    ...messages('x-fixed'),
    '--reason',
    'receiver fixed (INC-42)',
    '--by',
    'alice',
    '--extra-attempts',
    '2',
  ]);
  assert.equal(
    rep.messages.map((m) => [m.messageId, m.action, m.afterAttempt, m.maxAttempts]),
    [['x-fixed', 'redriven', 3, 5]],
  );
  const items = await partition(t, 'x-fixed');
  const attempts = items.filter((i) => String(i.sk).startsWith('ATTEMPT#'));
  assert.is(attempts.length, 4);
  // the first three attempts are exactly as they were
  assert.equal(attempts.slice(0, 3), before);
  assert.is(attempts[3]?.status, 'SUCCESS');
  const redrive = items.find((i) => i.sk === 'REDRIVE#0001');
  assert.ok(redrive !== undefined, 'REDRIVE#0001 stored');
  assert.is(redrive?.requestedBy, 'alice');
  assert.is(redrive?.reason, 'receiver fixed (INC-42)');
  assert.is(redrive?.afterAttempt, 3);
  const state = items.find((i) => i.sk === 'STATE');
  assert.is(state?.status, 'SUCCESS');
  assert.is(state?.redrives, 1);
  assert.is(state?.attempts, 4);
});

D('re-drive by filter: exhausted failures of one endpoint in a window', async ({ t, rx, env }) => {
  const window = ['--since', '2025-05-01T00:00:00Z', '--until', '2025-05-02T00:00:00Z', '--exhausted'];
  const why = ['--reason', 'retry after outage'];
  // a bare host matches host:port, as on dh failed (dry run: nothing written)
  const bare = await runRedrive(env, [...window, '--endpoint', new URL(rx.baseUrl).hostname, ...why, '--dry-run']);
  assert.equal(actions(bare), [['x-broken', 'would-redrive']]);
  // the receiver still answers 500: the re-drive is done, its delivery failed (exit 1)
  const rep = await runRedrive(
    env,
    [...window, '--endpoint', new URL(rx.baseUrl).host, ...why, '--extra-attempts', '1'],
    1,
  );
  // x-fixed left the failed index when it succeeded; x-retrying is not exhausted
  assert.equal(
    rep.messages.map((m) => [m.messageId, m.action, m.outcome?.status, m.outcome?.final, m.outcome?.statusCode]),
    [['x-broken', 'redriven', 'FAILED', true, 500]],
  );
  const items = await partition(t, 'x-broken');
  assert.is(items.filter((i) => String(i.sk).startsWith('ATTEMPT#')).length, 4);
  const state = items.find((i) => i.sk === 'STATE');
  assert.equal([state?.status, state?.retryEligible, state?.maxAttempts], ['FAILED', false, 4]);
});

D(
  'stalled messages (a retry nobody ran, a lease nobody finished) are enqueued again as they are',
  async ({ t, env, rx }) => {
    // x-stuck: claimed by a worker that never came back (the lease ran out, the record is gone)
    const store = createStore({ doc: t.doc, tableName: t.tableName, logger: silentLogger });
    const request = {
      messageId: 'x-stuck',
      url: rx.url('/ok'),
      method: 'POST' as const,
      headers: {},
      body: '{}',
      correlationId: 'c-stuck',
      maxAttempts: null,
    };
    assert.ok(E.isRight(await store.createMessage(request)()));
    assert.ok(E.isRight(await store.claim('x-stuck', { leaseMs: 1 })()));
    await sleep(20);
    const rep = await runRedrive(env, [
      ...messages('x-retrying', 'x-stuck'),
      '--reason',
      'records lost',
      '--by',
      'oncall-1',
      '--stalled-after',
      '0s',
    ]);
    assert.equal(actions(rep), [
      ['x-retrying', 'requeued'],
      ['x-stuck', 'requeued'],
    ]);
    assert.match(rep.messages[1]?.detail ?? '', /^stalled: PROCESSING, waiting since /);
    for (const [id, attempts] of [
      ['x-retrying', 2],
      // the claim that never came back is attempt 1, recorded as lost by the takeover (invariant 5)
      ['x-stuck', 2],
    ] as const) {
      const items = await partition(t, id);
      const state = items.find((i) => i.sk === 'STATE');
      assert.equal([state?.status, state?.attempts, state?.redrives], ['SUCCESS', attempts, 0], id);
      assert.ok(
        items.every((i) => !String(i.sk).startsWith('REDRIVE#')),
        `${id}: no re-drive event, the message was not final`,
      );
    }
    // every push is on record: who, why, when, and what it waited for (STATE untouched by it)
    const h = await runDh(['history', 'x-stuck', '--json'], env);
    ok(h);
    const requeues = jsonOf<{ requeues?: Array<Record<string, string>> }>(h).requeues ?? [];
    assert.equal(
      requeues.map((q) => [q.requestedBy, q.reason, q.status]),
      [['oncall-1', 'records lost', 'PROCESSING']],
    );
    assert.match(requeues[0]?.at ?? '', /^\d{4}-\d\d-\d\dT/);
    const table = await runDh(['history', 'x-stuck'], env);
    assert.match(table.stdout, /Requeued \(1\): stalled, pushed to the queue again/);
    assert.match(table.stdout, /oncall-1 +PROCESSING .* records lost/);
    const stuck = await partition(t, 'x-stuck');
    const first = stuck.find((i) => i.sk === 'ATTEMPT#000001') as
      | { deliveryResult?: { category?: string } }
      | undefined;
    assert.is(first?.deliveryResult?.category, 'lost');
  },
);

D('history shows the re-drive; the table verifies once projected', async ({ t, env }) => {
  await projectAll(t);
  const [h, v] = await Promise.all([runDh(['history', 'x-fixed', '--json'], env), runDh(['verify'], env)]);
  ok(h);
  const hist = jsonOf<{ redrives: Array<{ requestedBy: string }>; auditTrail: Array<{ kind?: string; by?: string }> }>(
    h,
  );
  assert.is(hist.redrives[0]?.requestedBy, 'alice');
  assert.ok(
    hist.auditTrail.some((e) => e.kind === 'redrive' && e.by === 'alice'),
    JSON.stringify(hist.auditTrail),
  );
  ok(v);
});

D(
  'nothing matched says what was selected; --limit says how many more match; no operator name is warned of',
  async ({ env }) => {
    const none = await runDh(
      ['replay', 'redrive', '--since', '2020-01-01T00:00:00Z', '--until', '2020-01-02T00:00:00Z', '--reason', 'r'],
      env,
    );
    ok(none, 1);
    assert.match(
      none.stdout,
      /^0 messages considered: no FAILED message was last updated between 2020-01-01T00:00:00\.000Z and 2020-01-02T00:00:00\.000Z\.$/m,
    );
    // x-broken (final FAILED again after its re-drive) would be re-driven: the limit of 1 leaves two ids
    const three = messages('x-broken', 'x-fixed', 'x-done');
    const limited = await runDh(['replay', 'redrive', ...three, '--limit', '1', '--reason', 'r', '--dry-run'], env);
    ok(limited);
    assert.match(
      limited.stdout,
      /^--limit reached: 2 more selected messages not looked at; run again to continue\.$/m,
      show(limited),
    );
    const limitedJson = jsonOf<{ beyondLimit: { count: number; atLeast: boolean } | null }>(
      await runDh(['replay', 'redrive', ...three, '--limit', '1', '--reason', 'r', '--dry-run', '--json'], env),
    );
    assert.ok((limitedJson.beyondLimit?.count ?? 0) >= 1, JSON.stringify(limitedJson));
    assert.is(limitedJson.beyondLimit?.atLeast, false);
    // dhEnv sets no USER/LOGNAME/DH_OPERATOR: the event would say "unknown", and dh says so
    assert.match(
      limited.stderr,
      /warning: no operator name \(--by, DH_OPERATOR, USER or LOGNAME\): recorded as "unknown"/,
    );
    const named = await runDh(['replay', 'redrive', '--message', 'x-done', '--reason', 'r', '--dry-run'], {
      ...env,
      DH_OPERATOR: 'carol',
    });
    assert.not.match(named.stderr, /no operator name/);
  },
);

D('arguments: --reason is required; --message and a filter exclude each other', async ({ env }) => {
  const [noReason, both, neither] = await Promise.all([
    runDh(['replay', 'redrive', '--message', 'x-done'], env),
    runDh(['replay', 'redrive', '--message', 'x-done', '--since', '-1h', '--reason', 'r'], env),
    runDh(['replay', 'redrive', '--reason', 'r'], env),
  ]);
  ok(noReason, 2);
  assert.match(noReason.stderr, /--reason: is required/);
  ok(both, 2);
  ok(neither, 2);
});

D.run();
