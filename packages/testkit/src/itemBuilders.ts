// Item builders (STATE, ATTEMPT, REDRIVE, HOLD) and history arbitraries: the one place tests
// hand-build items, in the shapes core's codecs decode.
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { AttemptItem, DeliveryResult, HoldItem, HoldKind, RedriveItem, StateItem } from '@delivery-history/core';
import type { StateEvent } from '@delivery-history/core/testing';
import { createStateItem, transition } from '@delivery-history/core';

export const T0 = Date.parse('2025-01-01T00:00:00.000Z');
export const iso = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();

/** With `secrets`, the URL and headers carry a token and a bearer (what redaction must hide). */
export const seedState = (messageId = 'm-1', maxAttempts = 3, opts: { secrets?: boolean } = {}): StateItem =>
  createStateItem(
    {
      messageId,
      url: opts.secrets === true ? 'https://hooks.example.com/in?token=abc' : 'https://hooks.example.com/in',
      method: 'POST',
      headers:
        opts.secrets === true
          ? { 'content-type': 'application/json', authorization: 'Bearer abcdefghijkl' }
          : { 'content-type': 'application/json' },
      body: '{"hello":"world"}',
      correlationId: `c-${messageId}`,
      maxAttempts,
    },
    { now: new Date(T0), defaultMaxAttempts: 8 },
  );

export type Kind = 'success' | 'retry' | 'final';

export const result = (
  kind: Kind,
  at: string,
  statusCode = kind === 'success' ? 200 : kind === 'retry' ? 503 : 404,
): DeliveryResult => ({
  success: kind === 'success',
  retryEligible: kind === 'retry',
  category: kind === 'success' ? 'success' : kind === 'retry' ? 'server_error' : 'client_error',
  statusCode,
  statusText: kind === 'success' ? 'OK' : 'Nope',
  responseTime: 12,
  errorDetails:
    kind === 'success'
      ? null
      : {
          code: `HTTP_${statusCode}`,
          message: `HTTP ${statusCode}`,
          category: kind === 'retry' ? 'server_error' : 'client_error',
          responseSnippet: 'x',
        },
  timestamp: at,
  correlationId: 'c',
});

const attemptResult = (
  kind: Kind,
  at: string,
  opts: { responseTime?: number; responseSnippet?: string | null },
): DeliveryResult => {
  const r = result(kind, at);
  return {
    ...r,
    ...(opts.responseTime === undefined ? {} : { responseTime: opts.responseTime }),
    ...(opts.responseSnippet === undefined || r.errorDetails === null
      ? {}
      : { errorDetails: { ...r.errorDetails, responseSnippet: opts.responseSnippet } }),
  };
};

export const attempt = (
  n: number,
  kind: Kind,
  opts: {
    messageId?: string;
    superseded?: boolean;
    atMs?: number;
    responseTime?: number;
    responseSnippet?: string | null;
  } = {},
): AttemptItem => {
  const at = iso(opts.atMs ?? n * 60_000);
  return {
    type: 'ATTEMPT',
    messageId: opts.messageId ?? 'm-1',
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
    response:
      kind === 'success' || kind === 'final' || kind === 'retry' ? { headers: { 'content-type': 'text/plain' } } : null,
    deliveryResult: attemptResult(kind, at, opts),
    status: kind === 'success' ? 'SUCCESS' : 'FAILED',
    nextAttemptAt: kind === 'retry' ? iso((opts.atMs ?? n * 60_000) + 30_000) : null,
    superseded: opts.superseded ?? false,
    truncated: {},
  };
};

/** The outcome of a bare attempt (`bareAttempt`); `nextAttemptAt` is `at` when it may be retried. */
export type BareOutcome = Pick<
  DeliveryResult,
  'success' | 'retryEligible' | 'category' | 'statusCode' | 'responseTime'
>;

/**
 * Attempt `n` of `messageId` at `at` with no response and no detail (what the projector and
 * its health counts read): ids `<messageId>-<n>`, a POST to `url`.
 */
export const bareAttempt = (
  messageId: string,
  n: number,
  at: string,
  outcome: BareOutcome,
  url = 'https://h.example/x',
): AttemptItem => ({
  type: 'ATTEMPT',
  messageId,
  attemptNumber: n,
  attemptId: `${messageId}-${n}`,
  leaseId: `${messageId}-${n}`,
  startedAt: at,
  completedAt: at,
  request: { method: 'POST', url, headers: {}, bodyBytes: 0, bodySha256: '0' },
  response: null,
  deliveryResult: { ...outcome, statusText: null, errorDetails: null, timestamp: at, correlationId: messageId },
  status: outcome.success ? 'SUCCESS' : 'FAILED',
  nextAttemptAt: outcome.retryEligible ? at : null,
  superseded: false,
  truncated: {},
});

export const redrive = (
  k: number,
  afterAttempt: number,
  maxAttempts: number,
  messageId = 'm-1',
  reason = `fixed endpoint ${k}`,
): RedriveItem => ({
  type: 'REDRIVE',
  messageId,
  redriveNumber: k,
  afterAttempt,
  maxAttempts,
  requestedBy: 'ops@example.com',
  reason,
  at: iso(afterAttempt * 60_000 + 1_000),
});

export interface History {
  readonly attempts: AttemptItem[];
  readonly redrives: RedriveItem[];
}

type Step = { readonly op: 'live' | 'superseded' | 'redrive'; readonly kind: Kind };

/**
 * A valid history built from random steps: a live attempt on a final message
 * becomes a superseded one, a redrive is only taken on a final FAILED message.
 */
export const historyFrom = (steps: ReadonlyArray<Step>, maxAttempts: number): History => {
  const attempts: AttemptItem[] = [];
  const redrives: RedriveItem[] = [];
  let status: 'open' | 'success' | 'failed' = 'open';
  let limit = maxAttempts;
  for (const step of steps) {
    const n = attempts.length + 1;
    if (step.op === 'redrive') {
      if (status === 'failed') {
        limit = n - 1 + 1 + (step.kind === 'success' ? 1 : 2);
        redrives.push(redrive(redrives.length + 1, n - 1, limit));
        status = 'open';
      }
      continue;
    }
    if (step.op === 'superseded' || status !== 'open') {
      attempts.push(attempt(n, step.kind === 'success' ? 'final' : step.kind, { superseded: true }));
      continue;
    }
    // the live path decides exhaustion: a retryable failure at the limit is final
    const kind: Kind = step.kind === 'retry' && n >= limit ? 'final' : step.kind;
    attempts.push(attempt(n, kind));
    if (kind === 'success') status = 'success';
    if (kind === 'final') status = 'failed';
  }
  return { attempts, redrives };
};

export const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom('live', 'live', 'live', 'superseded', 'redrive') as fc.Arbitrary<Step['op']>,
  kind: fc.constantFrom('success', 'retry', 'retry', 'final') as fc.Arbitrary<Kind>,
});

export const historyArb: fc.Arbitrary<History & { maxAttempts: number }> = fc
  .tuple(fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 1, max: 6 }))
  .map(([steps, maxAttempts]) => ({ ...historyFrom(steps, maxAttempts), maxAttempts }));

/** Hold event k of `state`'s next place (its attempts and redrives), `atMs` after T0. */
export const hold = (state: StateItem, kind: HoldKind, atMs: number): HoldItem => ({
  type: 'HOLD',
  messageId: state.messageId,
  holdNumber: (state.holds ?? 0) + 1,
  kind,
  afterAttempt: state.attempts,
  afterRedrive: state.redrives,
  mode: kind === 'expired' ? 'retention' : 'open',
  reason: kind === 'held' ? 'breaker open: 5 consecutive retryable failures' : 'probe succeeded',
  by: 'breaker',
  at: iso(atMs),
});

/** `events` applied by the one transition; a refusal fails the test with its error. */
export const applyEvents = (state: StateItem, ...events: StateEvent[]): StateItem =>
  events.reduce((s, e) => {
    const r = transition(s, e);
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    return r.right;
  }, state);
