import type { AttemptItem, HoldItem, RedriveItem } from '@delivery-history/core';
import { dedupeOperatorEvents, operatorEventsOf, sharedVars } from '@delivery-history/core';
import { operatorEventId } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const attempt = (n: number, over: Partial<AttemptItem['deliveryResult']> = {}, superseded = false): AttemptItem => ({
  type: 'ATTEMPT',
  messageId: 'm-1',
  attemptNumber: n,
  attemptId: `a${n}`,
  leaseId: 'l',
  startedAt: '2026-12-01T00:00:00.000Z',
  completedAt: '2026-12-01T00:00:01.000Z',
  request: {
    method: 'POST',
    url: 'https://hooks.example.com:8443/x?token=[REDACTED]',
    headers: {},
    bodyBytes: 0,
    bodySha256: '',
  },
  response: null,
  deliveryResult: {
    success: false,
    retryEligible: false,
    category: 'client_error',
    statusCode: 404,
    statusText: 'Not Found',
    responseTime: 12,
    errorDetails: { code: 'HTTP_404', message: 'not found', category: 'client_error', responseSnippet: null },
    timestamp: '2026-12-01T00:00:01.000Z',
    correlationId: 'c-1',
    ...over,
  },
  status: over.success === true ? 'SUCCESS' : 'FAILED',
  nextAttemptAt: over.retryEligible === true ? '2026-12-01T00:01:00.000Z' : null,
  superseded,
  truncated: {},
});

const redrive: RedriveItem = {
  type: 'REDRIVE',
  messageId: 'm-1',
  redriveNumber: 1,
  afterAttempt: 3,
  maxAttempts: 6,
  requestedBy: 'ops',
  reason: 'fixed',
  at: '2026-12-01T01:00:00.000Z',
};

const kinds = (a: AttemptItem) =>
  operatorEventsOf({ kind: 'attempt', sortKey: `ATTEMPT#${a.attemptNumber}`, attempt: a }).map((e) => e.detailType);

test('final failures (permanent, exhausted) are delivery.failed; retried and successful attempts are nothing', () => {
  assert.equal(kinds(attempt(1)), ['delivery.failed']);
  assert.equal(kinds(attempt(1, { retryEligible: true, category: 'server_error', statusCode: 503 })), []);
  assert.equal(kinds(attempt(8, { category: 'server_error', statusCode: 503 })), ['delivery.failed']);
  assert.equal(kinds(attempt(1, { success: true, category: 'success', statusCode: 200, errorDetails: null })), []);
  assert.equal(kinds(attempt(2, {}, true)), []);
});

test('lost attempts are delivery.lost (and failed too when they exhaust the message)', () => {
  const lost = { category: 'lost', statusCode: null, errorDetails: null } as const;
  assert.equal(kinds(attempt(1, { ...lost, retryEligible: true })), ['delivery.lost']);
  assert.equal(kinds(attempt(1, { ...lost, retryEligible: true }, true)), ['delivery.lost']);
  assert.equal(kinds(attempt(3, lost)), ['delivery.lost', 'delivery.failed']);
});

test('the detail: endpoint from the redacted url, stable id per (message, sort key, kind)', () => {
  const [e] = operatorEventsOf({ kind: 'attempt', sortKey: 'ATTEMPT#000001', attempt: attempt(1) });
  assert.equal(e?.source, 'delivery-history');
  assert.equal(e?.detail, {
    eventId: operatorEventId('m-1', 'ATTEMPT#000001', 'failed'),
    messageId: 'm-1',
    endpoint: 'hooks.example.com:8443',
    category: 'client_error',
    statusCode: 404,
    attempts: 1,
    correlationId: 'c-1',
    time: '2026-12-01T00:00:01.000Z',
    errorCode: 'HTTP_404',
    redrive: null,
    hold: null,
  });
  assert.is(e?.detail.eventId.length, 32);
  assert.is.not(operatorEventId('m-1', 'ATTEMPT#000001', 'lost'), e?.detail.eventId);
  assert.is.not(operatorEventId('m-1', 'ATTEMPT#000002', 'failed'), e?.detail.eventId);
  assert.is.not(operatorEventId('m-2', 'ATTEMPT#000001', 'failed'), e?.detail.eventId);
});

test('a re-drive is delivery.redriven with the STATE context (or blanks without one)', () => {
  const ctx = { endpoint: 'h.example', correlationId: 'c-1' };
  const [e] = operatorEventsOf({ kind: 'redrive', sortKey: 'REDRIVE#0001', redrive, context: ctx });
  assert.equal(e?.detailType, 'delivery.redriven');
  assert.equal(e?.detail.attempts, 3);
  assert.equal(e?.detail.endpoint, 'h.example');
  assert.equal(e?.detail.redrive, { requestedBy: 'ops', reason: 'fixed', maxAttempts: 6 });
  const [bare] = operatorEventsOf({ kind: 'redrive', sortKey: 'REDRIVE#0001', redrive, context: null });
  assert.equal(bare?.detail.eventId, e?.detail.eventId);
  assert.equal(bare?.detail.correlationId, '');
});

test('dedupe keeps the first event per id, in order', () => {
  const a = operatorEventsOf({ kind: 'attempt', sortKey: 'ATTEMPT#1', attempt: attempt(1) });
  const r = operatorEventsOf({ kind: 'redrive', sortKey: 'REDRIVE#1', redrive, context: null });
  assert.equal(dedupeOperatorEvents([...a, ...r, ...a, ...r]), [...a, ...r]);
});

test('DELIVERY_EVENT_BUS_NAME accepts a bus name or ARN', () => {
  const c = sharedVars.DELIVERY_EVENT_BUS_NAME;
  for (const ok of ['default', 'delivery-events', 'arn:aws:events:eu-west-1:123456789012:event-bus/x'])
    assert.ok(E.isRight(c.decode(ok)), ok);
  for (const bad of ['', 'a b', 'x'.repeat(257)]) assert.ok(E.isLeft(c.decode(bad)), bad);
});

test('delivery.held_expired: a hold that ended in expiry, with why it was held; no event for held or released', () => {
  const hold = (n: number, kind: HoldItem['kind'], at: string): HoldItem => ({
    type: 'HOLD',
    messageId: 'm-9',
    holdNumber: n,
    kind,
    afterAttempt: 2,
    afterRedrive: 0,
    mode: kind === 'held' ? 'paused' : 'retention',
    reason: kind === 'held' ? 'INC-9 maintenance' : 'held 7 days',
    by: kind === 'held' ? 'breaker' : 'ops@example.com',
    at,
  });
  const held = hold(1, 'held', '2026-12-01T00:00:00.000Z');
  const context = { endpoint: 'hooks.example.com', correlationId: 'c-9' };
  const change = (h: HoldItem, sortKey: string) =>
    operatorEventsOf({ kind: 'hold', sortKey, hold: h, context, heldFor: held });
  assert.equal(change(held, 'HOLD#0001'), []);
  assert.equal(change(hold(2, 'released', '2026-12-02T00:00:00.000Z'), 'HOLD#0002'), []);
  const [e, ...rest] = change(hold(2, 'expired', '2026-12-08T00:00:00.000Z'), 'HOLD#0002');
  assert.is(rest.length, 0);
  assert.is(e?.detailType, 'delivery.held_expired');
  assert.equal(e?.detail, {
    eventId: operatorEventId('m-9', 'HOLD#0002', 'held_expired'),
    messageId: 'm-9',
    endpoint: 'hooks.example.com',
    category: 'held_expired',
    statusCode: null,
    attempts: 2,
    correlationId: 'c-9',
    time: '2026-12-08T00:00:00.000Z',
    errorCode: 'HELD_EXPIRED',
    redrive: null,
    hold: { mode: 'paused', reason: 'INC-9 maintenance', by: 'ops@example.com' },
  });
  const again = change(hold(2, 'expired', '2026-12-08T00:00:00.000Z'), 'HOLD#0002');
  assert.is(again[0]?.detail.eventId, e?.detail.eventId, 'the same item gives the same id (idempotent)');
});

test.run();
