import {
  type AttemptItem,
  endpointHealthOf,
  failuresByMinute,
  type HealthBucket,
  HealthBucketItem,
  HealthHourItem,
  healthDeltaOf,
  hourlySeriesOf,
  sumShards,
} from '@delivery-history/core';
import { LATENCY_EDGES_MS, latencyBucketOf, latencyUpperEdge, percentileOf } from '@delivery-history/core/testing';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// Endpoint health's pure part: deltas from attempts are additive (any chunking, any order, any
// shard split gives the same read-out), percentiles read off the fixed histogram are the
// bucket of the exact nearest-rank value, and consecutive failures read off the buckets equal
// the rule applied to the attempts themselves.

const CATS = ['success', 'client_error', 'server_error', 'timeout', 'network', 'rate_limited', 'lost'] as const;

type Spec = { cat: (typeof CATS)[number]; ms: number; at: number; host: number; msg: number; final: boolean };

const attemptOf = (s: Spec, n: number): AttemptItem => {
  const success = s.cat === 'success';
  const status =
    s.cat === 'success'
      ? 200
      : s.cat === 'client_error'
        ? 404
        : s.cat === 'server_error'
          ? 503
          : s.cat === 'rate_limited'
            ? 429
            : null;
  const completedAt = new Date(Date.UTC(2026, 11, 1) + s.at * 1000).toISOString();
  return {
    type: 'ATTEMPT',
    messageId: `m-${s.msg}`,
    attemptNumber: n,
    attemptId: `a${n}`,
    leaseId: 'l',
    startedAt: completedAt,
    completedAt,
    request: { method: 'POST', url: `https://h${s.host}.example.com/x`, headers: {}, bodyBytes: 0, bodySha256: '' },
    response: null,
    deliveryResult: {
      success,
      retryEligible: !success && !s.final,
      category: s.cat,
      statusCode: status,
      statusText: null,
      responseTime: s.ms,
      errorDetails: null,
      timestamp: completedAt,
      correlationId: 'c',
    },
    status: success ? 'SUCCESS' : 'FAILED',
    nextAttemptAt: null,
    superseded: false,
    truncated: {},
  };
};

const specArb = fc.record({
  cat: fc.constantFrom(...CATS),
  ms: fc.integer({ min: 0, max: 40_000 }),
  at: fc.integer({ min: 0, max: 3 * 3600 }),
  host: fc.integer({ min: 0, max: 2 }),
  msg: fc.integer({ min: 0, max: 20 }),
  final: fc.boolean(),
});
const attemptsArb = fc.array(specArb, { maxLength: 80 }).map((ss) => ss.map((s, i) => attemptOf(s, i + 1)));

/** Deltas as buckets of one shard (what the store would hold after applying them). */
const bucketsOf = (attempts: readonly AttemptItem[], shard = 0): HealthBucket[] =>
  healthDeltaOf(attempts).map((d) => ({ ...d, shard }));

test('a percentile read off the histogram is the bucket of the exact nearest-rank value', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 200 }),
      fc.constantFrom(0.5, 0.9, 0.99),
      (ms, q) => {
        const counts = new Array(LATENCY_EDGES_MS.length + 1).fill(0);
        for (const v of ms) counts[latencyBucketOf(v)] += 1;
        const sorted = [...ms].sort((a, b) => a - b);
        const exact = sorted[Math.max(1, Math.ceil(q * ms.length)) - 1] ?? 0;
        assert.equal(percentileOf(counts, q)?.upperMs, latencyUpperEdge(latencyBucketOf(exact)));
      },
    ),
  );
  assert.is(percentileOf([0, 0], 0.5), null);
  assert.is(latencyBucketOf(10), 0);
  assert.is(latencyBucketOf(11), 1);
  assert.is(latencyUpperEdge(latencyBucketOf(31_000)), null);
});

test('any chunking and any shard split of the attempts reads out the same as all at once', () => {
  fc.assert(
    fc.property(
      attemptsArb,
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 80, maxLength: 80 }),
      (attempts, cuts) => {
        const whole = endpointHealthOf(bucketsOf(attempts));
        // each attempt to one of 4 chunks, each chunk written to its own shard
        const chunks: AttemptItem[][] = [[], [], [], []];
        for (const [i, a] of attempts.entries()) chunks[cuts[i] ?? 0]?.push(a);
        const split = endpointHealthOf(chunks.flatMap((c, shard) => bucketsOf(c, shard)));
        assert.equal(split, whole);
        const host = whole[0]?.endpoint;
        if (host !== undefined) {
          const series = (bs: HealthBucket[]) => hourlySeriesOf(bs.filter((b) => b.endpoint === host));
          assert.equal(series(chunks.flatMap((c, shard) => bucketsOf(c, shard))), series(bucketsOf(attempts)));
        }
      },
    ),
  );
});

/** The rule itself, over attempts: failures completed in a later minute than the newest success. */
const consecutiveDirect = (attempts: readonly AttemptItem[]): number => {
  const ok = attempts.filter((a) => a.deliveryResult.success).map((a) => `${a.completedAt}#${a.messageId}`);
  const last = ok.sort().at(-1);
  const failed = attempts.filter((a) => !a.deliveryResult.success);
  if (last === undefined) return failed.length;
  return failed.filter((a) => a.completedAt.slice(0, 16) > last.slice(0, 16)).length;
};

test('consecutive failures read off the buckets equal the rule applied to the attempts', () => {
  fc.assert(
    fc.property(attemptsArb, (attempts) => {
      for (const row of endpointHealthOf(bucketsOf(attempts))) {
        const mine = attempts.filter((a) => new URL(a.request.url).host === row.endpoint);
        assert.is(row.consecutiveFailures, consecutiveDirect(mine));
        assert.is(row.deliveries, mine.length);
        assert.is(row.successes, mine.filter((a) => a.deliveryResult.success).length);
      }
    }),
  );
});

test('rates, categories, final messages, last success and failure', () => {
  const a = [
    attemptOf({ cat: 'server_error', ms: 120, at: 10, host: 0, msg: 1, final: false }, 1),
    attemptOf({ cat: 'success', ms: 240, at: 70, host: 0, msg: 1, final: true }, 2),
    attemptOf({ cat: 'client_error', ms: 20, at: 200, host: 0, msg: 2, final: true }, 1),
    attemptOf({ cat: 'timeout', ms: 2000, at: 260, host: 0, msg: 3, final: false }, 1),
  ];
  const [row] = endpointHealthOf(bucketsOf(a));
  assert.is(row?.endpoint, 'h0.example.com');
  assert.is(row?.deliveries, 4);
  assert.is(row?.successRate, 0.25);
  assert.equal(row?.categories, { server_error: 1, success: 1, client_error: 1, timeout: 1 });
  assert.equal(row?.statusClasses, { '5xx': 1, '2xx': 1, '4xx': 1, none: 1 });
  assert.is(row?.messages, 2);
  assert.equal(row?.messageCategories, { success: 1, client_error: 1 });
  assert.equal(row?.latency, { responses: 3, p50: 150, p90: 300, p99: 300 });
  assert.equal(row?.lastSuccess, { at: '2026-12-01T00:01:10.000Z', messageId: 'm-1' });
  assert.equal(row?.lastFailure, { at: '2026-12-01T00:04:20.000Z', messageId: 'm-3' });
  assert.is(row?.consecutiveFailures, 2);
});

test('worst first: lowest success rate, then consecutive failures', () => {
  const a = [
    attemptOf({ cat: 'success', ms: 5, at: 1, host: 0, msg: 1, final: true }, 1),
    attemptOf({ cat: 'server_error', ms: 5, at: 1, host: 1, msg: 2, final: true }, 1),
    attemptOf({ cat: 'success', ms: 5, at: 1, host: 2, msg: 3, final: true }, 1),
    attemptOf({ cat: 'timeout', ms: 5, at: 100, host: 2, msg: 4, final: true }, 1),
  ];
  assert.equal(
    endpointHealthOf(bucketsOf(a)).map((r) => r.endpoint),
    ['h1.example.com', 'h2.example.com', 'h0.example.com'],
  );
});

test('failures by minute over the last hour equal the failed attempts of each minute, any shard split', () => {
  const base = Date.parse('2026-12-01T00:00:00.000Z');
  fc.assert(
    fc.property(attemptsArb, fc.integer({ min: 61, max: 3 * 60 }), (attempts, endMinute) => {
      const one = attempts.filter((a) => a.request.url.includes('h0.'));
      const until = new Date(base + endMinute * 60_000);
      const split = [
        ...bucketsOf(
          one.filter((_, i) => i % 2 === 0),
          0,
        ),
        ...bucketsOf(
          one.filter((_, i) => i % 2 === 1),
          1,
        ),
      ];
      const got = failuresByMinute(split, new Date(base), until);
      assert.is(got.from, new Date(until.getTime() - 3_600_000).toISOString());
      got.failures.forEach((n, i) => {
        const from = Date.parse(got.from) + i * 60_000;
        const expected = one.filter((a) => {
          const t = Date.parse(a.completedAt);
          return !a.deliveryResult.success && t >= from && t < from + 60_000;
        }).length;
        assert.is(n, expected, `minute ${i}`);
      });
    }),
  );
  // a minute before the first hour read is unknown, not 0
  const early = failuresByMinute([], new Date(base + 3_600_000), new Date(base + 90 * 60_000));
  assert.equal(
    early.failures.slice(0, 30),
    Array.from({ length: 30 }, () => null),
  );
  assert.is(early.failures[30], 0);
});

test('a stored bucket decodes its counters and refuses a bad one', () => {
  const item = {
    pk: 'x',
    sk: 'y',
    type: 'HEALTH',
    endpoint: 'h',
    hour: '2026-12-01T10',
    shard: 1,
    n: 3,
    c_success: 2,
    l03: 2,
    lastOk: 't#m',
    other: 'kept out',
  };
  const d = HealthBucketItem.decode(item);
  assert.ok(E.isRight(d));
  if (E.isRight(d)) assert.equal(d.right.counters, { n: 3, c_success: 2, l03: 2 });
  assert.ok(E.isLeft(HealthBucketItem.decode({ ...item, n: -1 })));
  assert.ok(E.isLeft(HealthBucketItem.decode({ ...item, hour: '2026-12-01' })));
});

test('the endpoint-hour roll-ups (shards summed) read out exactly as the shards, any shard split', () => {
  fc.assert(
    fc.property(
      attemptsArb,
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 80, maxLength: 80 }),
      fc.integer({ min: 61, max: 3 * 60 }),
      (attempts, cuts, endMinute) => {
        const chunks: AttemptItem[][] = [[], [], [], []];
        for (const [i, a] of attempts.entries()) chunks[cuts[i] ?? 0]?.push(a);
        const shards = chunks.flatMap((c, shard) => bucketsOf(c, shard));
        const hours = sumShards(shards);
        assert.equal(endpointHealthOf(hours), endpointHealthOf(shards), 'dh endpoints: the same rows');
        assert.equal(new Set(hours.map((h) => `${h.hour} ${h.endpoint}`)).size, hours.length, 'one per endpoint-hour');
        const base = Date.parse('2026-12-01T00:00:00.000Z');
        for (const host of new Set(shards.map((b) => b.endpoint))) {
          const mine = <B extends { endpoint: string }>(bs: readonly B[]) => bs.filter((b) => b.endpoint === host);
          assert.equal(hourlySeriesOf(mine(hours)), hourlySeriesOf(mine(shards)), 'the hourly series');
          const until = new Date(base + endMinute * 60_000);
          assert.equal(
            failuresByMinute(mine(hours), new Date(base), until),
            failuresByMinute(mine(shards), new Date(base), until),
            'the minutes',
          );
        }
      },
    ),
  );
});

test('a stored roll-up decodes its counters and markers and refuses a bad one', () => {
  const item = { type: 'HEALTH_HOUR', endpoint: 'h', hour: '2026-12-01T10', n: 3, fm07: 1, lastFail: 't#m', x: 1 };
  const d = HealthHourItem.decode(item);
  assert.ok(E.isRight(d));
  if (E.isRight(d))
    assert.equal(d.right, {
      endpoint: 'h',
      hour: '2026-12-01T10',
      counters: { n: 3, fm07: 1 },
      lastOk: null,
      lastFail: 't#m',
    });
  assert.ok(E.isLeft(HealthHourItem.decode({ ...item, fm07: 1.5 })));
  assert.ok(E.isLeft(HealthHourItem.decode({ ...item, type: 'HEALTH' })), 'a shard bucket is not a roll-up');
});

test.run();
