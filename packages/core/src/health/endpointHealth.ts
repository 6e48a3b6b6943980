import type { OutcomeCategory } from '../codecs/enums.js';
import {
  addCounters,
  categoriesOf,
  counterOf,
  failureMinuteCounter,
  type HealthCounters,
  latencyCountsOf,
  type StatusClass,
  statusClassesOf,
} from './counters.js';
import { normalizeEndpoint } from '../request/endpointIdentity.js';
import type { HealthHour } from './healthBucket.js';
import { type EventMarker, hourOf, maxMarker, parseMarker } from './healthDelta.js';
import { percentileOf } from './latency.js';

// ---------------------------------------------------------------------------
// model: what `dh endpoints` shows, read off the buckets of a window
// ---------------------------------------------------------------------------

export type HealthEvent = { readonly at: string; readonly messageId: string };

export type LatencySummary = {
  /** Attempts with an HTTP response (the histogram's population). */
  readonly responses: number;
  /** Upper edges (ms) of the buckets holding the percentile; null: no response, or above the last edge. */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
};

export type HealthSummary = {
  readonly deliveries: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / deliveries; null without deliveries. */
  readonly successRate: number | null;
  readonly categories: Partial<Record<OutcomeCategory, number>>;
  readonly statusClasses: Partial<Record<StatusClass, number>>;
  /** Messages that became final in the window, by their final attempt. */
  readonly messages: number;
  readonly messageCategories: Partial<Record<OutcomeCategory, number>>;
  readonly messageStatusClasses: Partial<Record<StatusClass, number>>;
  readonly latency: LatencySummary;
  readonly lastSuccess: HealthEvent | null;
  readonly lastFailure: HealthEvent | null;
};

export type EndpointHealth = HealthSummary & {
  readonly endpoint: string;
  /**
   * Failed deliveries completed after the window's last success, at minute resolution (a
   * failure in the same minute as that success is not counted); every failure of the window
   * when it has no success.
   */
  readonly consecutiveFailures: number;
};

export type HourHealth = HealthSummary & { readonly hour: string };

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const sumCounters = (buckets: readonly HealthHour[]): HealthCounters =>
  buckets.reduce<HealthCounters>((acc, b) => addCounters(acc, b.counters), {});

const newest = (buckets: readonly HealthHour[], pick: (b: HealthHour) => EventMarker | null) =>
  buckets.reduce<EventMarker | null>((m, b) => maxMarker(m, pick(b)), null);

const eventOf = (m: EventMarker | null): HealthEvent | null => (m === null ? null : parseMarker(m));

const summaryOf = (buckets: readonly HealthHour[]): HealthSummary => {
  const c = sumCounters(buckets);
  const deliveries = counterOf(c, 'n');
  const successes = counterOf(c, 'c_success');
  const latency = latencyCountsOf(c);
  const p = (q: number) => percentileOf(latency, q)?.upperMs ?? null;
  return {
    deliveries,
    successes,
    failures: deliveries - successes,
    successRate: deliveries === 0 ? null : successes / deliveries,
    categories: categoriesOf(c),
    statusClasses: statusClassesOf(c),
    messages: counterOf(c, 'm'),
    messageCategories: categoriesOf(c, 'mc_'),
    messageStatusClasses: statusClassesOf(c, 'ms_'),
    latency: { responses: latency.reduce((a, b) => a + b, 0), p50: p(0.5), p90: p(0.9), p99: p(0.99) },
    lastSuccess: eventOf(newest(buckets, (b) => b.lastOk)),
    lastFailure: eventOf(newest(buckets, (b) => b.lastFail)),
  };
};

const failuresOf = (b: HealthHour): number => counterOf(b.counters, 'n') - counterOf(b.counters, 'c_success');

const failuresAfterMinute = (b: HealthHour, minute: number): number => {
  let n = 0;
  for (let m = minute + 1; m < 60; m++) n += counterOf(b.counters, failureMinuteCounter(m));
  return n;
};

/** See `EndpointHealth.consecutiveFailures`: read off the buckets' per-minute failure counts. */
export const consecutiveFailuresOf = (buckets: readonly HealthHour[]): number => {
  const last = newest(buckets, (b) => b.lastOk);
  if (last === null) return buckets.reduce((n, b) => n + failuresOf(b), 0);
  const { at } = parseMarker(last);
  const hour = hourOf(at);
  const minute = Number(at.slice(14, 16));
  return buckets.reduce(
    (n, b) => n + (b.hour > hour ? failuresOf(b) : b.hour === hour ? failuresAfterMinute(b, minute) : 0),
    0,
  );
};

const groupBy = (buckets: readonly HealthHour[], key: (b: HealthHour) => string): Map<string, HealthHour[]> => {
  const out = new Map<string, HealthHour[]>();
  for (const b of buckets) {
    const k = key(b);
    const g = out.get(k);
    if (g === undefined) out.set(k, [b]);
    else g.push(b);
  }
  return out;
};

/**
 * Worst first: lowest success rate, then most consecutive failures, then most deliveries;
 * the endpoint name breaks ties so the order is stable.
 */
export const worstFirst = (a: EndpointHealth, b: EndpointHealth): number =>
  (a.successRate ?? 1) - (b.successRate ?? 1) ||
  b.consecutiveFailures - a.consecutiveFailures ||
  b.deliveries - a.deliveries ||
  a.endpoint.localeCompare(b.endpoint);

/**
 * One row per endpoint over the buckets of a window (every shard and hour summed), worst
 * first. Buckets an older projector keyed by another form of the endpoint (`h.example.`) are
 * the same endpoint's (the bucket keeps its stored key, which `dh replay endpoints` zeroes).
 */
export const endpointHealthOf = (buckets: readonly HealthHour[]): EndpointHealth[] =>
  [...groupBy(buckets, (b) => normalizeEndpoint(b.endpoint))]
    .map(([endpoint, bs]) => ({ endpoint, ...summaryOf(bs), consecutiveFailures: consecutiveFailuresOf(bs) }))
    .sort(worstFirst);

/** An endpoint with nothing in the window (a paused one, say): every count zero, nothing seen. */
export const quietEndpointHealth = (endpoint: string): EndpointHealth => ({
  endpoint,
  ...summaryOf([]),
  consecutiveFailures: 0,
});

/** One endpoint's hourly series (its shards summed per hour), oldest first. */
export const hourlySeriesOf = (buckets: readonly HealthHour[]): HourHealth[] =>
  [...groupBy(buckets, (b) => b.hour)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hour, bs]) => ({ hour, ...summaryOf(bs) }));
