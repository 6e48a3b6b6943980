import { type Logger, makeRetryPolicy, type RetryPolicy, redaction } from '@delivery-history/core';
import { createStore, type DocumentClient, type Store } from '@delivery-history/store';
import type { WorkerConfig } from './readConfig.js';

// Config -> the store and its policies (the worker's Lambda, the drain function, local runs).
// Apart from the HTTP client (fromConfig.ts), so the drain's bundle carries no undici.

export const retryPolicyOf = (config: WorkerConfig): RetryPolicy =>
  makeRetryPolicy({ maxAttempts: config.maxAttempts, baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs });

/**
 * The store as the worker needs it: the table, the lease, the retry policy (its maxAttempts,
 * DELIVERY_MAX_ATTEMPTS, is the limit of requests that carry none: the store writes it on
 * STATE; exhaustion reads it there) and the secret policy.
 */
export const workerStoreOf = (doc: DocumentClient, config: WorkerConfig, logger?: Logger): Store =>
  createStore({
    doc,
    tableName: config.tableName,
    leaseMs: config.leaseMs,
    // the store classifies outcomes and redacts requests by these (read once, here)
    retryPolicy: retryPolicyOf(config),
    secrets: config.secrets,
    retentionDays: config.retentionDays,
    ...(logger !== undefined ? { logger: redaction.redactingLogger(logger, config.secrets) } : {}),
  });
