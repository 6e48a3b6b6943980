import type { AttemptItem, AuditEntry, RedriveItem } from '../codecs/items.js';
import { orderEvents } from './fold.js';

const attemptEntry = (a: AttemptItem): AuditEntry => ({
  n: a.attemptNumber,
  at: a.completedAt,
  status: a.status,
  statusCode: a.deliveryResult.statusCode,
  category: a.deliveryResult.category,
  responseTime: a.deliveryResult.responseTime,
  retry: a.superseded ? 'superseded' : a.status === 'FAILED' && a.deliveryResult.retryEligible ? 'retry' : 'final',
  nextAttemptAt: a.nextAttemptAt,
});

const redriveEntry = (r: RedriveItem): AuditEntry => ({
  n: r.afterAttempt,
  at: r.at,
  kind: 'redrive',
  by: r.requestedBy,
  reason: r.reason,
});

/** The audit trail of a message, in replay order (same order as `fold`). */
export const rebuildAuditTrail = (
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
): AuditEntry[] =>
  orderEvents(attempts, redrives).map((e) => (e.type === 'ATTEMPT' ? attemptEntry(e) : redriveEntry(e)));
