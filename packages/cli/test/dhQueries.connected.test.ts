// The audit queries end to end: data seeded through the store API (and projected by the
// real projector poller), the real `dh` run as a child process against the test table.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, pagesOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const Q = suite<Ctx>('dh history / failed / endpoint / correlation');

const T0 = new Date('2025-03-01T10:00:00.000Z');
const SINCE = '2025-03-01T00:00:00Z';
const UNTIL = '2025-03-02T00:00:00Z';

Q.before(async (ctx) => {
  ctx.t = await useTestTable('cli-queries');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, T0);
  for (const id of ['ok-1', 'ok-2', 'ok-3']) await s.deliver({ messageId: id, correlationId: 'order-7' }, ['ok']);
  for (let i = 1; i <= 5; i++) await s.deliver({ messageId: `gone-${i}`, url: 'https://gone.example.com/x' }, ['404']);
  await s.deliver({ messageId: 'busy-1' }, ['503', '503', '503']);
  await s.deliver({ messageId: 'retry-1' }, ['503']);
  await s.deliver({ messageId: 'story-1', correlationId: 'order-7', maxAttempts: 5 }, ['429', 'timeout', 'ok']);
  await projectAll(ctx.t);
});

Q.after(async (ctx) => {
  await ctx.t.drop();
});

type Page = {
  items: Array<{ messageId: string; status: string; retryEligible: boolean; endpoint: string }>;
  cursor: string | null;
};

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

Q('history: table and --json of one message (state, attempts, audit trail)', async ({ env }) => {
  const [table, json] = await Promise.all([
    runDh(['history', 'story-1'], env),
    runDh(['history', 'story-1', '--json'], env),
  ]);
  ok(table);
  for (const s of [
    'Status        SUCCESS',
    'Attempts (3)',
    'rate_limited',
    '429 Too Many Requests',
    'RESPONSE_TIMEOUT',
    'Audit trail (3 entries)',
    'ago)',
  ]) {
    assert.ok(table.stdout.includes(s), `missing "${s}":\n${table.stdout}`);
  }
  assert.ok(table.stdout.includes('token=[REDACTED]') && !table.stdout.includes('s3cr3t'), table.stdout);
  ok(json);
  const h = jsonOf<{
    state: {
      status: string;
      attempts: number;
      deliveryResult: { statusCode: number; category: string };
      lastDeliveryAttempt: string;
      lastUpdatedAt: string;
    };
    attempts: Array<{
      attemptNumber: number;
      deliveryResult: { category: string; statusCode: number | null; success: boolean };
    }>;
    auditTrail: Array<{ n: number; retry: string }>;
  }>(json);
  assert.is(h.state.status, 'SUCCESS');
  assert.is(h.state.attempts, 3);
  assert.is(h.state.deliveryResult.statusCode, 200);
  assert.ok(h.state.lastDeliveryAttempt <= h.state.lastUpdatedAt);
  assert.equal(
    h.attempts.map((a) => a.attemptNumber),
    [1, 2, 3],
  );
  assert.equal(
    h.attempts.map((a) => a.deliveryResult.category),
    ['rate_limited', 'timeout', 'success'],
  );
  assert.equal(
    h.auditTrail.map((e) => [e.n, e.retry]),
    [
      [1, 'retry'],
      [2, 'retry'],
      [3, 'final'],
    ],
  );
});

Q('history: unknown id exits 1, a bad id exits 2 with usage', async ({ env }) => {
  const [missing, bad, none] = await Promise.all([
    runDh(['history', 'no-such-message'], env),
    runDh(['history', 'bad id!'], env),
    runDh(['history'], env),
  ]);
  ok(missing, 1);
  assert.match(missing.stderr, /no-such-message.*not found/);
  assert.is(missing.stdout, '');
  ok(bad, 2);
  assert.match(bad.stderr, /<messageId>: expected a message id/);
  assert.match(bad.stderr, /usage: dh history/);
  ok(none, 2);
  assert.match(none.stderr, /<messageId>: is required/);
});

Q('failed: window, --exhausted, --endpoint, in --json', async ({ env }) => {
  const [all, exhausted, gone] = await Promise.all([
    runDh(['failed', '--since', SINCE, '--until', UNTIL, '--json'], env),
    runDh(['failed', '--since', SINCE, '--until', UNTIL, '--exhausted', '--json'], env),
    runDh(['failed', '--since', SINCE, '--until', UNTIL, '--endpoint', 'gone.example.com', '--json'], env),
  ]);
  ok(all);
  const ids = (r: DhResult) =>
    jsonOf<Page>(r)
      .items.map((i) => i.messageId)
      .sort();
  assert.equal(ids(all), ['busy-1', 'gone-1', 'gone-2', 'gone-3', 'gone-4', 'gone-5', 'retry-1']);
  assert.is(jsonOf<Page>(all).cursor, null);
  ok(exhausted);
  assert.equal(ids(exhausted), ['busy-1', 'gone-1', 'gone-2', 'gone-3', 'gone-4', 'gone-5']);
  ok(gone);
  assert.equal(ids(gone), ['gone-1', 'gone-2', 'gone-3', 'gone-4', 'gone-5']);
});

Q('failed: pagination with --limit and --cursor covers every message once', async ({ env }) => {
  const pages = await pagesOf<Page>(['failed', '--since', SINCE, '--until', UNTIL, '--limit', '3', '--json'], env, 10);
  for (const page of pages) assert.ok(page.items.length <= 3);
  const seen = pages.flatMap((page) => page.items.map((i) => i.messageId));
  assert.is(pages.length, 3);
  assert.equal([...seen].sort(), ['busy-1', 'gone-1', 'gone-2', 'gone-3', 'gone-4', 'gone-5', 'retry-1']);
});

Q('failed: the table, the next-page hint, empty window, bad arguments', async ({ env }) => {
  const [table, empty, badSince, badUntil, url] = await Promise.all([
    runDh(['failed', '--since', SINCE, '--until', UNTIL, '--limit', '5'], env),
    runDh(['failed', '--since', '2024-01-01', '--until', '2024-01-02'], env),
    runDh(['failed', '--since', 'last tuesday'], env),
    runDh(['failed', '--since', UNTIL, '--until', SINCE], env),
    runDh(['failed', '--since', SINCE, '--endpoint', 'http://127.0.0.1:8000'], env),
  ]);
  ok(table);
  const lines = table.stdout.split('\n');
  assert.match(
    lines[0] ?? '',
    /^MESSAGE\s+STATUS\s+ATTEMPTS\s+CATEGORY\s+CODE\s+TIME\s+ENDPOINT\s+LAST UPDATED\s+NEXT ATTEMPT\s+ERROR$/,
  );
  assert.ok(table.stdout.includes('FAILED (final)'), table.stdout);
  assert.ok(table.stdout.includes('2025-03-01 10:'), 'absolute times');
  assert.ok(/ago\)/.test(table.stdout), 'relative times');
  assert.match(table.stdout, /More results: dh failed --cursor cur-[0-9a-f]{10} \(or --all\)/);
  // columns are aligned: STATUS starts at the same offset on every row
  const at = (lines[0] ?? '').indexOf('STATUS');
  for (const l of lines.slice(1, 6)) assert.is(l.slice(at, at + 6), 'FAILED', l);
  ok(empty, 1);
  assert.match(empty.stderr, /no failed messages/);
  ok(badSince, 2);
  assert.match(badSince.stderr, /--since: expected ISO-8601 time/);
  ok(badUntil, 2);
  assert.match(badUntil.stderr, /--until must be after --since/);
  ok(url, 2);
  assert.match(url.stderr, /--endpoint-url/);
});

Q('endpoint and correlation: lists, pages, not found', async ({ env }) => {
  const [ep, epTable, epPage, corr, corrTable, unknown] = await Promise.all([
    runDh(['endpoint', 'hooks.example.com', '--json'], env),
    runDh(['endpoint', 'gone.example.com'], env),
    runDh(['endpoint', 'HOOKS.example.com', '--limit', '4', '--json'], env),
    runDh(['correlation', 'order-7', '--json'], env),
    runDh(['correlation', 'order-7'], env),
    runDh(['correlation', 'order-404'], env),
  ]);
  ok(ep);
  const ids = (r: DhResult) =>
    jsonOf<Page>(r)
      .items.map((i) => i.messageId)
      .sort();
  assert.equal(ids(ep), ['busy-1', 'ok-1', 'ok-2', 'ok-3', 'retry-1', 'story-1']);
  ok(epTable);
  assert.match(epTable.stdout, /^MESSAGE\s+STATUS\s+ATTEMPTS\s+CATEGORY\s+CODE\s+TIME\s+ENDPOINT\s+LAST UPDATED/);
  assert.is(epTable.stdout.split('\n').filter((l) => l.includes('gone.example.com')).length, 5);
  ok(epPage);
  const first = jsonOf<Page>(epPage);
  assert.is(first.items.length, 4);
  assert.type(first.cursor, 'string');
  const rest = await runDh(
    ['endpoint', 'hooks.example.com', '--limit', '4', '--json', '--cursor', String(first.cursor)],
    env,
  );
  ok(rest);
  assert.equal([...first.items.map((i) => i.messageId), ...ids(rest)].sort(), ids(ep));
  ok(corr);
  assert.equal(ids(corr), ['ok-1', 'ok-2', 'ok-3', 'story-1']);
  ok(corrTable);
  assert.match(corrTable.stdout, /^MESSAGE\s+STATUS\s+ATTEMPTS\s+CATEGORY\s+CODE\s+TIME\s+ENDPOINT\s+CREATED/);
  ok(unknown, 1);
});

Q(
  '--count: "N of M" under the table, "total" in --json, the same on a later page; refused with a row filter',
  async ({ env }) => {
    const [json, table, tsv, epCount, corrCount, withHost, withStatus] = await Promise.all([
      runDh(['failed', '--since', SINCE, '--until', UNTIL, '--limit', '3', '--count', '--json'], env),
      runDh(['failed', '--since', SINCE, '--until', UNTIL, '--limit', '3', '--count', '--exhausted'], env),
      runDh(['failed', '--since', SINCE, '--until', UNTIL, '--limit', '2', '--count', '-o', 'tsv'], env),
      runDh(['endpoint', 'hooks.example.com', '--limit', '2', '--count', '--json'], env),
      runDh(['correlation', 'order-7', '--limit', '1', '--count', '--json'], env),
      runDh(['failed', '--since', SINCE, '--endpoint', 'gone.example.com', '--count'], env),
      runDh(['endpoint', 'hooks.example.com', '--status', 'FAILED', '--count'], env),
    ]);
    ok(json);
    const first = jsonOf<Page & { total: number }>(json);
    assert.is(first.items.length, 3);
    assert.is(first.total, 7);
    const next = await runDh(['failed', '--cursor', String(first.cursor), '--count', '--json'], env);
    ok(next);
    assert.is(jsonOf<Page & { total: number }>(next).total, 7, 'a later page counts the same window');
    ok(table);
    assert.match(table.stdout, /\n3 of 6 exhausted failed messages between 2025-03-01T00:00:00\.000Z and /);
    ok(tsv);
    assert.not.match(tsv.stdout, / of 7 /, 'tsv: stdout is data only');
    assert.match(tsv.stderr, /dh failed: 2 of 7 failed messages/);
    ok(epCount);
    assert.is(jsonOf<{ total: number }>(epCount).total, 6);
    ok(corrCount);
    assert.is(jsonOf<{ total: number }>(corrCount).total, 4);
    ok(withHost, 2);
    assert.match(withHost.stderr, /--count counts the index's window; --endpoint filters the rows read/);
    assert.match(withHost.stderr, /dh endpoint gone\.example\.com --since T --count/);
    ok(withStatus, 2);
    assert.match(withStatus.stderr, /--status filters the rows read/);
    const plain = await runDh(['failed', '--since', SINCE, '--until', UNTIL, '--json'], env);
    assert.not.ok('total' in jsonOf<object>(plain), 'no count unless asked');
  },
);

Q('usage: unknown command and unknown flag exit 2; --help exits 0', async ({ env }) => {
  const [cmd, flag, help] = await Promise.all([
    runDh(['frobnicate'], env),
    runDh(['history', 'ok-1', '--frob'], env),
    runDh(['failed', '--help'], env),
  ]);
  ok(cmd, 2);
  assert.match(cmd.stderr, /unknown command "frobnicate"/);
  ok(flag, 2);
  assert.match(flag.stderr, /frob/);
  ok(help, 0);
  assert.match(help.stdout, /usage: dh failed \(--since TIME \| --cursor C\)/);
});

Q.run();
