import { type BreakerSettings, makeRetryPolicy } from '@delivery-history/core';
import { randomBytes } from 'node:crypto';
import type { DeliveryRequest } from '@delivery-history/core';
import { type Poller, startPoller } from '@delivery-history/devkit';
import { memoryCheckpoint } from '@delivery-history/devkit/testing';
import { createStore, type Store, type StreamClients } from '@delivery-history/store';
import { memoryLogger } from '@delivery-history/core';
import { createLocalWorker, type LocalDrain, type LocalWorker, startLocalDrain } from '@delivery-history/devkit';
import type { WorkerConfig, WorkerMetrics } from '@delivery-history/worker';
import { runDh } from '../../bench/support/dhCli.js';
import { localWorkerConfig } from './localWorkerConfig.js';
import { localStreamsPort } from '../../bench/support/localStreams.js';

// A whole delivery system on this machine for one test: the real store, the worker's local
// SQS driver and handler, the projector's poller, all on one table; HTTP only to 127.0.0.1.
// Requests are signed, so every request carries `webhook-id` = messageId and the receiver's
// books can be matched to the table's.

export type RigTable = StreamClients & {
  readonly tableName: string;
  readonly endpoint: string;
  readonly streamArn: string | undefined;
};

export type RigOptions = {
  readonly table: RigTable;
  readonly config?: Partial<WorkerConfig>;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  /** Store client retries (the store's own jittered retries). */
  readonly storeRetry?: { maxRetries?: number; baseMs?: number; maxMs?: number };
  readonly withPoller?: boolean;
  /** Poller retries of a failed batch before its records are skipped (default: the poller's). */
  readonly pollerRetryMs?: number;
  /**
   * The endpoint breaker (issue 27): the projector decides with these settings, the worker holds
   * for it, and the drain (the deployed function's handler) sweeps every `drainIntervalMs`.
   */
  readonly breaker?: { readonly settings: BreakerSettings; readonly drainIntervalMs: number };
  readonly metrics?: WorkerMetrics;
};

export type Rig = {
  readonly store: Store;
  readonly worker: LocalWorker;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly poller: Poller | null;
  readonly drain: LocalDrain | null;
  /** HTTP requests the worker sent and were not recorded (logged by the worker), by messageId. */
  unrecorded(messageId: string): number;
  /** Observed outcomes the worker recorded from SQS after a failed append (logged). */
  recovered(): number;
  /** The log entries and receiver requests of these messages in time order: evidence for a failed check. */
  trace(
    messageIds: ReadonlyArray<string>,
    requests?: ReadonlyArray<{ at: number; webhookId: string | null; path: string }>,
  ): string;
  close(): Promise<void>;
};

export const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

export const startRig = (o: RigOptions): Rig => {
  const logger = stampedLogger();
  const maxAttempts = o.config?.maxAttempts ?? 3;
  const store = createStore({
    doc: o.table.doc,
    tableName: o.table.tableName,
    logger,
    // as the Lambda wires it (workerStoreOf): the worker's policy, whose limit applies to
    // requests that carry none
    retryPolicy: makeRetryPolicy({
      maxAttempts,
      baseMs: o.config?.backoffBaseMs ?? 50,
      maxMs: o.config?.backoffMaxMs ?? 200,
    }),
    ...(o.storeRetry !== undefined ? { retry: o.storeRetry } : {}),
    ...(o.config?.leaseMs !== undefined ? { leaseMs: o.config.leaseMs } : {}),
  });
  const worker = createLocalWorker({
    store,
    env: {},
    logger,
    ...(o.breaker !== undefined ? { breakerStore: store } : {}),
    ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
    config: {
      ...(o.breaker !== undefined ? { breaker: true } : {}),
      ...localWorkerConfig(SIGNING_SECRET, maxAttempts, 30_000),
      ...o.config,
    },
    // longer than a record takes even on a loaded machine, as SQS asks (else a slow record is
    // received again while still in flight and burns its receive count)
    visibilityTimeoutMs: o.visibilityTimeoutMs ?? 10_000,
    ...(o.maxReceiveCount !== undefined ? { maxReceiveCount: o.maxReceiveCount } : {}),
    pollIntervalMs: 10,
  });
  const poller =
    o.withPoller === false || o.table.streamArn === undefined
      ? null
      : startPoller({
          clients: { doc: o.table.doc, streams: localStreamsPort(o.table.streams) },
          tableName: o.table.tableName,
          streamArn: o.table.streamArn,
          checkpoint: memoryCheckpoint(),
          idleBackoffMs: 50,
          maxIdleBackoffMs: 1_000,
          refreshMs: 1_000,
          ...(o.pollerRetryMs !== undefined ? { failedRecordRetryMs: o.pollerRetryMs } : {}),
          ...(o.breaker !== undefined ? { deps: { breaker: o.breaker.settings } } : {}),
        });
  const drain =
    o.breaker === undefined
      ? null
      : startLocalDrain({
          doc: o.table.doc,
          // the worker's settings (its drain rate, held limit, cache staleness) on the rig's table
          config: { ...worker.config, tableName: o.table.tableName },
          driver: worker.driver,
          intervalMs: o.breaker.drainIntervalMs,
          logger,
        });
  const unrecorded = (messageId: string): number =>
    logger.entries.filter((e) => e.message.startsWith('attempt not recorded') && e.attributes.messageId === messageId)
      .length;
  const recovered = (): number =>
    logger.entries.filter((e) => e.message === 'observed outcome recovered through SQS').length;
  const trace: Rig['trace'] = (messageIds, requests = []) => {
    const ids = new Set(messageIds);
    const lines = [
      ...logger.entries
        .filter((e) => ids.has(String(e.attributes.messageId)))
        .map((e) => ({ at: Number(e.attributes.at), text: `${e.level} ${e.message} ${JSON.stringify(e.attributes)}` })),
      ...requests
        .filter((r) => r.webhookId !== null && ids.has(r.webhookId))
        .map((r) => ({ at: r.at, text: `receiver ${r.path} ${r.webhookId}` })),
    ];
    return lines
      .sort((a, b) => a.at - b.at)
      .map((l) => `  ${new Date(l.at).toISOString()} ${l.text}`)
      .join('\n');
  };
  return {
    store,
    worker,
    logger,
    poller,
    drain,
    unrecorded,
    recovered,
    trace,
    close: async () => {
      await drain?.stop();
      await worker.close();
      await poller?.stop();
    },
  };
};

/** A memory logger that stamps each entry's time (`at`, epoch ms) for `trace`. */
const stampedLogger = (): ReturnType<typeof memoryLogger> => {
  const inner = memoryLogger();
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, attributes: Record<string, unknown> = {}): void =>
      inner[level](message, { ...attributes, at: Date.now() });
  return { entries: inner.entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

/** The store on a test table with every retry due at once (no back-off to wait out), jitter fixed. */
export const dueAtOnceStore = (table: { doc: RigTable['doc']; tableName: string }, maxAttempts?: number): Store =>
  createStore({
    doc: table.doc,
    tableName: table.tableName,
    retryPolicy: makeRetryPolicy({ ...(maxAttempts !== undefined ? { maxAttempts } : {}), baseMs: 0, maxMs: 0 }),
    random: () => 0.5,
  });

/** A delivery request to `url`, signed by the worker, small JSON body. */
export const requestTo = (messageId: string, url: string, maxAttempts?: number): DeliveryRequest => ({
  messageId,
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer reliability-secret' },
  body: JSON.stringify({ id: messageId, kind: 'reliability' }),
  correlationId: `corr-${messageId}`,
  maxAttempts: maxAttempts ?? null,
});

const within = async <A>(p: Promise<A>, ms: number, what: string): Promise<A> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * One delivery end to end before the measured run (the first one compiles and loads half
 * the code and opens connections; on a busy 2-core machine it can miss a 1 s deadline).
 * It leaves one message, `warmup`, in the table.
 */
export const warmUp = async (rig: Rig, okUrl: string): Promise<void> => {
  rig.worker.driver.send(requestTo('warmup', okUrl));
  rig.worker.driver.start({ concurrency: 1, batchSize: 1 });
  await rig.worker.driver.drain({ timeoutMs: 60_000 });
  await rig.worker.driver.stop();
};

/** The queue is empty and the projector has projected every write made before the call. */
export const settle = async (rig: Rig, timeoutMs = 120_000): Promise<void> => {
  await rig.worker.driver.drain({ timeoutMs });
  if (rig.poller !== null) await within(rig.poller.caughtUp(), timeoutMs, 'projector catch-up');
};

export type VerifyJson = {
  ok: boolean;
  messages: number;
  items: number;
  checks: Record<string, { failed: number }>;
  violations: ReadonlyArray<{ messageId: string; check: string; detail: string }>;
};

/** `dh verify --json` on the table, as an operator would run it. */
export const verifyTable = async (table: {
  endpoint: string;
  tableName: string;
}): Promise<{ code: number | null; report: VerifyJson }> => {
  const run = await runDh(['verify', '--json', '--progress', 'none'], table, { timeoutMs: 300_000 });
  try {
    return { code: run.code, report: JSON.parse(run.stdout) as VerifyJson };
  } catch {
    throw new Error(`dh verify exited ${run.code} without a JSON report: ${run.stderr.slice(-800)}`);
  }
};
