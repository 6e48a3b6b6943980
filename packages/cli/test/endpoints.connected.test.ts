// `dh endpoints` end to end: deliveries with known outcomes and response times seeded through
// the store at fixed times, projected by the real poller (which keeps the health aggregates),
// then the built `dh` reads them: rates, percentiles (bucket upper edges), failure categories,
// consecutive failures, worst first, the hourly series, and its exits.
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createStore, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const Ep = suite<Ctx>('dh endpoints');

const WINDOW = ['--since', '2025-03-01T00:00:00Z', '--until', '2025-03-02T00:00:00Z'];

Ep.before(async (ctx) => {
  ctx.t = await useTestTable('cli-endpoints');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date('2025-03-01T10:00:00.000Z'));
  // healthy: 200 in 42 ms; flaky: 503 (120 ms) twice, then 200; broken: 503 until exhausted;
  // silent: response timeouts (no status, no latency sample)
  for (let i = 1; i <= 4; i++) await s.deliver({ messageId: `ok-${i}`, url: 'https://healthy.example/in' }, ['ok']);
  for (let i = 1; i <= 2; i++)
    await s.deliver({ messageId: `fl-${i}`, url: 'https://flaky.example/in', maxAttempts: 5 }, ['503', '503', 'ok']);
  await s.deliver({ messageId: 'silent-1', url: 'https://silent.example/in', maxAttempts: 1 }, ['timeout']);
  s.clock.set(new Date('2025-03-01T11:30:00.000Z'));
  await s.deliver({ messageId: 'fl-3', url: 'https://flaky.example/in', maxAttempts: 5 }, ['503', '503', 'ok']);
  for (let i = 1; i <= 2; i++)
    await s.deliver({ messageId: `br-${i}`, url: 'https://broken.example:8443/in' }, ['503', '503', '503']);
  await projectAll(ctx.t);
});

Ep.after(async (ctx) => {
  await ctx.t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

type Row = {
  endpoint: string;
  deliveries: number;
  successRate: number | null;
  categories: Record<string, number>;
  messages: number;
  latency: { responses: number; p50: number | null; p90: number | null; p99: number | null };
  lastSuccess: { at: string; messageId: string } | null;
  consecutiveFailures: number;
  hours?: Array<{ hour: string; deliveries: number; successRate: number | null }>;
};

Ep('--json: rates, percentiles, categories and consecutive failures per endpoint, worst first', async ({ env }) => {
  const r = await runDh(['endpoints', ...WINDOW, '--json'], env);
  ok(r);
  const doc = jsonOf<{ since: string; until: string; endpoints: Row[] }>(r);
  assert.is(doc.since, '2025-03-01T00:00:00.000Z');
  const rows = doc.endpoints;
  assert.equal(
    rows.map((x) => x.endpoint),
    ['broken.example:8443', 'silent.example', 'flaky.example', 'healthy.example'],
    'worst first: 0 % (6 consecutive), 0 % (1), 33 %, 100 %',
  );
  const [broken, silent, flaky, healthy] = rows;
  assert.equal(broken?.categories, { server_error: 6 });
  assert.is(broken?.consecutiveFailures, 6);
  assert.is(broken?.lastSuccess, null);
  assert.is(broken?.messages, 2, 'both exhausted');
  assert.equal(silent?.latency, { responses: 0, p50: null, p90: null, p99: null });
  assert.equal(silent?.categories, { timeout: 1 });
  assert.is(flaky?.deliveries, 9);
  assert.is(flaky?.successRate, 1 / 3);
  assert.equal(flaky?.categories, { server_error: 6, success: 3 });
  // 3 x 42 ms, 6 x 120 ms: p50 is the 5th value (120 ms: the (100, 150] bucket), p90 too
  assert.equal(flaky?.latency, { responses: 9, p50: 150, p90: 150, p99: 150 });
  assert.is(flaky?.lastSuccess?.messageId, 'fl-3');
  assert.is(flaky?.consecutiveFailures, 0);
  assert.equal(healthy?.latency, { responses: 4, p50: 50, p90: 50, p99: 50 });
  assert.is(healthy?.successRate, 1);
});

Ep('the table: one row per endpoint with rate, p50/p99, failures, last success', async ({ env }) => {
  const r = await runDh(['endpoints', ...WINDOW], env);
  ok(r);
  // a first line states the window the hourly aggregates cover
  const lines = r.stdout.trimEnd().split('\n').slice(1);
  assert.match(lines[0] ?? '', /^ENDPOINT\s+DELIVERIES\s+SUCCESS\s+P50\s+P99\s+FAILURES\s+LAST SUCCESS\s+CONSEC FAIL/);
  assert.match(
    lines[1] ?? '',
    /^broken\.example:8443\s+6\s+0\.0%\s+≤ 150 ms\s+≤ 150 ms\s+server_error 6\s+none in window\s+6\s/,
  );
  assert.match(lines[3] ?? '', /^flaky\.example\s+9\s+33\.3%\s+≤ 150 ms\s+≤ 150 ms\s+server_error 6\s+2025-03-01 11:3/);
  assert.match(lines[2] ?? '', /^silent\.example\s+1\s+0\.0%\s+-\s+-\s+timeout 1/);
});

Ep('<host>: the hourly series (a bare host matches every port)', async ({ env }) => {
  const j = await runDh(['endpoints', 'flaky.example', ...WINDOW, '--json'], env);
  ok(j);
  const [flaky] = jsonOf<{ endpoints: Row[] }>(j).endpoints;
  assert.equal(
    flaky?.hours?.map((h) => [h.hour, h.deliveries, h.successRate]),
    [
      ['2025-03-01T10', 6, 1 / 3],
      ['2025-03-01T11', 3, 1 / 3],
    ],
  );
  const t = await runDh(['endpoints', 'broken.example', ...WINDOW, '--tz', 'Europe/Paris'], env);
  ok(t);
  assert.match(t.stdout, /HOUR\s+DELIVERIES\s+SUCCESS\s+P50\s+P90\s+P99\s+MESSAGES\s+FAILURES/);
  assert.match(t.stdout, /2025-03-01 12:00\+01:00\s+6\s+0\.0%/);
});

Ep(
  'the effective window (whole hours) is stated, in --json too; <host>: the recent hour minute by minute',
  async ({ env }) => {
    const asked = ['--since', '2025-03-01T10:15:00Z', '--until', '2025-03-01T11:45:00Z'];
    const [json, table] = await Promise.all([
      runDh(['endpoints', ...asked, '--json'], env),
      runDh(['endpoints', ...asked], env),
    ]);
    ok(json);
    const doc = jsonOf<{ since: string; effectiveSince: string; effectiveUntil: string }>(json);
    assert.equal(
      [doc.since, doc.effectiveSince, doc.effectiveUntil],
      ['2025-03-01T10:15:00.000Z', '2025-03-01T10:00:00.000Z', '2025-03-01T12:00:00.000Z'],
    );
    ok(table);
    assert.match(table.stdout, /^Window: 2025-03-01 10:00:00Z to 2025-03-01 12:00:00Z \(whole hours\)$/m);
    const hour = ['--since', '2025-03-01T00:00:00Z', '--until', '2025-03-01T12:00:00Z'];
    const [one, oneTable] = await Promise.all([
      runDh(['endpoints', 'broken.example', ...hour, '--json'], env),
      runDh(['endpoints', 'broken.example', ...hour], env),
    ]);
    ok(one);
    const [broken] = jsonOf<{ endpoints: Array<{ minutes: { from: string; failures: Array<number | null> } }> }>(
      one,
    ).endpoints;
    assert.is(broken?.minutes.from, '2025-03-01T11:00:00.000Z');
    assert.is(broken?.minutes.failures.length, 60);
    // two messages, three 503s each, all in 11:xx
    assert.is(
      broken?.minutes.failures.reduce((n: number, x) => n + (x ?? 0), 0),
      6,
    );
    ok(oneTable);
    assert.match(
      oneTable.stdout,
      /^Failures per minute from 2025-03-01 11:00:00Z \(60 min, busiest \d+\):\n[·▂▃▄▅▆▇█]{60}$/m,
    );
  },
);

Ep('exits: an empty window is 1, a window in the future or reversed is 2', async ({ env }) => {
  const empty = await runDh(['endpoints', '--since', '2024-01-01', '--until', '2024-01-02'], env);
  ok(empty, 1);
  assert.match(empty.stderr, /no endpoint health between 2024-01-01T00:00:00.000Z and 2024-01-02T00:00:00.000Z/);
  const none = await runDh(['endpoints', 'nowhere.example', ...WINDOW, '--json'], env);
  ok(none, 1);
  assert.equal(jsonOf<{ endpoints: Row[] }>(none).endpoints, []);
  ok(await runDh(['endpoints', '--since', '+1h'], env), 2);
  ok(await runDh(['endpoints', '--since', '2025-03-02', '--until', '2025-03-01'], env), 2);
  const help = await runDh(['endpoints', '--help'], env);
  ok(help);
  assert.match(help.stdout, /usage: dh endpoints \[<host\[:port\]>\]/);
});

type Rebuild = { dryRun: boolean; buckets: number; differences: Array<{ endpoint: string }>; written: number };

Ep(
  'replay endpoints: recomputes the buckets from the attempts and overwrites drifted or missing ones',
  async ({ t, env }) => {
    const before = await runDh(['endpoints', ...WINDOW, '--json'], env);
    ok(before);
    const clean = await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run', '--json'], env);
    ok(clean);
    assert.equal(jsonOf<Rebuild>(clean).differences, [], 'the projector kept them exactly');
    // drift: a counter added by hand, and a whole bucket deleted (its index item stays)
    const flaky = await createStore({ doc: t.doc, tableName: t.tableName }).readEndpointHealth({
      since: new Date('2025-03-01T00:00:00Z'),
      until: new Date('2025-03-02T00:00:00Z'),
      keep: (e) => e === 'flaky.example' || e === 'healthy.example',
    })();
    if (E.isLeft(flaky)) throw new Error(flaky.left.message);
    const [one, two] = flaky.right;
    if (one === undefined || two === undefined) throw new Error('expected buckets');
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: tableKeys.healthKey(one.endpoint, one.shard, one.hour),
        UpdateExpression: 'ADD n :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );
    await t.doc.send(
      new DeleteCommand({ TableName: t.tableName, Key: tableKeys.healthKey(two.endpoint, two.shard, two.hour) }),
    );
    const dry = await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run', '--json'], env);
    ok(dry, 1);
    assert.is(jsonOf<Rebuild>(dry).differences.length, 2, show(dry));
    const fix = await runDh(['replay', 'endpoints', ...WINDOW], env);
    ok(fix);
    assert.match(fix.stdout, /^rewrote 2 of \d+ bucket shards/);
    ok(await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run'], env));
    const after = await runDh(['endpoints', ...WINDOW, '--json'], env);
    assert.equal(jsonOf(after), jsonOf(before), 'dh endpoints reads the same as before the drift');
  },
);

Ep.run();
