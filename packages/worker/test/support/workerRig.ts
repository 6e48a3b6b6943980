// Shared set-up for the worker's cross-package tests (not a test file itself).
import { makeRetryPolicy, type RetryPolicy, type Sealer } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import type { StoreDeps } from '@delivery-history/store/testing';
import { memoryLogger } from '@delivery-history/core';
import {
  type OutboxPort,
  createHandler,
  type HttpClient,
  type RecordRef,
  type SqsBatchHandler,
  type VisibilityPort,
} from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import {
  type ProcessDeps,
  createHttpClient,
  type HttpClientOptions,
  memoryMetrics,
} from '@delivery-history/worker/testing';
import { parseAllowList } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import { tableSuite } from '@delivery-history/testkit/suiteWith';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { type Receivers, startReceivers } from '@delivery-history/devkit';

export const LOCALHOST_ONLY = E.getOrElseW((e: string) => {
  throw new Error(e);
})(parseAllowList('127.0.0.1'));

/**
 * Short timeouts so a file runs in seconds, yet long enough that a loaded 2-core machine
 * (DynamoDB Local's JVM, parallel test files) does not turn a local 200 into a timeout.
 */
export const testHttp = (over: Partial<HttpClientOptions> = {}): HttpClient =>
  createHttpClient({
    allow: LOCALHOST_ONLY,
    connectTimeoutMs: 2_000,
    responseTimeoutMs: 3_000,
    totalTimeoutMs: 3_000,
    readCapBytes: 64 * 1024,
    snippetBytes: 4096,
    signingKeys: null,
    clock: systemClock,
    ...over,
  });

export type WorkerCtx = { t: TestTable; rx: Receivers; store: Store };

/**
 * A suite whose context is a fresh table `label` (testkit's `tableSuite`), devkit's receivers and
 * `testStore` on the table (`over` its deps); closed after. A file's own set-up adds hooks after these.
 */
export const workerSuite = <C extends object = object>(name: string, label: string, over: Partial<StoreDeps> = {}) => {
  const s = tableSuite<Omit<WorkerCtx, 't'> & C>(name, label);
  s.before(async (ctx) => {
    ctx.rx = await startReceivers();
    ctx.store = testStore(ctx.t, over);
  });
  s.after(async (ctx) => {
    await ctx.rx.close();
  });
  return s;
};

/**
 * A store on the test table with the policies the worker tests run with (the store owns them:
 * it classifies every outcome): backoff 1 s .. 4 s, jitter 0.5; `retryPolicy` overrides.
 */
export const testStore = (t: TestTable, over: Partial<StoreDeps> = {}): Store =>
  createStore({
    doc: t.doc,
    tableName: t.tableName,
    leaseMs: 5_000,
    retryPolicy: makeRetryPolicy({ baseMs: 1_000, maxMs: 4_000 }),
    random: () => 0.5,
    ...over,
  });

/** An outbox that keeps what the handler sent back through SQS (or refuses, as a down SQS). */
export const recordingOutbox = (failing = false) => {
  const sent: Array<{ readonly body: string; readonly delayMs: number }> = [];
  const outbox: OutboxPort = {
    sendMessage: (_record, body, delayMs) => {
      if (failing) return Promise.reject(new Error('SQS unreachable (test)'));
      sent.push({ body, delayMs });
      return Promise.resolve();
    },
  };
  return { outbox, sent };
};

export type VisibilityCall = { readonly messageId: string; readonly receiptHandle: string; readonly delayMs: number };

/** A VisibilityPort that records calls; `mode` makes it fail like a broken SQS. */
export const recordingVisibility = (
  mode: 'ok' | 'reject' | 'hang' = 'ok',
): VisibilityPort & { calls: VisibilityCall[] } => {
  const calls: VisibilityCall[] = [];
  return {
    calls,
    changeVisibility: (record: RecordRef, delayMs: number) => {
      calls.push({ messageId: record.messageId, receiptHandle: record.receiptHandle, delayMs });
      if (mode === 'reject') return Promise.reject(new Error('AWS.SimpleQueueService.NonExistentQueue'));
      if (mode === 'hang') return new Promise<void>(() => {});
      return Promise.resolve();
    },
  };
};

// the SQS records every worker test feeds the handler
export { sqsEvent, sqsRecord, uniqueId } from '@delivery-history/testkit/sqsRecord';

export type Harness = {
  readonly handler: SqsBatchHandler;
  readonly store: Store;
  readonly http: HttpClient;
  readonly visibility: ReturnType<typeof recordingVisibility>;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly metrics: ReturnType<typeof memoryMetrics>;
  readonly policy: RetryPolicy;
};

export const harness = (
  store: Store,
  over: {
    http?: HttpClient;
    visibility?: ReturnType<typeof recordingVisibility>;
    leaseMs?: number;
    sqsTimeoutMs?: number;
    outbox?: OutboxPort;
    gate?: ProcessDeps['gate'];
    sealer?: Sealer;
    receiverControl?: boolean;
    handoffMaxBytes?: number;
    keepSuccessSnippet?: boolean;
  } = {},
): Harness => {
  const http = over.http ?? testHttp();
  const visibility = over.visibility ?? recordingVisibility();
  const logger = memoryLogger();
  const metrics = memoryMetrics();
  const handler = createHandler({
    store,
    http,
    visibility,
    clock: systemClock,
    logger,
    metrics,
    leaseMs: over.leaseMs ?? 5_000,
    ...(over.sqsTimeoutMs !== undefined ? { sqsTimeoutMs: over.sqsTimeoutMs } : {}),
    ...(over.outbox !== undefined ? { outbox: over.outbox } : {}),
    ...(over.gate !== undefined ? { gate: over.gate } : {}),
    ...(over.sealer !== undefined ? { sealer: over.sealer } : {}),
    ...(over.receiverControl !== undefined ? { receiverControl: over.receiverControl } : {}),
    ...(over.handoffMaxBytes !== undefined ? { handoffMaxBytes: over.handoffMaxBytes } : {}),
    ...(over.keepSuccessSnippet !== undefined ? { keepSuccessSnippet: over.keepSuccessSnippet } : {}),
  });
  return { handler, store, http, visibility, logger, metrics, policy: store.policies.retry };
};

/** Unwraps a TaskEither result in a test (a Left is a test failure with its message). */
export { must as run } from '@delivery-history/testkit/must';
