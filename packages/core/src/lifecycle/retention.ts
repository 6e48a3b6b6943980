import type { StateItem } from '../codecs/items.js';
import { isFinal } from '../state/transition.js';

// ---------------------------------------------------------------------------
// Retention (DELIVERY_RETENTION_DAYS): the one rule for when a message's partition
// expires. The store writes the value as the table's TTL attribute; readers treat a
// partition whose STATE's TTL has passed as gone (DynamoDB deletes expired items up to
// days later, and item by item).
// ---------------------------------------------------------------------------

export const SECONDS_PER_DAY = 86_400;

/** Epoch seconds of a moment (what a DynamoDB TTL attribute holds). */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * The TTL (epoch seconds) of a message's items: set once it is final, `retentionDays` after
 * its last live attempt (`lastDeliveryAttempt`, which a superseded attempt recorded later
 * does not move, so every writer of the partition computes the same value); null while it
 * is not final, or with retention off.
 */
export const retentionExpiry = (
  state: Pick<StateItem, 'status' | 'retryEligible' | 'lastDeliveryAttempt'>,
  retentionDays: number | null,
): number | null => {
  if (retentionDays === null || !isFinal(state) || state.lastDeliveryAttempt === null) return null;
  return epochSeconds(new Date(state.lastDeliveryAttempt)) + retentionDays * SECONDS_PER_DAY;
};

/**
 * The TTL of an endpoint-health item (bucket shard, window index row) of `hour`
 * (`yyyy-mm-ddThh`): `retentionDays` after the hour ends, like the history it counts; null
 * with retention off. A function of the hour only, so every writer (the projector's adds and
 * markers, replay's overwrite) sets the same value in any order.
 */
export const healthExpiry = (hour: string, retentionDays: number | null): number | null =>
  retentionDays === null
    ? null
    : epochSeconds(new Date(`${hour}:00:00.000Z`)) + 3_600 + retentionDays * SECONDS_PER_DAY;

/** Past its TTL at `now` (an expired item is gone to every reader, deleted or not). */
export const isExpired = (expiresAt: unknown, now: Date): boolean =>
  typeof expiresAt === 'number' && expiresAt <= epochSeconds(now);
