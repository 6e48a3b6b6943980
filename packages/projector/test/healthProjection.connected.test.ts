// Endpoint health off DynamoDB Local's real stream: real deliveries (the worker's local driver)
// to receivers with known behaviour (healthy, flaky, slow, broken), projected live by the
// poller; the aggregates must equal a recomputation from the attempts, also after the whole
// stream is fed again, and read out the behaviour each receiver has.
import { startTestPoller } from '@delivery-history/testkit/testPoller';
import { endpointHealthOf, memoryLogger } from '@delivery-history/core';
import { latencyBucketOf, latencyUpperEdge } from '@delivery-history/core/testing';
import { createLocalWorker, type LocalWorker, type Receivers, startReceivers } from '@delivery-history/devkit';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { streamsPortOf } from '@delivery-history/store/testing';

import { memoryMetrics } from '@delivery-history/worker/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attemptsOf, expectedBuckets, storedBuckets } from '@delivery-history/testkit/healthBuckets';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
// the CLI's own latency format: a busy machine can push the slow receiver's p50 past 1 s
import { formatLatency } from '../../cli/src/kit/format/time.js';
import { dhEnv, jsonOf, runDh, show } from '../../cli/test/support/runDh.js';
import { attempt, attemptKeyed, attemptRecord } from './support/projectorFixtures.js';
import { readWholeStream } from './support/workload.js';

const SHARDS = 2;
const PER_ENDPOINT = 6;
const HOUR = 3_600_000;

type Ctx = { t: TestTable; rx: Receivers[]; w: LocalWorker; started: Date };
const Health = suite<Ctx>('endpoint health off the real stream');

Health.before(async (ctx) => {
  ctx.t = await useTestTable('projector-health');
  // one receiver server per behaviour: each is its own endpoint (host:port)
  ctx.rx = await Promise.all([startReceivers(), startReceivers(), startReceivers(), startReceivers()]);
  ctx.w = createLocalWorker({
    doc: ctx.t.doc,
    env: {
      DELIVERY_TABLE_NAME: ctx.t.tableName,
      DELIVERY_ALLOW_TARGETS: '127.0.0.1',
      DELIVERY_TIMEOUT_MS: '2000',
      DELIVERY_BACKOFF_BASE_MS: '20',
      DELIVERY_BACKOFF_MAX_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '3',
    },
    logger: memoryLogger(),
    metrics: memoryMetrics(),
    visibilityTimeoutMs: 60_000,
    maxReceiveCount: 6,
    pollIntervalMs: 10,
  });
  ctx.started = new Date();
});
Health.after(async (ctx) => {
  await ctx.w.close();
  await Promise.all(ctx.rx.map((r) => r.close()));
  await ctx.t.drop();
});

const endpointOfRx = (r: Receivers): string => new URL(r.baseUrl).host;

Health('aggregates equal a recomputation from the attempts, also after the stream is fed twice', async (ctx) => {
  const { t, w, rx } = ctx;
  const [healthy, flaky, slow, broken] = rx as [Receivers, Receivers, Receivers, Receivers];
  const poller = startTestPoller(t, {
    maxIdleBackoffMs: 200,
    deps: { healthShards: SHARDS, driftCheckMaxAttempts: 0 },
  });
  const ids: string[] = [];
  const send = (name: string, url: string, maxAttempts: number) => {
    for (let i = 0; i < PER_ENDPOINT; i++) {
      const messageId = `health-${name}-${i}`;
      ids.push(messageId);
      w.driver.send({ messageId, url, body: '{}', maxAttempts });
    }
  };
  try {
    send('healthy', healthy.url('/ok'), 3);
    send('flaky', flaky.url('/flaky/2?code=503'), 4);
    send('slow', slow.url('/sleep/250'), 3);
    send('broken', broken.url('/status/500'), 3);
    w.driver.start({ concurrency: 4, batchSize: 5 });
    await w.driver.drain({ timeoutMs: 60_000 });
    await poller.caughtUp();
  } finally {
    await poller.stop();
  }
  const attempts = await attemptsOf(t, ids);
  assert.is(attempts.length, PER_ENDPOINT * (1 + 3 + 1 + 3), 'healthy 1, flaky 3, slow 1, broken 3 attempts each');
  const since = new Date(ctx.started.getTime() - HOUR);
  const until = new Date(Date.now() + HOUR);
  const expected = expectedBuckets(attempts, SHARDS);
  assert.equal(await storedBuckets(t, since, until), expected, 'live: every attempt counted exactly once');

  // the whole stream again (a replayed stream, a restarted consumer): nothing is counted twice
  const records = await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? '');
  const deps = makeProjectorDeps(
    { doc: t.doc, tableName: t.tableName },
    { healthShards: SHARDS, driftCheckMaxAttempts: 0 },
  );
  const again = await projectMessages(deps, records);
  assert.equal(again.failedSequenceNumbers, []);
  assert.equal(await storedBuckets(t, since, until), expected, 'fed twice: the same counts');

  // the known behaviours, read off the aggregates
  const rows = new Map(endpointHealthOf(await storedBuckets(t, since, until)).map((r) => [r.endpoint, r]));
  const h = rows.get(endpointOfRx(healthy));
  const f = rows.get(endpointOfRx(flaky));
  const s = rows.get(endpointOfRx(slow));
  const b = rows.get(endpointOfRx(broken));
  assert.is(h?.successRate, 1);
  assert.is(h?.consecutiveFailures, 0);
  assert.is(f?.successRate, 1 / 3, 'flaky: 503, 503, 200');
  assert.equal(f?.categories, { server_error: 2 * PER_ENDPOINT, success: PER_ENDPOINT });
  assert.equal(f?.messageCategories, { success: PER_ENDPOINT }, 'every flaky message ends delivered');
  assert.is(s?.successRate, 1);
  // percentiles: the histogram bucket of the exact nearest-rank value of the raw response times
  for (const [name, row] of [
    ['healthy', h],
    ['flaky', f],
    ['slow', s],
    ['broken', b],
  ] as const) {
    const raw = attempts
      .filter((a) => a.messageId.startsWith(`health-${name}-`))
      .map((a) => a.deliveryResult.responseTime)
      .sort((x, y) => x - y);
    const exact = (q: number) => latencyUpperEdge(latencyBucketOf(raw[Math.ceil(q * raw.length) - 1] ?? 0));
    assert.equal(
      [row?.latency.p50, row?.latency.p90, row?.latency.p99],
      [exact(0.5), exact(0.9), exact(0.99)],
      `${name} percentiles (raw ${raw.join(', ')} ms)`,
    );
  }
  assert.ok((s?.latency.p50 ?? 0) >= 300, 'slow: 250 ms responses are past the 200 ms edge');
  assert.is(b?.successRate, 0);
  assert.is(b?.consecutiveFailures, 3 * PER_ENDPOINT, 'broken: never a success, every failure counts');
  assert.equal(b?.statusClasses, { '5xx': 3 * PER_ENDPOINT });
  assert.is(b?.lastSuccess, null);
  assert.equal([...rows.keys()][0], endpointOfRx(broken), 'worst first');

  // `dh endpoints` (the built binary) shows exactly these rows, worst first
  const env = dhEnv({ endpoint: t.endpoint, tableName: t.tableName });
  const json = await runDh(['endpoints', '--json'], env);
  assert.is(json.code, 0, show(json));
  const doc = jsonOf<{ endpoints: Array<{ endpoint: string }> }>(json);
  // each row also carries its endpoint's breaker: none has one here, so closed, nothing held
  const closed = { state: 'closed', reason: null, by: null, since: null, held: 0 };
  assert.equal(
    doc.endpoints,
    [...rows.values()].map((r) => ({ ...r, breaker: closed })),
    'dh endpoints --json = the aggregates read out',
  );
  const table = await runDh(['endpoints'], env);
  assert.is(table.code, 0, show(table));
  // the first line states the effective window; the table follows
  const all = table.stdout.trim().split('\n');
  const lines = all.slice(all.findIndex((l) => /^ENDPOINT\s/.test(l)));
  assert.match(lines[0] ?? '', /^ENDPOINT\s+DELIVERIES\s+SUCCESS\s+P50\s+P99/, table.stdout);
  assert.match(lines[1] ?? '', new RegExp(`^${endpointOfRx(broken)}\\s+18\\s+0\\.0%`));
  assert.ok(
    lines.some((l) => l.startsWith(endpointOfRx(flaky)) && /\s33\.3%\s/.test(l)),
    table.stdout,
  );
  assert.ok(
    lines.some((l) => l.startsWith(endpointOfRx(slow)) && l.includes(`≤ ${formatLatency(s?.latency.p50 ?? 0)}`)),
    table.stdout,
  );
  const series = await runDh(['endpoints', endpointOfRx(flaky), '--json'], env);
  assert.is(series.code, 0, show(series));
  const hours =
    jsonOf<{ endpoints: Array<{ hours: Array<{ deliveries: number }> }> }>(series).endpoints[0]?.hours ?? [];
  assert.is(
    hours.reduce((n, hr) => n + hr.deliveries, 0),
    3 * PER_ENDPOINT,
    'the hourly series adds up to the window',
  );
});

Health(
  'a message whose attempts span more hours than one transaction holds is applied in rounds, counted once',
  async ({ t }) => {
    // 150 attempts an hour apart (a long outage, projected late): 150 buckets, more than the 40
    // one round's transaction may touch
    const id = 'health-long';
    const base = Date.UTC(2024, 5, 1);
    const all = Array.from({ length: 150 }, (_, i) =>
      attempt(id, i + 1, i === 149 ? 'success' : 'retry', { t0: base + i * HOUR - (i + 1) * 60_000 }),
    );
    await writeItems(t.doc, t.tableName, all.map(attemptKeyed));
    const deps = makeProjectorDeps(
      { doc: t.doc, tableName: t.tableName },
      { healthShards: SHARDS, driftCheckMaxAttempts: 0 },
    );
    const records = all.map((a) => attemptRecord(a));
    const first = await projectMessages(deps, records);
    assert.equal(first.failedSequenceNumbers, []);
    assert.is(first.messages[0]?.through, 150);
    assert.ok((first.messages[0]?.tries ?? 0) >= 3, 'three rounds at least');
    const window = [new Date(base - HOUR), new Date(base + 200 * HOUR)] as const;
    const expected = expectedBuckets(all, SHARDS);
    assert.is(expected.length, 150);
    assert.equal(await storedBuckets(t, ...window), expected);
    await projectMessages(deps, records);
    assert.equal(await storedBuckets(t, ...window), expected, 'fed again: unchanged');
  },
);

Health.run();
