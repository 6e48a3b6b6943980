import { counterOf, failureMinuteCounter } from './counters.js';
import type { HealthHour } from './healthBucket.js';

// The minute-level view of the recent hour: failed deliveries per minute, read off the hourly
// buckets' per-minute failure counters (`fm<minute>`, every shard), for the 60 minutes up to
// the end of a window. A minute before the first hour that was read is unknown (null), not 0.

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type MinuteFailures = {
  /** The first minute (ISO 8601); the counts follow minute by minute, oldest first. */
  readonly from: string;
  /** Failed deliveries in each of the 60 minutes; null where no bucket was read. */
  readonly failures: ReadonlyArray<number | null>;
};

/** `buckets` are one endpoint's (any shards), read for the hours from `readFrom`; `until` is exclusive. */
export const failuresByMinute = (buckets: readonly HealthHour[], readFrom: Date, until: Date): MinuteFailures => {
  const end = Math.ceil(until.getTime() / MINUTE_MS) * MINUTE_MS;
  const start = end - HOUR_MS;
  const firstRead = Math.floor(readFrom.getTime() / HOUR_MS) * HOUR_MS;
  const failures = Array.from({ length: 60 }, (_, i): number | null => {
    const at = start + i * MINUTE_MS;
    if (at < firstRead) return null;
    const iso = new Date(at).toISOString();
    const name = failureMinuteCounter(Number(iso.slice(14, 16)));
    return buckets.filter((b) => b.hour === iso.slice(0, 13)).reduce((n, b) => n + counterOf(b.counters, name), 0);
  });
  return { from: new Date(start).toISOString(), failures };
};
