import type { AttemptItem } from '../codecs/items.js';
import { endpointOf } from '../request/endpointIdentity.js';
import { addCounters, countersOfAttempt, type HealthCounters } from './counters.js';

// ---------------------------------------------------------------------------
// model: what a set of attempts adds to the endpoint-hour buckets
// ---------------------------------------------------------------------------

/**
 * A marker of the newest success or failure of a bucket: `<completedAt>#<messageId>`. ISO
 * timestamps of one format order as strings, so "newest" is a string max (idempotent and
 * commutative: safe under replays and out-of-order arrival).
 */
export type EventMarker = string;

export type HealthDelta = {
  /** `host[:port]` of the (redacted) target URL: the same rule as the endpoint index. */
  readonly endpoint: string;
  /** `yyyy-mm-ddThh` (UTC) of the attempts' completedAt. */
  readonly hour: string;
  readonly counters: HealthCounters;
  readonly lastOk: EventMarker | null;
  readonly lastFail: EventMarker | null;
};

/** The hour bucket (`yyyy-mm-ddThh`, UTC) of an ISO timestamp. */
export const hourOf = (iso: string): string => iso.slice(0, 13);

export const markerOf = (a: AttemptItem): EventMarker => `${a.completedAt}#${a.messageId}`;

/** The time and message id of a marker. */
export const parseMarker = (m: EventMarker): { readonly at: string; readonly messageId: string } => {
  const i = m.indexOf('#');
  return { at: m.slice(0, i), messageId: m.slice(i + 1) };
};

export const maxMarker = (a: EventMarker | null, b: EventMarker | null): EventMarker | null =>
  a === null ? b : b === null ? a : a >= b ? a : b;

const keyOf = (endpoint: string, hour: string): string => `${hour} ${endpoint}`;

/** Merges deltas of the same endpoint and hour (counts add, markers take the max). */
export const mergeDeltas = (deltas: readonly HealthDelta[]): HealthDelta[] => {
  const byKey = new Map<string, HealthDelta>();
  for (const d of deltas) {
    const k = keyOf(d.endpoint, d.hour);
    const prev = byKey.get(k);
    byKey.set(
      k,
      prev === undefined
        ? d
        : {
            ...prev,
            counters: addCounters(prev.counters, d.counters),
            lastOk: maxMarker(prev.lastOk, d.lastOk),
            lastFail: maxMarker(prev.lastFail, d.lastFail),
          },
    );
  }
  return [...byKey.values()].sort((a, b) => keyOf(a.endpoint, a.hour).localeCompare(keyOf(b.endpoint, b.hour)));
};

/** One attempt's delta. */
export const deltaOfAttempt = (a: AttemptItem): HealthDelta => ({
  endpoint: endpointOf(a.request.url),
  hour: hourOf(a.completedAt),
  counters: countersOfAttempt(a),
  lastOk: a.deliveryResult.success ? markerOf(a) : null,
  lastFail: a.deliveryResult.success ? null : markerOf(a),
});

/** What `attempts` add, one delta per endpoint and hour (coalesced). */
export const healthDeltaOf = (attempts: readonly AttemptItem[]): HealthDelta[] =>
  mergeDeltas(attempts.map(deltaOfAttempt));
