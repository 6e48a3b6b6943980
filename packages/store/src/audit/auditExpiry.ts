import { type AuditEntry, retentionExpiry, isEntry } from '@delivery-history/core';

// Retention for audit segments, which the projector writes after the final attempt: a
// segment written by a step whose last live entry is final inherits the message's TTL,
// computed by core's rule from that entry (its `at` is the attempt's completedAt, the
// STATE's lastDeliveryAttempt). A step of superseded entries only decides nothing.

/** The TTL the segments written with `entries` carry, or null (not final, retention off, unknown). */
export const auditExpiry = (entries: readonly AuditEntry[], retentionDays: number | null): number | null => {
  // resolutions never move the status (a late result of a lost attempt): they decide nothing either
  const live = entries.filter((e) => !isEntry(e, 'resolution'));
  // a re-drive or hold event last: not final from this step's view (an expired hold carries no
  // delivery time: the STATE's retention, synced by its writer, covers it)
  const last = [...live].reverse().find((e) => !isEntry(e, 'attempt') || e.retry !== 'superseded');
  if (last === undefined || !isEntry(last, 'attempt')) return null;
  return retentionExpiry(
    { status: last.status, retryEligible: last.retry === 'retry', lastDeliveryAttempt: last.at },
    retentionDays,
  );
};
