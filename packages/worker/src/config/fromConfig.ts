import { makeRetryPolicy, type RetryPolicy } from '@delivery-history/core';
import type { Clock } from '../clock.js';
import { createHttpClient, type HttpClient } from '../http/httpClient.js';
import type { Resolver } from '../ssrf/guardedConnector.js';
import type { WorkerConfig } from './readConfig.js';

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
