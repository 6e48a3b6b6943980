import type { AttemptItem } from '../codecs/items.js';
import type { DeliveryResult } from '../codecs/outcome.js';
import { classifyStatus, classifyTransportError } from '../outcome/outcomeTable.js';
import { endpointOf } from '../request/endpointIdentity.js';

// ---------------------------------------------------------------------------
// model: what one attempt tells the breaker about its endpoint
// ---------------------------------------------------------------------------

/**
 * `ok`: the endpoint delivered. `fail`: a failure the outcome table calls retryable (the
 * endpoint is down or overloaded). `neutral`: a permanent failure (one bad message: a 400
 * must not open the breaker for everyone), or `lost` (the worker died; nothing says the
 * endpoint did).
 */
export type Verdict = 'ok' | 'fail' | 'neutral';

export interface BreakerObservation {
  readonly endpoint: string;
  readonly messageId: string;
  readonly at: string;
  /** `completedAt#messageId#n`: orders observations and makes a replay a no-op. */
  readonly marker: string;
  readonly verdict: Verdict;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Retryable by the outcome table's own rule (not `retryEligible`, which is also false when the
 * message ran out of attempts: an exhausted 503 is still the endpoint failing).
 */
const retryableFailure = (r: DeliveryResult): boolean => {
  if (r.category === 'lost') return false;
  if (r.statusCode !== null) return classifyStatus(r.statusCode).retryable;
  return r.errorDetails !== null && classifyTransportError(r.errorDetails.code).retryable;
};

export const verdictOf = (r: DeliveryResult): Verdict => {
  if (r.success) return 'ok';
  return retryableFailure(r) ? 'fail' : 'neutral';
};

const pad = (n: number): string => String(n).padStart(6, '0');

/** The observation of a stored attempt (superseded attempts too: the request did go out). */
export const observationOf = (a: AttemptItem): BreakerObservation => ({
  endpoint: endpointOf(a.request.url),
  messageId: a.messageId,
  at: a.completedAt,
  marker: `${a.completedAt}#${a.messageId}#${pad(a.attemptNumber)}`,
  verdict: verdictOf(a.deliveryResult),
});
