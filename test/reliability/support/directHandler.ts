import type { memoryLogger } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { createHandler, type HttpClient, noopMetrics, type SqsBatchHandler } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { createHttpClient } from '@delivery-history/worker/testing';
import { sqsEvent, sqsRecord } from '@delivery-history/testkit/sqsRecord';
import { localWorkerConfig } from './localWorkerConfig.js';
import { SIGNING_SECRET } from './rig.js';

// The worker's SQS handler with the real store and HTTP client (signed, 127.0.0.1 allowed),
// invoked directly with SQS events: for tests that feed records themselves, no queue.

export type DirectHandler = {
  readonly handler: SqsBatchHandler;
  readonly http: HttpClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Invokes the handler with one SQS record per body; returns the failed record ids. */
  invoke(bodies: ReadonlyArray<string>, idPrefix: string): Promise<{ ids: string[]; failed: Set<string> }>;
};

export const directHandler = (
  store: Store,
  logger: ReturnType<typeof memoryLogger>,
  timeouts: { connectMs: number; responseMs: number; totalMs: number } = {
    connectMs: 1_000,
    responseMs: 2_000,
    totalMs: 3_000,
  },
): DirectHandler => {
  // the reliability worker's allow list and signing key (maxAttempts and lease are the store's here)
  const { allowTargets, signingKeys } = localWorkerConfig(SIGNING_SECRET, 1, 30_000);
  const http = createHttpClient({
    allow: allowTargets,
    connectTimeoutMs: timeouts.connectMs,
    responseTimeoutMs: timeouts.responseMs,
    totalTimeoutMs: timeouts.totalMs,
    readCapBytes: 64 * 1024,
    snippetBytes: 4096,
    signingKeys,
    clock: systemClock,
  });
  const handler = createHandler({
    store,
    http,
    visibility: { changeVisibility: async () => undefined },
    clock: systemClock,
    logger,
    metrics: noopMetrics,
    leaseMs: 30_000,
  });
  return {
    handler,
    http,
    logger,
    invoke: async (bodies, idPrefix) => {
      const records = bodies.map((body, i) =>
        sqsRecord(body, { messageId: `${idPrefix}-${i}`, receiptHandle: `rh-${idPrefix}-${i}` }),
      );
      const response = await handler(sqsEvent(records));
      return {
        ids: records.map((r) => r.messageId),
        failed: new Set(response.batchItemFailures.map((f) => f.itemIdentifier)),
      };
    },
  };
};
