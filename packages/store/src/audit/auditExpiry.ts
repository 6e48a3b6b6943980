import { type AuditEntry, isRedriveEntry, isResolutionEntry, retentionExpiry } from '@delivery-history/core';

// Retention for audit segments, which the projector writes after the final attempt: a
// segment written by a step whose last live entry is final inherits the message's TTL,
// computed by core's rule from that entry (its `at` is the attempt's completedAt, the
// STATE's lastDeliveryAttempt). A step of superseded entries only decides nothing.

/** The TTL the segments written with `entries` carry, or null (not final, retention off, unknown). */
export const auditExpiry = (entries: readonly AuditEntry[], retentionDays: number | null): number | null => {
  // resolutions never move the status (a late result of a lost attempt): they decide nothing either
  const live = entries.filter((e) => !isResolutionEntry(e));
  const last = [...live]
    .reverse()
    .find((e) => isRedriveEntry(e) || (!isResolutionEntry(e) && e.retry !== 'superseded'));
  if (last === undefined || isRedriveEntry(last) || isResolutionEntry(last)) return null;
  return retentionExpiry(
    { status: last.status, retryEligible: last.retry === 'retry', lastDeliveryAttempt: last.at },
    retentionDays,
  );
};
