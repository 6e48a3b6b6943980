import { type StateItem, stalled } from '@delivery-history/core';
import { formatDuration } from './time.js';

// A PROCESSING message whose lease has ended: the worker that claimed it did not finish, and
// nothing in the table says it is still being delivered. Every view says so the same way (core's
// `stalled` is the rule for "waiting past its moment"; here with no grace at all).

type Leased = Pick<StateItem, 'status' | 'retryEligible' | 'lease' | 'nextAttemptAt' | 'lastUpdatedAt'>;

/** How long ago the lease of a PROCESSING message ended; null when it has none or it still runs. */
export const leaseExpiredMs = (s: Leased, now: Date): number | null => {
  if (s.status !== 'PROCESSING' || s.lease === null) return null;
  const st = stalled(s, now, 0);
  return st === null || st.waitingFor !== 'lease-expiry' ? null : st.overdueMs;
};

/** `lease expired 13s ago: no worker is coming back; ...`, the words every view uses. */
export const leaseExpiredText = (ms: number): string =>
  `lease expired ${formatDuration(ms)} ago: no worker is coming back; dh replay redrive --stalled --stalled-after 0s`;
