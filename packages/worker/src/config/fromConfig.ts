import { DEFAULT_BREAKER_SETTINGS, makeRetryPolicy, type RetryPolicy } from '@delivery-history/core';
import { type Clock, type Logger, redactingLogger } from '@delivery-history/core';
import { createStore, type DocumentClient, type Store } from '@delivery-history/store';
import { createHttpClient, type HttpClient } from '../http/httpClient.js';
import type { Resolver } from '../ssrf/guardedConnector.js';
import type { WorkerConfig } from './readConfig.js';
import { createBreakerCache } from '../breaker/breakerCache.js';
import { createEndpointGate, type EndpointGate } from '../breaker/endpointGate.js';

// ---------------------------------------------------------------------------
// Config -> the policy and clients it implies (one place, used by Lambda and local runs).
// ---------------------------------------------------------------------------

export const retryPolicyOf = (config: WorkerConfig): RetryPolicy =>
  makeRetryPolicy({ maxAttempts: config.maxAttempts, baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs });

export const httpClientOf = (config: WorkerConfig, clock: Clock, resolve?: Resolver): HttpClient =>
  createHttpClient({
    allow: config.allowTargets,
    connectTimeoutMs: config.connectTimeoutMs,
    responseTimeoutMs: config.responseTimeoutMs,
    totalTimeoutMs: config.timeoutMs,
    readCapBytes: config.responseBodyCapBytes,
    snippetBytes: config.snippetBytes,
    signingKeys: config.signingKeys,
    clock,
    ...(resolve !== undefined ? { resolve } : {}),
  });

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
    ...(logger !== undefined ? { logger: redactingLogger(logger, config.secrets) } : {}),
  });

/** The store operations the endpoint breaker needs (a full Store has them). */
export type BreakerStore = Pick<Store, 'readBreaker' | 'writeBreaker' | 'appendHold' | 'createMessage'>;

/**
 * The endpoint gate when DELIVERY_BREAKER=on (core's default settings), else undefined. Its
 * cache lives as long as the container: the happy path reads no breaker item.
 */
export const endpointGateOf = (config: WorkerConfig, store: BreakerStore, clock: Clock): EndpointGate | undefined =>
  config.breaker
    ? createEndpointGate({
        cache: createBreakerCache(
          (endpoint) => store.readBreaker(endpoint)(),
          config.breakerStaleMs,
          () => clock().getTime(),
        ),
        settings: DEFAULT_BREAKER_SETTINGS,
        store,
        clock,
      })
    : undefined;
