// Items for the CLI's offline tests (same shapes core's codecs decode).
import type { AttemptItem, DeliveryResult, RedriveItem, StateItem } from '@delivery-history/core';
import { createStateItem } from '@delivery-history/core';

export const T0 = Date.parse('2025-01-01T00:00:00.000Z');
export const iso = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();

export const seedState = (messageId = 'm-1', maxAttempts = 3): StateItem =>
  createStateItem(
    {
      messageId,
      url: 'https://hooks.example.com/in?token=abc',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abcdefghijkl' },
      body: '{"hello":"world"}',
      correlationId: `c-${messageId}`,
      maxAttempts,
    },
    { now: new Date(T0), defaultMaxAttempts: 8 },
  );

export type Kind = 'success' | 'retry' | 'final';

export const result = (kind: Kind, at: string): DeliveryResult => {
  const code = kind === 'success' ? 200 : kind === 'retry' ? 503 : 404;
  const category = kind === 'success' ? 'success' : kind === 'retry' ? 'server_error' : 'client_error';
  return {
    success: kind === 'success',
    retryEligible: kind === 'retry',
    category,
    statusCode: code,
    statusText: kind === 'success' ? 'OK' : 'Nope',
    responseTime: 40 + code / 10,
    errorDetails:
      kind === 'success' ? null : { code: `HTTP_${code}`, message: `HTTP ${code}`, category, responseSnippet: null },
    timestamp: at,
    correlationId: 'c',
  };
};

export const attempt = (n: number, kind: Kind, messageId = 'm-1'): AttemptItem => {
  const at = iso(n * 60_000);
  return {
    type: 'ATTEMPT',
    messageId,
    attemptNumber: n,
    attemptId: `att-${n}`,
    leaseId: `lease-${n}`,
    startedAt: at,
    completedAt: at,
    request: {
      method: 'POST',
      url: 'https://hooks.example.com/in',
      headers: {},
      bodyBytes: 17,
      bodySha256: 'a'.repeat(64),
    },
    response: { headers: { 'content-type': 'text/plain' } },
    deliveryResult: { ...result(kind, at), responseTime: 10 * n },
    status: kind === 'success' ? 'SUCCESS' : 'FAILED',
    nextAttemptAt: kind === 'retry' ? iso(n * 60_000 + 30_000) : null,
    superseded: false,
    truncated: {},
  };
};

export const redriveItem = (k: number, afterAttempt: number, maxAttempts: number, messageId = 'm-1'): RedriveItem => ({
  type: 'REDRIVE',
  messageId,
  redriveNumber: k,
  afterAttempt,
  maxAttempts,
  requestedBy: 'ops@example.com',
  reason: `endpoint fixed ${k}`,
  at: iso(afterAttempt * 60_000 + 1_000),
});
