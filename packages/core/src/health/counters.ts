import type { AttemptItem } from '../codecs/items.js';
import type { OutcomeCategory } from '../codecs/enums.js';
import { latencyBucketOf, LATENCY_BUCKETS } from './latency.js';

// ---------------------------------------------------------------------------
// model: the additive counters of one endpoint-hour bucket. Flat names, because DynamoDB's
// ADD works on top-level attributes only; a counter that stays 0 is never written.
// ---------------------------------------------------------------------------

/** Counter name -> count. Names: see `COUNTER_NAME`. */
export type HealthCounters = Readonly<Record<string, number>>;

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'none';

/**
 * `n` deliveries (attempts), `c_<category>` and `s_<class>` deliveries by outcome category and
 * status-code class; `m`, `mc_<category>`, `ms_<class>` messages that became final (by their
 * final attempt; a re-driven message that ends again counts again); `l<i>` responses by latency
 * bucket (attempts with an HTTP status); `fm<minute>` failed deliveries by minute of the hour
 * (what consecutive failures are read from).
 */
export const COUNTER_NAME =
  /^(n|m|c_[a-z_]+|mc_[a-z_]+|s_(2xx|3xx|4xx|5xx|none)|ms_(2xx|3xx|4xx|5xx|none)|l\d{2}|fm\d{2})$/;

export const isCounterName = (name: string): boolean => COUNTER_NAME.test(name);

const two = (n: number): string => String(n).padStart(2, '0');

export const latencyCounter = (bucket: number): string => `l${two(bucket)}`;
export const failureMinuteCounter = (minute: number): string => `fm${two(minute)}`;

export const statusClassOf = (statusCode: number | null): StatusClass => {
  if (statusCode === null) return 'none';
  if (statusCode >= 200 && statusCode < 300) return '2xx';
  if (statusCode >= 300 && statusCode < 400) return '3xx';
  if (statusCode >= 400 && statusCode < 500) return '4xx';
  return statusCode >= 500 ? '5xx' : 'none';
};

/**
 * The attempt that made its message final: a live (not superseded) success, or a live failure
 * that is not retried (permanent or exhausted: the outcome table's retryEligible).
 */
export const isFinalAttempt = (a: AttemptItem): boolean =>
  !a.superseded && (a.status === 'SUCCESS' || !a.deliveryResult.retryEligible);

/** The counters one attempt adds to its bucket. */
export const countersOfAttempt = (a: AttemptItem): Record<string, number> => {
  const r = a.deliveryResult;
  const cls = statusClassOf(r.statusCode);
  const out: Record<string, number> = { n: 1, [`c_${r.category}`]: 1, [`s_${cls}`]: 1 };
  if (r.statusCode !== null) out[latencyCounter(latencyBucketOf(r.responseTime))] = 1;
  if (!r.success) out[failureMinuteCounter(Number(a.completedAt.slice(14, 16)))] = 1;
  if (isFinalAttempt(a)) {
    out.m = 1;
    out[`mc_${r.category}`] = 1;
    out[`ms_${cls}`] = 1;
  }
  return out;
};

export const addCounters = (a: HealthCounters, b: HealthCounters): Record<string, number> => {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};

export const counterOf = (c: HealthCounters, name: string): number => c[name] ?? 0;

/** Deliveries by category (`c_*`), without the prefix; zero categories absent. */
export const categoriesOf = (
  c: HealthCounters,
  prefix: 'c_' | 'mc_' = 'c_',
): Partial<Record<OutcomeCategory, number>> =>
  Object.fromEntries(
    Object.entries(c)
      .filter(([k, v]) => k.startsWith(prefix) && v > 0)
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );

export const statusClassesOf = (c: HealthCounters, prefix: 's_' | 'ms_' = 's_'): Partial<Record<StatusClass, number>> =>
  Object.fromEntries(
    Object.entries(c)
      .filter(([k, v]) => k.startsWith(prefix) && v > 0)
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );

export const latencyCountsOf = (c: HealthCounters): number[] =>
  Array.from({ length: LATENCY_BUCKETS }, (_, i) => counterOf(c, latencyCounter(i)));
