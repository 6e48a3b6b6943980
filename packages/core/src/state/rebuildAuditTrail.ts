import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem, AuditEntry, RedriveItem, ResolutionItem } from '../codecs/items.js';
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

const holdEntry = (h: HoldItem): AuditEntry => ({
  n: h.afterAttempt,
  at: h.at,
  kind: 'hold',
  hold: h.holdNumber,
  event: h.kind,
  mode: h.mode,
  by: h.by,
  reason: h.reason,
});

const resolutionEntry = (r: ResolutionItem): AuditEntry => ({
  n: r.attemptNumber,
  at: r.completedAt,
  kind: 'resolution',
  statusCode: r.deliveryResult.statusCode,
  category: r.deliveryResult.category,
  responseTime: r.deliveryResult.responseTime,
});

/**
 * The audit trail of a message, in replay order (same order as `fold`: hold events after the
 * attempt and re-drive they followed); a lost attempt's resolution (its real outcome, arrived
 * later) right after that attempt.
 */
export const rebuildAuditTrail = (
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
  resolutions: ReadonlyArray<ResolutionItem> = [],
): AuditEntry[] => {
  const byNumber = new Map(resolutions.map((r) => [r.attemptNumber, r]));
  return orderEvents(attempts, redrives, holds).flatMap((e) => {
    if (e.type === 'REDRIVE') return [redriveEntry(e)];
    if (e.type === 'HOLD') return [holdEntry(e)];
    const resolved = byNumber.get(e.attemptNumber);
    return resolved === undefined ? [attemptEntry(e)] : [attemptEntry(e), resolutionEntry(resolved)];
  });
};
