// Every receiver behaviour through the real handler, the real store (DynamoDB Local) and real
// HTTP servers on 127.0.0.1: status, category, retry decision, stored details, SQS handling.
import { makeRetryPolicy } from '@delivery-history/core';
import type { AttemptItem, StateItem } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { type Harness, harness, run, sqsEvent, sqsRecord, testStore, uniqueId } from './support/workerRig.js';

type Expect = {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly category: string;
  readonly retry: boolean;
  readonly statusCode: number | null;
  readonly code: string | null;
  readonly snippet?: string;
};

type Case = {
  readonly name: string;
  readonly url: (rx: Receivers) => Promise<string> | string;
  readonly expect: Expect;
  headers?: Record<string, string>;
};

const http = (code: number, category: string, retry: boolean, snippet = JSON.stringify({ status: code })): Expect => ({
  status: category === 'success' ? 'SUCCESS' : 'FAILED',
  category,
  retry,
  statusCode: code,
  code: category === 'success' ? null : `HTTP_${code}`,
  ...(category === 'success' ? {} : { snippet }),
});
const transport = (code: string, category: string, retry: boolean): Expect => ({
  status: 'FAILED',
  category,
  retry,
  statusCode: null,
  code,
});

const CASES: ReadonlyArray<Case> = [
  { name: '200', url: (rx) => rx.url('/status/200'), expect: http(200, 'success', false) },
  { name: '201', url: (rx) => rx.url('/status/201'), expect: http(201, 'success', false) },
  { name: '204', url: (rx) => rx.url('/status/204'), expect: http(204, 'success', false) },
  { name: '301', url: (rx) => rx.url('/status/301'), expect: http(301, 'redirect', true) },
  { name: '400', url: (rx) => rx.url('/status/400'), expect: http(400, 'client_error', false) },
  { name: '404', url: (rx) => rx.url('/status/404'), expect: http(404, 'client_error', false) },
  { name: '410', url: (rx) => rx.url('/status/410'), expect: http(410, 'client_error', false) },
  { name: '408', url: (rx) => rx.url('/status/408'), expect: http(408, 'timeout', true) },
  { name: '429', url: (rx) => rx.url('/status/429?retryAfter=2'), expect: http(429, 'rate_limited', true) },
  { name: '500', url: (rx) => rx.url('/status/500'), expect: http(500, 'server_error', true) },
  { name: '503', url: (rx) => rx.url('/status/503'), expect: http(503, 'server_error', true) },
  {
    name: 'sleeps past the timeout',
    url: (rx) => rx.url('/sleep/8000'),
    expect: transport('RESPONSE_TIMEOUT', 'timeout', true),
  },
  { name: 'resets the connection', url: (rx) => rx.url('/reset'), expect: transport('ECONNRESET', 'network', true) },
  { name: 'streams 50 MB', url: (rx) => rx.url(`/stream/${50 * 1024 * 1024}`), expect: http(200, 'success', false) },
  { name: 'refused port', url: (rx) => rx.refusedUrl(), expect: transport('ECONNREFUSED', 'network', true) },
  { name: 'unresolvable host', url: (rx) => rx.unresolvableUrl, expect: transport('ENOTFOUND', 'network', true) },
  {
    name: 'blocked target (metadata IP)',
    url: () => 'http://169.254.169.254/latest/meta-data',
    expect: transport('BLOCKED_TARGET', 'blocked_target', false),
  },
  {
    name: 'header injection refused',
    url: (rx) => rx.url('/ok'),
    headers: { 'x-evil': 'a\r\nx-injected: 1' },
    expect: transport('INVALID_URL', 'invalid_target', false),
  },
];

type Ctx = { t: TestTable; rx: Receivers; h: Harness };
const Outcomes = suite<Ctx>('worker outcomes against real receivers');

Outcomes.before(async (ctx) => {
  ctx.t = await useTestTable('worker-outcomes');
  ctx.rx = await startReceivers();
  ctx.h = harness(testStore(ctx.t, { retryPolicy: makeRetryPolicy({ maxAttempts: 3, baseMs: 1_000, maxMs: 4_000 }) }));
});
Outcomes.after(async (ctx) => {
  await ctx.h.http.close();
  await ctx.rx.close();
  await ctx.t.drop();
});

Outcomes(
  'each behaviour ends in the right status, category, retry decision, stored details and SQS handling',
  async (ctx) => {
    const { rx, h } = ctx;
    const prepared = await Promise.all(
      CASES.map(async (c) => {
        const messageId = uniqueId(`out-${c.name.replace(/\W+/g, '_')}`);
        const body = {
          messageId,
          url: await c.url(rx),
          headers: { authorization: 'Bearer s3cret', ...c.headers },
          body: '{"event":"x"}',
          correlationId: `corr-${messageId}`,
        };
        return { c, messageId, record: sqsRecord(body) };
      }),
    );
    // Lambda batches are at most 10 records
    const failures = new Set<string>();
    for (let i = 0; i < prepared.length; i += 9) {
      const batch = prepared.slice(i, i + 9);
      const res = await h.handler(sqsEvent(batch.map((p) => p.record)));
      for (const f of res.batchItemFailures) failures.add(f.itemIdentifier);
    }

    for (const { c, messageId, record } of prepared) {
      const history = await run(h.store.getHistory(messageId));
      const state: StateItem = history.state;
      const attempts: AttemptItem[] = history.attempts;
      const e = c.expect;
      const got = state.deliveryResult;
      const label = `${c.name} (got ${state.status} ${got?.category}/${got?.errorDetails?.code ?? got?.statusCode} in ${got?.responseTime} ms)`;
      assert.is(attempts.length, 1, `${label}: one attempt`);
      assert.is(state.attempts, 1, `${label}: STATE.attempts`);
      assert.is(state.status, e.status, `${label}: status`);
      assert.is(state.retryEligible, e.status === 'SUCCESS' ? false : e.retry, `${label}: retryEligible`);
      const r = state.deliveryResult;
      assert.ok(r, `${label}: deliveryResult`);
      if (r === null) continue;
      assert.is(r.category, e.category, `${label}: category`);
      assert.is(r.statusCode, e.statusCode, `${label}: statusCode`);
      assert.is(r.errorDetails?.code ?? null, e.code, `${label}: error code`);
      if (e.snippet !== undefined) assert.is(r.errorDetails?.responseSnippet, e.snippet, `${label}: snippet`);
      if (e.statusCode !== null) assert.ok((r.statusText ?? '').length > 0, `${label}: statusText`);
      assert.is(r.correlationId, `corr-${messageId}`);
      assert.equal(attempts[0]?.deliveryResult, r, `${label}: attempt and STATE carry the same result`);
      assert.is(attempts[0]?.request.headers.authorization, '[REDACTED]', `${label}: credentials never stored`);
      // SQS: a retry-eligible failure comes back at nextAttemptAt; anything final is deleted
      assert.is(failures.has(record.messageId), e.retry, `${label}: batch item failure`);
      const vis = h.visibility.calls.find((v) => v.messageId === record.messageId);
      if (e.retry) {
        assert.ok(state.nextAttemptAt !== null, `${label}: nextAttemptAt`);
        const due = Date.parse(state.nextAttemptAt ?? '') - Date.parse(attempts[0]?.completedAt ?? '');
        assert.ok(
          vis !== undefined && vis.delayMs <= due && vis.delayMs > due - 5_000,
          `${label}: visibility ${vis?.delayMs} for due ${due}`,
        );
      } else {
        assert.is(state.nextAttemptAt, null);
        assert.is(vis, undefined, `${label}: no visibility change`);
      }
    }

    // the total timeout cut the sleeping receiver short (it would answer after 8 s)
    const slow = prepared.find((p) => p.c.name === 'sleeps past the timeout');
    const slowState = await run(h.store.getState(slow?.messageId ?? ''));
    const slowMs = slowState.deliveryResult?.responseTime ?? -1;
    assert.ok(slowMs >= 2_900 && slowMs < 7_000, `timed out after ${slowMs} ms`);
    // Retry-After honoured: the 429 is due exactly 2 s after the attempt
    const rl = prepared.find((p) => p.c.name === '429');
    const rlState = await run(h.store.getState(rl?.messageId ?? ''));
    assert.is(Date.parse(rlState.nextAttemptAt ?? '') - Date.parse(rlState.lastDeliveryAttempt ?? ''), 2_000);
    // 301 not followed, blocked target never contacted, streamed body cut early
    assert.is(rx.count('/status/200'), 1);
    assert.ok(rx.streamedBytes < 16 * 1024 * 1024, `streamed ${rx.streamedBytes} bytes of 50 MB`);
    // metrics by category, one per attempt
    assert.is(h.metrics.sum('Deliveries'), CASES.length);
    assert.is(h.metrics.sum('Deliveries', { category: 'success' }), 4);
    assert.is(h.metrics.sum('Deliveries', { category: 'network' }), 3);
    assert.is(h.metrics.sum('DeliveriesFailedFinal'), 5);
    // logs carry messageId, attempt and correlationId
    const line = h.logger.entries.find((l) => l.message === 'delivery succeeded');
    assert.ok(line);
    assert.ok(typeof line?.attributes.messageId === 'string');
    assert.is(line?.attributes.attempt, 1);
    assert.match(String(line?.attributes.correlationId), /^corr-/);
  },
);

Outcomes.run();
