import { METRICS_NAMESPACE } from '@delivery-history/core';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// ---------------------------------------------------------------------------
// A small metrics port; Powertools (CloudWatch EMF) behind it on Lambda, memory in tests.
// ---------------------------------------------------------------------------

export type MetricName =
  /** One per attempt, dimension `category`. */
  | 'Deliveries'
  | 'DeliveryResponseTime'
  /** The attempt number of each attempt (a distribution: how deep into retries we are). */
  | 'DeliveryAttemptNumber'
  /** Messages that ended FAILED for good (permanent or exhausted), dimension `category`. */
  | 'DeliveriesFailedFinal'
  /** Store errors, dimension `error` (the StoreError tag). */
  | 'DynamoDBErrors'
  | 'PoisonRecords'
  /** Records skipped because another delivery holds or finished the message, dimension `reason`. */
  | 'RecordsSkipped'
  | 'SqsVisibilityErrors'
  /** Observed outcomes sent back through SQS because DynamoDB could not take them. */
  | 'OutcomesSentThroughSqs'
  /** Observed outcomes that came back through SQS and were recorded. */
  | 'OutcomesRecoveredThroughSqs'
  /** Observed outcomes that could not be sent back either (the takeover records them as lost). */
  | 'OutcomesNotSent'
  /** Records held for their endpoint's breaker (issue 27), dimension `mode`; deleted from the queue. */
  | 'DeliveriesHeld'
  /** Half-open probes this worker took (one across workers per probe). */
  | 'BreakerProbes'
  /** Sealing or opening a request's credentials failed, dimension `error` (the SealError tag). */
  | 'SealErrors'
  /** An endpoint's configured credential could not be read: nothing sent (CREDENTIALS_UNAVAILABLE). */
  | 'CredentialErrors'
  /** A credential refresh failed and the cached value (younger than 2 x its TTL) was used. */
  | 'CredentialsStale'
  /** The drain function (issue 27): held messages re-enqueued, made final held_expired, or left for the next sweep. */
  | 'HeldReleased'
  | 'HeldExpired'
  | 'DrainFailures';

export type MetricUnitName = 'Count' | 'Milliseconds';

export type WorkerMetrics = {
  add(name: MetricName, unit: MetricUnitName, value: number, dimensions?: Readonly<Record<string, string>>): void;
  /** Called at the end of every invocation. */
  flush(): void;
};

export const NAMESPACE = METRICS_NAMESPACE;

export const powertoolsMetrics = (): WorkerMetrics => {
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'delivery-worker',
  });
  let buffered = 0;
  return {
    add: (name, unit, value, dimensions) => {
      const u = unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds;
      if (dimensions === undefined || Object.keys(dimensions).length === 0) {
        metrics.addMetric(name, u, value);
        buffered++;
        return;
      }
      // Per-record dimensions must not leak onto the batch's other metrics: emit on its own.
      const single = metrics.singleMetric();
      for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
      single.addMetric(name, u, value);
    },
    flush: () => {
      if (buffered === 0) return;
      buffered = 0;
      metrics.publishStoredMetrics();
    },
  };
};

export type MetricEntry = {
  readonly name: MetricName;
  readonly unit: MetricUnitName;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
};

export const memoryMetrics = (): WorkerMetrics & {
  readonly entries: MetricEntry[];
  readonly flushes: number;
  sum(name: MetricName, dimensions?: Readonly<Record<string, string>>): number;
} => {
  const entries: MetricEntry[] = [];
  let flushes = 0;
  return {
    entries,
    get flushes() {
      return flushes;
    },
    add: (name, unit, value, dimensions = {}) => {
      entries.push({ name, unit, value, dimensions });
    },
    flush: () => {
      flushes++;
    },
    sum: (name, dimensions = {}) =>
      entries
        .filter((e) => e.name === name && Object.entries(dimensions).every(([k, v]) => e.dimensions[k] === v))
        .reduce((n, e) => n + e.value, 0),
  };
};

export const noopMetrics: WorkerMetrics = { add: () => {}, flush: () => {} };
