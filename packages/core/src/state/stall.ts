import type { StateItem } from '../codecs/items.js';
import { isFinal } from './transition.js';

// A message that is not final is waiting for a worker: to claim it (PENDING), to finish or
// abandon its lease (PROCESSING), or to retry it (FAILED, retry eligible). Each has a moment
// by which a worker should have come back; long past it, the SQS record that drives the
// message is gone (in the DLQ after repeated crashes, or deleted) and only a re-send helps.

export type Waiting = {
  /** What the message waits for. */
  readonly waitingFor: 'claim' | 'lease-expiry' | 'retry';
  /** When a worker should have acted (ISO 8601). */
  readonly since: string;
};

/** What a non-final message waits for and since when; null for a final or held message. */
export const waitingSince = (
  s: Pick<StateItem, 'status' | 'retryEligible' | 'lease' | 'nextAttemptAt' | 'lastUpdatedAt'>,
): Waiting | null => {
  // HELD waits for its endpoint (a release or its expiry, invariant 11), not for a worker
  if (isFinal(s) || s.status === 'HELD') return null;
  if (s.status === 'PROCESSING') return { waitingFor: 'lease-expiry', since: s.lease?.expiresAt ?? s.lastUpdatedAt };
  if (s.status === 'FAILED') return { waitingFor: 'retry', since: s.nextAttemptAt ?? s.lastUpdatedAt };
  return { waitingFor: 'claim', since: s.lastUpdatedAt };
};

export type Stall = Waiting & { readonly overdueMs: number };

/** The message has waited for a worker more than `afterMs` at `now`: its SQS record is likely gone. */
export const stalled = (
  s: Pick<StateItem, 'status' | 'retryEligible' | 'lease' | 'nextAttemptAt' | 'lastUpdatedAt'>,
  now: Date,
  afterMs: number,
): Stall | null => {
  const w = waitingSince(s);
  if (w === null) return null;
  const overdueMs = now.getTime() - Date.parse(w.since);
  return overdueMs > afterMs ? { ...w, overdueMs } : null;
};
