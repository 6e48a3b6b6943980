import { type DeliveryResult, type StateItem, display } from '@delivery-history/core';
import { leaseExpiredMs, leaseExpiredText } from './leaseExpiry.js';
import { resultTime } from './time.js';

// Short phrases shared by the human views.

/** `503 Service Unavailable`, `ECONNREFUSED`, `-`. */
export const outcomeCode = (r: DeliveryResult | null): string => {
  if (r === null) return '-';
  if (r.statusCode !== null) return `${r.statusCode}${r.statusText ? ` ${r.statusText}` : ''}`;
  return r.errorDetails?.code ?? '-';
};

/** `FAILED (final)`, `FAILED (will retry)`, `PROCESSING (delivery in flight)`, `PROCESSING, lease expired ...`. */
export const statusPhrase = (
  s: Pick<StateItem, 'status' | 'retryEligible' | 'nextAttemptAt' | 'lease' | 'lastUpdatedAt'>,
  now: Date,
): string => {
  switch (s.status) {
    case 'FAILED':
      return s.retryEligible ? 'FAILED (will retry)' : 'FAILED (final)';
    case 'PROCESSING': {
      const expired = leaseExpiredMs(s, now);
      return expired === null ? 'PROCESSING (delivery in flight)' : `PROCESSING, ${leaseExpiredText(expired)}`;
    }
    case 'HELD':
      return "HELD (its endpoint's breaker holds it: no attempt spent)";
    default:
      return s.status;
  }
};

/** One line for a result: `server_error 503 Service Unavailable in 120 ms: <message>`. */
export const resultLine = (r: DeliveryResult | null): string => {
  if (r === null) return '-';
  const base = `${r.category} ${outcomeCode(r)} in ${resultTime(r)}`;
  return r.errorDetails === null ? base : `${base}: ${oneLine(r.errorDetails.message)}`;
};

/**
 * Free text on one line of at most `max` columns as shown: whitespace runs become one space.
 * Still raw (the writers escape it), so a later cut cannot split an escape.
 */
export const oneLine = (s: string, max = 120): string => display.cut(s.replace(/\s+/g, ' ').trim(), max);
