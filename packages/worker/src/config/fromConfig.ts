import { type Clock, breaker } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { createHttpClient, type HttpClient } from '../http/httpClient.js';
import type { Resolver } from '../ssrf/guardedConnector.js';
import type { WorkerConfig } from './readConfig.js';
import { createBreakerCache } from '../breaker/breakerCache.js';
import { createEndpointGate, type EndpointGate } from '../breaker/endpointGate.js';

// ---------------------------------------------------------------------------
// Config -> the policy and clients it implies (one place, used by Lambda and local runs).
// ---------------------------------------------------------------------------

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
        settings: breaker.DEFAULT_SETTINGS,
        store,
        clock,
      })
    : undefined;
