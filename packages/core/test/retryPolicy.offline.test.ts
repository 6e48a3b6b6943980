import * as fc from 'fast-check';
import * as O from 'fp-ts/lib/Option.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRetryPolicy, makeRetryPolicy, type RetryPolicy } from '../src/index.js';
import { backoffCapMs, nextAttemptAt, nextDelayMs, parseHttpDate, parseRetryAfter } from '../src/testing.js';

const Retry = suite('retry policy');
const now = new Date('1994-11-06T08:49:00.000Z');

Retry('Retry-After delta-seconds', () => {
  assert.equal(parseRetryAfter('0', now), O.some(0));
  assert.equal(parseRetryAfter('120', now), O.some(120_000));
  assert.equal(parseRetryAfter('  5 ', now), O.some(5_000));
  assert.equal(parseRetryAfter('007', now), O.some(7_000));
});

Retry('Retry-After HTTP-date in all three RFC 9110 forms', () => {
  assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now), O.some(37_000));
  assert.equal(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now), O.some(37_000));
  assert.equal(parseRetryAfter('Sun Nov  6 08:49:37 1994', now), O.some(37_000));
  assert.is(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), Date.UTC(1994, 10, 6, 8, 49, 37));
});

Retry('Retry-After date in the past means now (0)', () => {
  assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now), O.some(0));
});

Retry('Retry-After garbage gives none', () => {
  for (const v of [
    undefined,
    null,
    '',
    ' ',
    'soon',
    '-5',
    '1.5',
    '1e3',
    '0x10',
    '10 s',
    'Sun, 06 Nov 1994',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 32 Nov 1994 08:49:37 GMT',
    'Sun, 06 Foo 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 25:49:37 GMT',
    '2025-01-01T00:00:00Z',
  ])
    assert.equal(parseRetryAfter(v, now), O.none, String(v));
});

Retry('Retry-After is clamped to the max', () => {
  assert.equal(parseRetryAfter('3600', now, 60_000), O.some(60_000));
  assert.equal(parseRetryAfter('Mon, 07 Nov 1994 08:49:00 GMT', now, 900_000), O.some(900_000));
  assert.equal(parseRetryAfter('99999999999999999999999', now, 1_000), O.some(1_000));
  assert.equal(parseRetryAfter('30', now, 60_000), O.some(30_000));
});

Retry('property: a parsed Retry-After is within [0, max]', () => {
  fc.assert(
    fc.property(fc.string(), fc.nat({ max: 10 ** 9 }), (v, max) => {
      const r = parseRetryAfter(v, now, max);
      if (O.isSome(r)) assert.ok(r.value >= 0 && r.value <= max);
    }),
  );
});

Retry('backoff cap doubles from base and stops at max', () => {
  const p: RetryPolicy = { maxAttempts: 8, baseMs: 1_000, maxMs: 10_000, retryAfterMaxMs: 0 };
  assert.equal(
    [1, 2, 3, 4, 5, 6, 100, 5000].map((n) => backoffCapMs(n, p)),
    [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000],
  );
  assert.equal(
    [1, 2, 3, 4, 5, 6, 7].map((n) => backoffCapMs(n, defaultRetryPolicy)),
    [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000],
  );
});

Retry('full jitter: random 0 gives 0, random just below 1 gives the cap', () => {
  const p = defaultRetryPolicy;
  assert.is(
    nextDelayMs(2, p, () => 0),
    0,
  );
  assert.is(
    nextDelayMs(2, p, () => 0.999_999_999_9),
    60_000,
  );
  assert.is(
    nextDelayMs(2, p, () => 1),
    60_000,
    'a broken random source of 1 still stays in range',
  );
  assert.is(
    nextDelayMs(2, p, () => -3),
    0,
  );
});

Retry('property: jitter stays within [0, min(max, base * 2^(n-1))] and is an integer', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 0, max: 60_000 }),
      fc.integer({ min: 0, max: 3_600_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (n, baseMs, maxMs, r) => {
        const p: RetryPolicy = { maxAttempts: 8, baseMs, maxMs, retryAfterMaxMs: 0 };
        const d = nextDelayMs(n, p, () => r);
        assert.ok(Number.isInteger(d));
        assert.ok(d >= 0);
        assert.ok(d <= Math.min(maxMs, baseMs * 2 ** (n - 1)));
      },
    ),
  );
});

Retry('property: jitter is spread over the whole range (not constant)', () => {
  let seed = 1;
  const lcg = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const delays = Array.from({ length: 2_000 }, () => nextDelayMs(4, defaultRetryPolicy, lcg));
  const cap = backoffCapMs(4, defaultRetryPolicy);
  assert.ok(Math.min(...delays) < cap * 0.05);
  assert.ok(Math.max(...delays) > cap * 0.95);
});

Retry('nextAttemptAt adds the delay to now', () => {
  assert.is(nextAttemptAt(new Date('2025-01-01T00:00:00.000Z'), 90_500), '2025-01-01T00:01:30.500Z');
});

Retry('makeRetryPolicy keeps valid overrides and ignores invalid ones', () => {
  assert.equal(makeRetryPolicy(), defaultRetryPolicy);
  assert.equal(makeRetryPolicy({ maxAttempts: 3, baseMs: 10, maxMs: 100, retryAfterMaxMs: 50 }), {
    maxAttempts: 3,
    baseMs: 10,
    maxMs: 100,
    retryAfterMaxMs: 50,
  });
  assert.equal(
    makeRetryPolicy({ maxAttempts: 0, baseMs: Number.NaN, maxMs: -1, retryAfterMaxMs: Number.POSITIVE_INFINITY }),
    defaultRetryPolicy,
  );
});

Retry.run();
