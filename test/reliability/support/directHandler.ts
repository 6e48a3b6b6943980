import type { memoryLogger } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { createHandler, type HttpClient, noopMetrics, type SqsBatchHandler } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { createHttpClient } from '@delivery-history/worker/testing';
import { parseSigningSecrets } from '@delivery-history/core';
import { parseAllowList } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
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

const must = <A>(e: E.Either<string, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
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
  const http = createHttpClient({
    allow: must(parseAllowList('127.0.0.1')),
    connectTimeoutMs: timeouts.connectMs,
    responseTimeoutMs: timeouts.responseMs,
    totalTimeoutMs: timeouts.totalMs,
    readCapBytes: 64 * 1024,
    snippetBytes: 4096,
    signingKeys: must(parseSigningSecrets(SIGNING_SECRET)),
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
      const records = bodies.map((body, i) => ({
        messageId: `${idPrefix}-${i}`,
        receiptHandle: `rh-${idPrefix}-${i}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:test',
        awsRegion: 'local',
      }));
      const response = await handler({ Records: records } as Parameters<SqsBatchHandler>[0]);
      return {
        ids: records.map((r) => r.messageId),
        failed: new Set(response.batchItemFailures.map((f) => f.itemIdentifier)),
      };
    },
  };
};
