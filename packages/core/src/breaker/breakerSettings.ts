// ---------------------------------------------------------------------------
// model: the breaker's knobs, with the defaults the README documents
// ---------------------------------------------------------------------------

export interface BreakerSettings {
  /** Failure-rate window (ms); kept as `WINDOW_BUCKETS` buckets, so it slides in steps. */
  readonly windowMs: number;
  /** The rate rule needs at least this many counted deliveries in the window. */
  readonly minRequests: number;
  /** Trip when failures / deliveries in the window >= this (0..1). */
  readonly failureRate: number;
  /** Trip on this many consecutive retryable failures, whatever the volume (low-traffic endpoints). */
  readonly tripStreak: number;
  /** First cool-off (open -> a probe may go). */
  readonly coolOffMs: number;
  /** Each trip that follows a short recovery multiplies the cool-off by this ... */
  readonly coolOffFactor: number;
  /** ... up to this. */
  readonly coolOffMaxMs: number;
  /** A close that lasts this long resets the cool-off growth (hysteresis against flapping). */
  readonly stableMs: number;
  /** How long one worker owns the half-open probe before another may take it. */
  readonly probeLeaseMs: number;
  /**
   * Disable after this many consecutive retryable failures: the ones that tripped it, then the
   * failed probes (a failure sent before the workers knew of the trip does not count); 0 = never.
   * With the defaults a dead endpoint is disabled after about a day of failed probes.
   */
  readonly disableStreak: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  windowMs: 5 * 60_000,
  minRequests: 20,
  failureRate: 0.5,
  tripStreak: 5,
  coolOffMs: 30_000,
  coolOffFactor: 2,
  coolOffMaxMs: 15 * 60_000,
  stableMs: 10 * 60_000,
  probeLeaseMs: 60_000,
  disableStreak: 100,
};

/** Operator warnings, in percent of `disableStreak` (each once per streak). */
export const WARNING_LEVELS = [50, 70, 90] as const;

/** The cool-off of the `trips`-th consecutive trip (1-based): grows while failures continue. */
export const coolOffOf = (trips: number, s: BreakerSettings): number =>
  Math.min(s.coolOffMaxMs, Math.round(s.coolOffMs * s.coolOffFactor ** Math.max(0, trips - 1)));
