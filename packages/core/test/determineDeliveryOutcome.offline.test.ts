import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRetryPolicy, determineDeliveryOutcome, type OutcomeInput } from '../src/index.js';
import {
  classifyStatus,
  type OutcomeContext,
  STATUS_RULES,
  TRANSPORT_ERROR_CODES,
  TRANSPORT_RULES,
} from '../src/testing.js';

const Outcome = suite('determineDeliveryOutcome');

const now = new Date('2025-03-01T12:00:00.000Z');
const ctx = (over: Partial<OutcomeContext> = {}): OutcomeContext => ({
  now,
  correlationId: 'corr-1',
  attemptNumber: 1,
  maxAttempts: 8,
  policy: defaultRetryPolicy,
  random: () => 0.5,
  ...over,
});
const response = (statusCode: number, headers: Record<string, string> = {}): OutcomeInput => ({
  kind: 'response',
  statusCode,
  statusText: 'Text',
  headers,
  responseTimeMs: 42.6,
  bodySnippet: 'body!',
  bodyBytes: 5,
});

Outcome('README outcome table and STATUS_RULES agree, row by row', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const rows = STATUS_RULES.map(
    (r) =>
      `| ${r.from === r.to ? r.from : `${r.from}-${r.to}`} | ${r.category} | ${yes(r.retryable)} | ${yes(r.honoursRetryAfter)} |`,
  );
  const found = rows.map((row) => readme.indexOf(row));
  for (const [i, at] of found.entries()) assert.ok(at >= 0, `README has row ${rows[i]}`);
  assert.equal(
    [...found].sort((a, b) => a - b),
    found,
    'rows appear in the same order',
  );
  for (const code of TRANSPORT_ERROR_CODES) {
    const rule = TRANSPORT_RULES[code];
    const line = readme.split('\n').find(
      (l) =>
        l.startsWith('| ') &&
        l
          .split('|')[1]
          ?.split(',')
          .map((s) => s.trim())
          .includes(code),
    );
    assert.ok(line, `README lists ${code}`);
    assert.match(line ?? '', new RegExp(`\\| ${rule.category} \\| ${yes(rule.retryable)} \\|$`), code);
  }
});

Outcome('status code table', () => {
  const cases: Array<[number, string, boolean]> = [
    [200, 'success', false],
    [201, 'success', false],
    [204, 'success', false],
    [299, 'success', false],
    [301, 'redirect', true],
    [302, 'redirect', true],
    [304, 'redirect', true],
    [307, 'redirect', true],
    [308, 'redirect', true],
    [400, 'client_error', false],
    [401, 'client_error', false],
    [403, 'client_error', false],
    [404, 'client_error', false],
    [409, 'client_error', false],
    [410, 'client_error', false],
    [413, 'client_error', false],
    [422, 'client_error', false],
    [499, 'client_error', false],
    [408, 'timeout', true],
    [425, 'rate_limited', true],
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [502, 'server_error', true],
    [503, 'server_error', true],
    [504, 'server_error', true],
    [599, 'server_error', true],
    [501, 'server_error', false],
    [505, 'server_error', false],
    [511, 'server_error', false],
    [100, 'server_error', true],
    [199, 'server_error', true],
    [600, 'server_error', true],
    [999, 'server_error', true],
  ];
  for (const [code, category, retryable] of cases) {
    const o = determineDeliveryOutcome(response(code), ctx());
    assert.is(o.deliveryResult.category, category, `${code} category`);
    assert.is(o.retryEligible, retryable, `${code} retryable`);
    assert.is(o.deliveryResult.retryEligible, retryable, `${code} result.retryEligible`);
    assert.is(o.status, category === 'success' ? 'SUCCESS' : 'FAILED', `${code} status`);
    assert.is(o.deliveryResult.statusCode, code);
    assert.is(o.exhausted, false);
    assert.is(classifyStatus(code).category, category);
  }
});

Outcome('success result has the seed structure and no error or next attempt', () => {
  const o = determineDeliveryOutcome(response(200), ctx());
  assert.equal(o, {
    deliveryResult: {
      success: true,
      retryEligible: false,
      category: 'success',
      statusCode: 200,
      statusText: 'Text',
      responseTime: 43,
      errorDetails: null,
      timestamp: '2025-03-01T12:00:00.000Z',
      correlationId: 'corr-1',
    },
    status: 'SUCCESS',
    retryEligible: false,
    nextAttemptAt: null,
    delayMs: null,
    exhausted: false,
  });
});

Outcome('HTTP failure carries code, message and response snippet', () => {
  const o = determineDeliveryOutcome(response(404), ctx());
  assert.equal(o.deliveryResult.errorDetails, {
    code: 'HTTP_404',
    message: 'HTTP 404 Text',
    category: 'client_error',
    responseSnippet: 'body!',
  });
  assert.is(o.nextAttemptAt, null);
});

Outcome('every transport error code', () => {
  const expected: Record<string, [string, boolean]> = {
    CONNECT_TIMEOUT: ['timeout', true],
    RESPONSE_TIMEOUT: ['timeout', true],
    BODY_TIMEOUT: ['timeout', true],
    ETIMEDOUT: ['timeout', true],
    ECONNREFUSED: ['network', true],
    ECONNRESET: ['network', true],
    ENOTFOUND: ['network', true],
    EAI_AGAIN: ['network', true],
    EHOSTUNREACH: ['network', true],
    ENETUNREACH: ['network', true],
    EPIPE: ['network', true],
    TLS_ERROR: ['network', true],
    NETWORK_ERROR: ['network', true],
    RESPONSE_TOO_LARGE: ['response_too_large', false],
    INVALID_URL: ['invalid_target', false],
    BLOCKED_TARGET: ['blocked_target', false],
    UNSEAL_UNAVAILABLE: ['network', true],
    UNSEAL_REFUSED: ['invalid_target', false],
    CREDENTIALS_UNAVAILABLE: ['network', true],
  };
  assert.equal(Object.keys(expected).sort(), [...TRANSPORT_ERROR_CODES].sort());
  for (const code of TRANSPORT_ERROR_CODES) {
    const o = determineDeliveryOutcome({ kind: 'error', code, message: `boom ${code}`, responseTimeMs: 5 }, ctx());
    const [category, retryable] = expected[code] ?? ['?', false];
    assert.is(o.deliveryResult.category, category, code);
    assert.is(o.retryEligible, retryable, code);
    assert.is(o.deliveryResult.statusCode, null);
    assert.is(o.deliveryResult.statusText, null);
    assert.equal(o.deliveryResult.errorDetails, { code, message: `boom ${code}`, category, responseSnippet: null });
    assert.is(o.nextAttemptAt === null, !retryable, code);
  }
});

Outcome('429 honours Retry-After (seconds and HTTP-date), clamped to retryAfterMaxMs', () => {
  const secs = determineDeliveryOutcome(response(429, { 'Retry-After': '120' }), ctx());
  assert.is(secs.delayMs, 120_000);
  assert.is(secs.nextAttemptAt, '2025-03-01T12:02:00.000Z');
  const date = determineDeliveryOutcome(response(429, { 'retry-after': 'Sat, 01 Mar 2025 12:00:30 GMT' }), ctx());
  assert.is(date.delayMs, 30_000);
  const clamped = determineDeliveryOutcome(response(429, { 'RETRY-AFTER': '86400' }), ctx());
  assert.is(clamped.delayMs, defaultRetryPolicy.retryAfterMaxMs);
  const garbage = determineDeliveryOutcome(response(429, { 'Retry-After': 'soon' }), ctx({ random: () => 0 }));
  assert.is(garbage.delayMs, 0, 'garbage falls back to jitter (random 0 -> 0)');
  const on503 = determineDeliveryOutcome(response(503, { 'Retry-After': '70' }), ctx());
  assert.is(on503.delayMs, 70_000);
});

Outcome('Retry-After below the first backoff (0, a past date, a few seconds) waits that backoff, not less', () => {
  const first = defaultRetryPolicy.baseMs;
  for (const value of ['0', 'Sat, 01 Mar 2025 11:00:00 GMT', '7']) {
    for (const attemptNumber of [1, 4]) {
      const o = determineDeliveryOutcome(
        response(429, { 'Retry-After': value }),
        ctx({ attemptNumber, random: () => 0 }),
      );
      assert.is(o.delayMs, first, `Retry-After: ${value} on attempt ${attemptNumber}`);
    }
  }
  // a policy without backoff (baseMs 0) keeps honouring 0 as "now"
  const none = { ...defaultRetryPolicy, baseMs: 0 };
  assert.is(determineDeliveryOutcome(response(429, { 'Retry-After': '0' }), ctx({ policy: none })).delayMs, 0);
  // the floor is the first backoff even where maxMs is smaller (never above the policy's cap)
  const tight = { ...defaultRetryPolicy, baseMs: 5_000, maxMs: 2_000 };
  assert.is(determineDeliveryOutcome(response(503, { 'Retry-After': '0' }), ctx({ policy: tight })).delayMs, 2_000);
});

Outcome('Retry-After is ignored where the table says so (500)', () => {
  const o = determineDeliveryOutcome(response(500, { 'Retry-After': '600' }), ctx({ random: () => 0 }));
  assert.is(o.delayMs, 0);
});

Outcome('without Retry-After the delay is full jitter over the backoff cap', () => {
  const o = determineDeliveryOutcome(response(502), ctx({ attemptNumber: 3, random: () => 0.5 }));
  // cap after attempt 3 = 30 s * 4 = 120 s; floor(0.5 * 120001)
  assert.is(o.delayMs, 60_000);
  assert.is(o.nextAttemptAt, '2025-03-01T12:01:00.000Z');
});

Outcome('exhaustion: a retryable failure at attemptNumber >= maxAttempts is final', () => {
  const last = determineDeliveryOutcome(response(503), ctx({ attemptNumber: 8, maxAttempts: 8 }));
  assert.is(last.exhausted, true);
  assert.is(last.retryEligible, false);
  assert.is(last.deliveryResult.retryEligible, false);
  assert.is(last.status, 'FAILED');
  assert.is(last.nextAttemptAt, null);
  assert.is(last.deliveryResult.category, 'server_error');
  assert.is(last.deliveryResult.errorDetails?.code, 'HTTP_503');
  assert.match(last.deliveryResult.errorDetails?.message ?? '', /retries exhausted: attempt 8 of 8/);
  const before = determineDeliveryOutcome(response(503), ctx({ attemptNumber: 7, maxAttempts: 8 }));
  assert.is(before.exhausted, false);
  assert.is(before.retryEligible, true);
  const timeout = determineDeliveryOutcome(
    { kind: 'error', code: 'CONNECT_TIMEOUT', message: 't', responseTimeMs: 1 },
    ctx({ attemptNumber: 9, maxAttempts: 8 }),
  );
  assert.is(timeout.exhausted, true);
  assert.is(timeout.deliveryResult.errorDetails?.code, 'CONNECT_TIMEOUT');
});

Outcome('a permanent failure or a success is never "exhausted"', () => {
  assert.is(determineDeliveryOutcome(response(404), ctx({ attemptNumber: 8, maxAttempts: 8 })).exhausted, false);
  assert.is(determineDeliveryOutcome(response(200), ctx({ attemptNumber: 8, maxAttempts: 8 })).exhausted, false);
  assert.is(
    determineDeliveryOutcome(response(404), ctx({ attemptNumber: 8, maxAttempts: 8 })).deliveryResult.errorDetails
      ?.message,
    'HTTP 404 Text',
  );
});

Outcome('responseTime is a non-negative integer even for odd inputs', () => {
  for (const [ms, want] of [
    [-5, 0],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
    [1.4, 1],
  ] as const) {
    const o = determineDeliveryOutcome({ kind: 'error', code: 'ECONNRESET', message: 'x', responseTimeMs: ms }, ctx());
    assert.is(o.deliveryResult.responseTime, want);
  }
});

Outcome('property: decision invariants for any status, attempt and random source', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100, max: 999 }),
      fc.integer({ min: 1, max: 120 }),
      fc.integer({ min: 1, max: 100 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.option(fc.oneof(fc.nat({ max: 10 ** 7 }).map(String), fc.string()), { nil: undefined }),
      (status, attemptNumber, maxAttempts, r, retryAfter) => {
        const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
        const o = determineDeliveryOutcome(
          response(status, headers),
          ctx({ attemptNumber, maxAttempts, random: () => r }),
        );
        const success = status >= 200 && status <= 299;
        assert.is(o.deliveryResult.success, success);
        assert.is(o.status === 'SUCCESS', success);
        assert.is(o.deliveryResult.errorDetails === null, success);
        assert.is(o.retryEligible, o.deliveryResult.retryEligible);
        assert.is(o.nextAttemptAt !== null, o.retryEligible);
        if (o.exhausted)
          assert.ok(attemptNumber >= maxAttempts && !o.retryEligible && classifyStatus(status).retryable);
        if (o.retryEligible) {
          assert.ok(attemptNumber < maxAttempts);
          const bound = Math.max(defaultRetryPolicy.maxMs, defaultRetryPolicy.retryAfterMaxMs);
          assert.ok(o.delayMs !== null && o.delayMs >= 0 && o.delayMs <= bound);
          assert.is(Date.parse(o.nextAttemptAt ?? '') - now.getTime(), o.delayMs);
        }
      },
    ),
  );
});

Outcome(
  'receiverAbort (webhook-delivery: abort-message, setting on): a retryable failure is final; a success stays one',
  () => {
    const aborted = { ...(response(503) as Extract<OutcomeInput, { kind: 'response' }>), receiverAbort: true };
    const o = determineDeliveryOutcome(aborted, ctx());
    assert.equal([o.status, o.retryEligible, o.nextAttemptAt, o.exhausted], ['FAILED', false, null, false]);
    assert.is(o.deliveryResult.category, 'server_error', 'the category is the status');
    assert.is(o.deliveryResult.errorDetails?.code, 'HTTP_503');
    assert.match(o.deliveryResult.errorDetails?.message ?? '', /abort-message; not retried/);
    const plain = determineDeliveryOutcome(response(503), ctx());
    assert.is(plain.retryEligible, true, 'without the mark the same 503 is retried');
    const ok = determineDeliveryOutcome(
      { ...(response(200) as Extract<OutcomeInput, { kind: 'response' }>), receiverAbort: true },
      ctx(),
    );
    assert.equal([ok.status, ok.deliveryResult.errorDetails], ['SUCCESS', null]);
  },
);

Outcome.run();
