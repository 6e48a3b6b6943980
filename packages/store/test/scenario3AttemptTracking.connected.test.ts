// Seed scenario 3: every attempt is its own immutable item with timestamps, status code,
// response time and category; the history returns them in order.
import * as assert from 'uvu/assert';
import { deliver, err503, foldMismatch, ok200, request, right, storeSuite } from './support/storeFixtures.js';
import type { OutcomeInput } from '@delivery-history/core';

const Tracking = storeSuite('scenario 3: delivery result tracking', 's3-tracking');

const timeout: OutcomeInput = {
  kind: 'error',
  code: 'RESPONSE_TIMEOUT',
  message: 'no response within 10000 ms',
  responseTimeMs: 10_000,
};

Tracking('three attempts are stored with their metrics and returned in order', async ({ store }) => {
  const req = request('s3-three');
  await right(store.createMessage(req));
  const base = Date.parse('2026-01-10T10:00:00.000Z');
  const steps: Array<[OutcomeInput, number]> = [
    [err503, 0],
    [timeout, 60_000],
    [ok200, 120_000],
  ];
  for (const [input, offset] of steps) {
    await deliver(store, req, input, {
      startedAt: new Date(base + offset),
      completedAt: new Date(base + offset + 500),
      responseHeaders: input.kind === 'error' ? null : { 'x-request-id': `r${offset}` },
    });
  }
  const h = await right(store.getHistory(req.messageId));
  assert.equal(
    h.attempts.map((a) => a.attemptNumber),
    [1, 2, 3],
  );
  assert.equal(
    h.attempts.map((a) => [
      a.status,
      a.deliveryResult.statusCode,
      a.deliveryResult.category,
      a.deliveryResult.responseTime,
    ]),
    [
      ['FAILED', 503, 'server_error', 120],
      ['FAILED', null, 'timeout', 10_000],
      ['SUCCESS', 200, 'success', 42],
    ],
  );
  h.attempts.forEach((a, i) => {
    const offset = steps[i]?.[1] ?? 0;
    assert.is(a.startedAt, new Date(base + offset).toISOString());
    assert.is(a.completedAt, new Date(base + offset + 500).toISOString());
    assert.is(a.messageId, req.messageId);
    assert.is(a.superseded, false);
    assert.ok(a.attemptId.length > 0 && a.leaseId.length > 0);
    assert.is(a.request.bodyBytes, Buffer.byteLength(req.body));
  });
  assert.is(h.attempts[1]?.response, null, 'no response on a timeout');
  assert.equal(h.attempts[2]?.response, { headers: { 'x-request-id': 'r120000' } });
  assert.is(h.attempts[1]?.deliveryResult.errorDetails?.code, 'RESPONSE_TIMEOUT');
  assert.is(h.state.lastDeliveryAttempt, new Date(base + 120_500).toISOString());
  assert.is(h.state.status, 'SUCCESS');
  assert.is(h.state.attempts, 3);
  assert.equal(await foldMismatch(store, req.messageId), []);
});

Tracking('listAttempts returns attempts from a number on, in order', async ({ store }) => {
  const list = await right(store.listAttempts('s3-three', 2));
  assert.equal(
    list.map((a) => a.attemptNumber),
    [2, 3],
  );
  assert.is((await right(store.listAttempts('s3-three'))).length, 3);
  assert.equal(await right(store.listAttempts('s3-nobody')), []);
});

Tracking.run();
