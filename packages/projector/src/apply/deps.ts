import {
  type BreakerSettings,
  type Clock,
  type OperatorEventPublisher,
  type Sleep,
  sleep,
  systemClock,
} from '@delivery-history/core';
import { type DocumentClient, type RetryOptions as StoreRetryOptions, tableKeys } from '@delivery-history/store';
import {
  DEFAULT_SEGMENT_BUDGET,
  DEFAULT_STEP_LIMITS,
  type SegmentBudget,
  type StepLimits,
} from '@delivery-history/store';
import { silentTelemetry, type Telemetry } from '../telemetry.js';

/** The store's retry settings (its funnel does the retries): one shape, not a copy. */
export type RetryOptions = Required<StoreRetryOptions>;

/** Everything the apply path needs, passed in (no hidden globals). */
export type ProjectorDeps = {
  readonly doc: DocumentClient;
  readonly tableName: string;
  readonly budget: SegmentBudget;
  readonly clock: Clock;
  /** [0,1), for backoff jitter and the drift check's sample. */
  readonly random: () => number;
  readonly sleep: Sleep;
  readonly telemetry: Telemetry;
  readonly retry: RetryOptions;
  /** Re-reads after a lost conditional write before giving up with `Contention`. */
  readonly maxApplyTries: number;
  /** Messages applied in parallel within one batch. */
  readonly concurrency: number;
  /** Drift check (STATE vs fold) only for messages with at most this many attempts; 0 = off. */
  readonly driftCheckMaxAttempts: number;
  /**
   * Share of applies that run the drift check (STATE vs fold: one more Query), in [0, 1];
   * 0 = off. Detection is `dh verify`'s and replay's; this is a sampled early warning.
   */
  readonly driftCheckRate: number;
  readonly stepLimits: StepLimits;
  /** Retention (DELIVERY_RETENTION_DAYS): the store's audit writer gives a final message's segments its TTL. */
  readonly retentionDays?: number | null;
  /**
   * Operator events (`delivery.failed`/`lost`/`redriven`): published after the trail write,
   * best effort (a failure is logged and counted, never a batch item failure); null = off.
   */
  readonly events: OperatorEventPublisher | null;
  /** Endpoint health: shards of one endpoint's hour buckets (DELIVERY_HEALTH_SHARDS). */
  readonly healthShards: number;
  /**
   * Window-index items already written by this process (`<table> <hour> <shard> <endpoint>`):
   * the index is an idempotent Put, so once per bucket shard per process is enough.
   */
  readonly healthIndexWritten: Set<string>;
  /** The endpoint breaker's settings (DELIVERY_BREAKER=on: core's defaults); null = not decided. */
  readonly breaker: BreakerSettings | null;
};

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 4, baseMs: 50, maxMs: 2000 };
export const DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS = 100;
/**
 * Messages applied at once (`DELIVERY_PROJECTOR_CONCURRENCY`). Their reads and writes are
 * shared (applyIo.ts): 16 messages cost one BatchGetItem and one transaction, where 4 did.
 */
export const DEFAULT_CONCURRENCY = 16;
/** 1 % of applies (`DELIVERY_PROJECTOR_DRIFT_CHECK_PERCENT`, 0..100, decimals allowed). */
export const DEFAULT_DRIFT_CHECK_RATE = 0.01;

export const makeProjectorDeps = (
  required: Pick<ProjectorDeps, 'doc' | 'tableName'>,
  overrides: Partial<Omit<ProjectorDeps, 'doc' | 'tableName'>> = {},
): ProjectorDeps => ({
  budget: DEFAULT_SEGMENT_BUDGET,
  clock: systemClock,
  random: Math.random,
  sleep,
  telemetry: silentTelemetry,
  retry: DEFAULT_RETRY,
  maxApplyTries: 8,
  concurrency: DEFAULT_CONCURRENCY,
  driftCheckMaxAttempts: DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS,
  driftCheckRate: DEFAULT_DRIFT_CHECK_RATE,
  stepLimits: DEFAULT_STEP_LIMITS,
  events: null,
  healthShards: tableKeys.DEFAULT_HEALTH_SHARDS,
  healthIndexWritten: new Set(),
  breaker: null,
  ...overrides,
  ...required,
});
