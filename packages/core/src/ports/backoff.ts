// The one backoff for retrying infrastructure calls (DynamoDB, Streams, SQS): capped
// exponential with full jitter, the same rule core's retry policy uses for deliveries.
import { makeRetryPolicy, nextDelayMs } from '../outcome/retryPolicy.js';

export type Backoff = {
  /** Cap of the first retry's delay; doubles per retry. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
};

/** Delay before retry `retry` (1-based), uniformly drawn from [0, min(maxMs, baseMs * 2^(retry-1))]. */
export const backoffDelayMs = (retry: number, backoff: Backoff, random: () => number): number =>
  nextDelayMs(retry, makeRetryPolicy({ baseMs: backoff.baseMs, maxMs: backoff.maxMs }), random);
