import type { AuditEntry, DeliveryResult, StateItem } from '@delivery-history/core';
import { isRedriveEntry, isResolutionEntry } from '@delivery-history/core';
import { formatLatency } from './time.js';

// Short phrases shared by the human views.

/** `503 Service Unavailable`, `ECONNREFUSED`, `-`. */
export const outcomeCode = (r: DeliveryResult | null): string => {
  if (r === null) return '-';
  if (r.statusCode !== null) return `${r.statusCode}${r.statusText ? ` ${r.statusText}` : ''}`;
  return r.errorDetails?.code ?? '-';
};

/** `FAILED (final)`, `FAILED (retry at ...)`, `PROCESSING (leased)`. */
export const statusPhrase = (
  s: Pick<StateItem, 'status' | 'retryEligible' | 'nextAttemptAt'> & { lease?: unknown },
): string => {
  switch (s.status) {
    case 'FAILED':
      return s.retryEligible ? 'FAILED (will retry)' : 'FAILED (final)';
    case 'PROCESSING':
      return 'PROCESSING (delivery in flight)';
    default:
      return s.status;
  }
};

/** One line for a result: `server_error 503 Service Unavailable in 120 ms: <message>`. */
export const resultLine = (r: DeliveryResult | null): string => {
  if (r === null) return '-';
  const base = `${r.category} ${outcomeCode(r)} in ${formatLatency(r.responseTime)}`;
  return r.errorDetails === null ? base : `${base}: ${oneLine(r.errorDetails.message)}`;
};

export const oneLine = (s: string, max = 120): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** A trail entry in words (redrives and attempts). */
export const auditEntryPhrase = (e: AuditEntry): string =>
  isRedriveEntry(e)
    ? `re-driven by ${e.by}: ${oneLine(e.reason, 80)}`
    : isResolutionEntry(e)
      ? `lost attempt ${e.n} resolved: ${e.category}${e.statusCode === null ? '' : ` ${e.statusCode}`} (not counted)`
      : `${e.status} ${e.category}${e.statusCode === null ? '' : ` ${e.statusCode}`} (${e.retry})`;
