import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem, AuditEntry, RedriveItem, RequeueItem, ResolutionItem } from '../codecs/items.js';
import { compareKeys, type EventKey, keyOf, orderEvents } from './fold.js';

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

export type PlacedRequeue = RequeueItem & {
  readonly requeueNumber: number;
  readonly afterAttempt: number;
  readonly afterRedrive: number;
  readonly afterHold: number;
};

/** Requeues with their place recorded (older ones predate the trail's requeue entries). */
export const isPlacedRequeue = (r: RequeueItem): r is PlacedRequeue =>
  r.requeueNumber !== undefined &&
  r.afterAttempt !== undefined &&
  r.afterRedrive !== undefined &&
  r.afterHold !== undefined;

/** The key of the last event written before the requeue: it sorts right after that one. */
const requeueKey = (r: PlacedRequeue): EventKey => [r.afterAttempt, 1, r.afterRedrive, 1, r.afterHold];

const requeueEntry = (r: PlacedRequeue): AuditEntry => ({
  n: r.afterAttempt,
  at: r.at,
  kind: 'requeue',
  requeue: r.requeueNumber,
  by: r.requestedBy,
  reason: r.reason,
  status: r.status,
  waitingSince: r.waitingSince,
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
 * attempt and re-drive they followed; a requeue after the attempt, re-drive and hold it
 * followed); a lost attempt's resolution (its real outcome, arrived later) right after that
 * attempt.
 */
export const rebuildAuditTrail = (
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
  requeues: ReadonlyArray<RequeueItem> = [],
  resolutions: ReadonlyArray<ResolutionItem> = [],
): AuditEntry[] => {
  const byNumber = new Map(resolutions.map((r) => [r.attemptNumber, r]));
  const pending = requeues.filter(isPlacedRequeue).sort((a, b) => a.requeueNumber - b.requeueNumber);
  const out: AuditEntry[] = [];
  let next = 0;
  for (const e of orderEvents(attempts, redrives, holds)) {
    // requeues written before this event (their key sorts below it) come first
    for (; next < pending.length && compareKeys(requeueKey(pending[next] as PlacedRequeue), keyOf(e)) < 0; next++)
      out.push(requeueEntry(pending[next] as PlacedRequeue));
    if (e.type === 'REDRIVE') out.push(redriveEntry(e));
    else if (e.type === 'HOLD') out.push(holdEntry(e));
    else {
      out.push(attemptEntry(e));
      const resolved = byNumber.get(e.attemptNumber);
      if (resolved !== undefined) out.push(resolutionEntry(resolved));
    }
  }
  for (; next < pending.length; next++) out.push(requeueEntry(pending[next] as PlacedRequeue));
  return out;
};
