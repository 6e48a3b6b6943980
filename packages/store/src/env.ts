import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Clock,
  defaultRetryPolicy,
  defaultSecretPolicy,
  type Logger,
  type RetryPolicy,
  type SecretPolicy,
  type Sleep,
  silentLogger,
  sleep,
  systemClock,
  size,
} from '@delivery-history/core';

// ---------------------------------------------------------------------------
// model: what createStore takes, and the resolved environment operations use
// ---------------------------------------------------------------------------

/** The Document client the store sends through (other packages name it by this type, never the SDK's). */
export type DocumentClient = DynamoDBDocumentClient;

export type RetryOptions = {
  /** Retries after the first try for Throttled/Transient errors. */
  readonly maxRetries?: number;
  /** Cap of the first backoff; doubles per retry. */
  readonly baseMs?: number;
  /** Upper bound of any backoff. */
  readonly maxMs?: number;
};

export type Budgets = {
  /** Whole attempt / STATE item budget, well below DynamoDB's 400 KB. */
  readonly itemBytes: number;
  /** deliveryResult budget: the same result lands on the attempt AND on STATE. */
  readonly resultBytes: number;
  /** STATE keeps the request body only up to this many bytes (null above). */
  readonly bodyBytes: number;
};

export type StoreDeps = {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock?: Clock;
  /** In [0, 1); jitter only. */
  readonly random?: () => number;
  /** Lease and attempt ids. */
  readonly newId?: () => string;
  readonly sleep?: Sleep;
  readonly logger?: Logger;
  readonly retry?: RetryOptions;
  readonly leaseMs?: number;
  /**
   * The delivery retry policy (DELIVERY_MAX_ATTEMPTS, DELIVERY_BACKOFF_*; core's
   * `readStorePolicies`): the store decides every outcome with it, and its `maxAttempts` is
   * the limit of requests that name none. Default: core's `defaultRetryPolicy`.
   */
  readonly retryPolicy?: RetryPolicy;
  /** The secret policy (DELIVERY_REDACT_*): a request is redacted with it once, at create. Default: built-in. */
  readonly secrets?: SecretPolicy;
  readonly budgets?: Partial<Budgets>;
  /** DELIVERY_RETENTION_DAYS: a final message's items get a TTL this many days on; null/absent = kept. */
  readonly retentionDays?: number | null;
};

export type Env = {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly random: () => number;
  readonly newId: () => string;
  readonly sleep: Sleep;
  readonly logger: Logger;
  readonly retry: Required<RetryOptions>;
  readonly leaseMs: number;
  readonly retryPolicy: RetryPolicy;
  readonly secrets: SecretPolicy;
  readonly budgets: Budgets;
  readonly retentionDays: number | null;
};

export const DEFAULT_RETRY: Required<RetryOptions> = { maxRetries: 4, baseMs: 50, maxMs: 2_000 };
export const DEFAULT_LEASE_MS = 120_000;
export const DEFAULT_BUDGETS: Budgets = {
  itemBytes: 350_000,
  resultBytes: 64 * 1024,
  bodyBytes: size.BODY_BUDGET_BYTES,
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const makeEnv = (deps: StoreDeps): Env => ({
  doc: deps.doc,
  tableName: deps.tableName,
  clock: deps.clock ?? systemClock,
  random: deps.random ?? Math.random,
  newId: deps.newId ?? randomUUID,
  sleep: deps.sleep ?? sleep,
  logger: deps.logger ?? silentLogger,
  retry: { ...DEFAULT_RETRY, ...deps.retry },
  leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
  retryPolicy: deps.retryPolicy ?? defaultRetryPolicy,
  secrets: deps.secrets ?? defaultSecretPolicy,
  budgets: { ...DEFAULT_BUDGETS, ...deps.budgets },
  retentionDays: deps.retentionDays ?? null,
});
