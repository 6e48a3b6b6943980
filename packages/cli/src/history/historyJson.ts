import type {
  AttemptItem,
  AuditEntry,
  DeliveryResult,
  ExpungeItem,
  HoldItem,
  RedriveItem,
  RequeueItem,
  ResolutionItem,
  StateItem,
} from '@delivery-history/core';
import { expungeJson } from './expungeView.js';
import { requeueJson } from './requeueView.js';
import { holdJson } from './holdView.js';

// The `history --json` document (public contract, see README): `{ state, attempts,
// auditTrail, redrives, resolutions }`. Fields are listed one by one so that a change in an internal
// codec cannot silently change what scripts read.

/** The seed's result structure, fields in a fixed order (DynamoDB returns them in any order). */
export const resultJson = (r: DeliveryResult) => ({
  success: r.success,
  retryEligible: r.retryEligible,
  category: r.category,
  statusCode: r.statusCode,
  statusText: r.statusText,
  responseTime: r.responseTime,
  errorDetails:
    r.errorDetails === null
      ? null
      : {
          code: r.errorDetails.code,
          message: r.errorDetails.message,
          category: r.errorDetails.category,
          responseSnippet: r.errorDetails.responseSnippet,
        },
  timestamp: r.timestamp,
  correlationId: r.correlationId,
});

export const maybeResultJson = (r: DeliveryResult | null) => (r === null ? null : resultJson(r));

export const stateJson = (s: StateItem) => ({
  messageId: s.messageId,
  status: s.status,
  attempts: s.attempts,
  maxAttempts: s.maxAttempts,
  retryEligible: s.retryEligible,
  nextAttemptAt: s.nextAttemptAt,
  deliveryResult: maybeResultJson(s.deliveryResult),
  lastDeliveryAttempt: s.lastDeliveryAttempt,
  lastUpdatedAt: s.lastUpdatedAt,
  createdAt: s.createdAt,
  correlationId: s.correlationId,
  endpoint: s.endpoint,
  request: {
    method: s.request.method,
    url: s.request.url,
    headers: s.request.headers,
    bodyBytes: s.request.bodyBytes,
    bodySha256: s.request.bodySha256,
  },
  lease: s.lease,
  redrives: s.redrives,
  truncated: s.truncated,
  ...(s.expunged !== undefined ? { expunged: s.expunged } : {}),
});

/** `body`: the request body sent (`--attempt N --json`; null when not stored), absent when not asked for. */
export const attemptJson = (a: AttemptItem, body?: string | null) => ({
  attemptNumber: a.attemptNumber,
  status: a.status,
  deliveryResult: resultJson(a.deliveryResult),
  startedAt: a.startedAt,
  completedAt: a.completedAt,
  nextAttemptAt: a.nextAttemptAt,
  superseded: a.superseded,
  request: {
    method: a.request.method,
    url: a.request.url,
    headers: a.request.headers,
    bodyBytes: a.request.bodyBytes,
    // additive: every header as sent (the worker's own included), credentials [REDACTED]
    ...(a.request.sentHeaders === undefined ? {} : { sentHeaders: a.request.sentHeaders }),
    ...(body === undefined ? {} : { body }),
  },
  response: a.response,
  truncated: a.truncated,
  ...(a.expunged !== undefined ? { expunged: a.expunged } : {}),
});

export const redriveJson = (r: RedriveItem) => ({
  redriveNumber: r.redriveNumber,
  afterAttempt: r.afterAttempt,
  maxAttempts: r.maxAttempts,
  requestedBy: r.requestedBy,
  reason: r.reason,
  at: r.at,
});

/** A late result of a `lost` attempt (docs/model.md "Resolutions"): shown, never counted. */
const resolutionJson = (r: ResolutionItem) => ({
  attemptNumber: r.attemptNumber,
  attemptId: r.attemptId,
  leaseId: r.leaseId,
  deliveryResult: resultJson(r.deliveryResult),
  startedAt: r.startedAt,
  completedAt: r.completedAt,
  response: r.response,
  recordedAt: r.recordedAt,
  truncated: r.truncated,
});

export const historyJson = (v: {
  state: StateItem;
  attempts: ReadonlyArray<AttemptItem>;
  redrives: ReadonlyArray<RedriveItem>;
  auditTrail: ReadonlyArray<AuditEntry>;
  expunges?: ReadonlyArray<ExpungeItem>;
  resolutions?: ReadonlyArray<ResolutionItem>;
  requeues?: ReadonlyArray<RequeueItem>;
  holds?: ReadonlyArray<HoldItem>;
}) => ({
  state: stateJson(v.state),
  attempts: v.attempts.map((a) => attemptJson(a)),
  // additive: every entry says its `kind` and a unique `position` (1..; `n` repeats across kinds)
  auditTrail: v.auditTrail.map((e, i) => ({ ...e, kind: (e as { kind?: string }).kind ?? 'attempt', position: i + 1 })),
  redrives: v.redrives.map(redriveJson),
  // additive: the late results of lost attempts, by the attempt number they resolve
  resolutions: (v.resolutions ?? []).map(resolutionJson),
  // only on an expunged message, so the shape of every other history stays as it was
  ...(v.expunges !== undefined && v.expunges.length > 0 ? { expunges: v.expunges.map(expungeJson) } : {}),
  // only on a message that was requeued (a stalled one pushed again: who, why, when)
  ...(v.requeues !== undefined && v.requeues.length > 0 ? { requeues: v.requeues.map(requeueJson) } : {}),
  // only on a message that was held by its endpoint's breaker (held, released, expired: who, why, when)
  ...(v.holds !== undefined && v.holds.length > 0 ? { holds: v.holds.map(holdJson) } : {}),
});
