import * as O from 'fp-ts/lib/Option.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export interface RetryPolicy {
  /** Attempts allowed when a request does not say (`DeliveryRequest.maxAttempts`). */
  readonly maxAttempts: number;
  /** Backoff base: the cap before attempt 2 is `baseMs`, then doubles. */
  readonly baseMs: number;
  /** Upper bound of any backoff delay. */
  readonly maxMs: number;
  /** Upper bound of a delay asked for by a `Retry-After` header. */
  readonly retryAfterMaxMs: number;
}

/**
 * 8 attempts, exponential backoff with full jitter: caps 30 s, 1, 2, 4, 8, 15, 15 min
 * before attempts 2..8 (about 45 min worst case, 23 min expected); no delay is over
 * 15 min (SQS's longest DelaySeconds). Retry-After honoured up to 15 min.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseMs: 30_000,
  maxMs: 900_000,
  retryAfterMaxMs: 900_000,
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/** The default policy with overrides; non-finite/negative numbers fall back to the default. */
export const makeRetryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => {
  const pick = (v: number | undefined, d: number, min: number): number =>
    v !== undefined && Number.isFinite(v) && v >= min ? Math.floor(v) : d;
  return {
    maxAttempts: pick(overrides.maxAttempts, defaultRetryPolicy.maxAttempts, 1),
    baseMs: pick(overrides.baseMs, defaultRetryPolicy.baseMs, 0),
    maxMs: pick(overrides.maxMs, defaultRetryPolicy.maxMs, 0),
    retryAfterMaxMs: pick(overrides.retryAfterMaxMs, defaultRetryPolicy.retryAfterMaxMs, 0),
  };
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MON} (\\d{4}) ${TIME} GMT$`);
// obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MON}-(\\d{2}) ${TIME} GMT$`);
// obsolete asctime: Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${DAY} ${MON} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

const utc = (year: number, month: string, day: string, h: string, m: string, s: string): number | undefined => {
  const mi = MONTHS.indexOf(month);
  const [dd, hh, mm, ss] = [Number(day), Number(h), Number(m), Number(s)];
  if (mi < 0 || dd < 1 || dd > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  return Date.UTC(year, mi, dd, hh, mm, ss);
};

/** Parses the three HTTP-date forms of RFC 9110 §5.6.7 to epoch ms (UTC); undefined if not one. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the three HTTP-date forms of RFC 9110, each a regex and its fields
export const parseHttpDate = (value: string): number | undefined => {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[4]), m[3] ?? '', m[2] ?? '', m[5] ?? '', m[6] ?? '', m[7] ?? '');
  m = RFC_850.exec(v);
  if (m) {
    // two-digit year: RFC 9110 says interpret a year more than 50 years ahead as the past century
    const yy = Number(m[4]);
    return utc(yy < 70 ? 2000 + yy : 1900 + yy, m[3] ?? '', m[2] ?? '', m[5] ?? '', m[6] ?? '', m[7] ?? '');
  }
  m = ASCTIME.exec(v);
  if (m) return utc(Number(m[7]), m[2] ?? '', (m[3] ?? '').trim(), m[4] ?? '', m[5] ?? '', m[6] ?? '');
  return undefined;
};

/**
 * `Retry-After` as a delay in ms from `now`: delta-seconds or an HTTP-date (a date
 * in the past gives 0). Garbage gives none. The delay is clamped to `maxMs`.
 */
export const parseRetryAfter = (
  value: string | null | undefined,
  now: Date,
  maxMs: number = Number.POSITIVE_INFINITY,
): O.Option<number> => {
  if (value === null || value === undefined) return O.none;
  const v = value.trim();
  let delay: number | undefined;
  if (/^\d+$/.test(v)) delay = Number(v) * 1000;
  else {
    const at = parseHttpDate(v);
    if (at !== undefined) delay = Math.max(0, at - now.getTime());
  }
  if (delay === undefined || !Number.isFinite(delay)) return O.none;
  return O.some(Math.min(delay, Math.max(0, maxMs)));
};

/** The backoff cap after attempt `attemptNumber` (1-based): min(maxMs, baseMs * 2^(n-1)). */
export const backoffCapMs = (attemptNumber: number, policy: RetryPolicy): number => {
  const exp = Math.max(0, Math.floor(attemptNumber) - 1);
  // 2^exp overflows to Infinity for huge exp; min() keeps the cap finite
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exp, 1024));
};

/**
 * The delay a `Retry-After` of `askedMs` gives: never under the policy's first backoff
 * (`backoffCapMs(1)`). A receiver answering `Retry-After: 0` (or a past date) on every
 * attempt would otherwise be retried at once, the whole budget spent in a burst.
 */
export const retryAfterDelayMs = (askedMs: number, policy: RetryPolicy): number =>
  Math.max(askedMs, backoffCapMs(1, policy));

/** Full jitter: an integer delay uniformly drawn from [0, backoffCapMs(n)]. `random()` is in [0, 1). */
export const nextDelayMs = (attemptNumber: number, policy: RetryPolicy, random: () => number): number => {
  const cap = backoffCapMs(attemptNumber, policy);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(cap, Math.floor(r * (cap + 1)));
};

/** `now + delayMs` as an ISO-8601 UTC timestamp. */
export const nextAttemptAt = (now: Date, delayMs: number): string => new Date(now.getTime() + delayMs).toISOString();
