import { type Logger, type Sealer, silentLogger } from '@delivery-history/core';
import {
  type Clock,
  createHandler,
  type BreakerStore,
  type DeliveryStore,
  endpointGateOf,
  type HttpClient,
  httpClientOf,
  loadConfig,
  noopMetrics,
  type Resolver,
  retryPolicyOf,
  type SqsBatchHandler,
  systemClock,
  type WorkerConfig,
  type WorkerMetrics,
} from '@delivery-history/worker';
import { createLocalDriver, type InterruptReport, type LocalDriver } from './localDriver.js';
import { localSealer } from './localKeyring.js';
import { createLocalQueue, type LocalQueue } from './localQueue.js';

// ---------------------------------------------------------------------------
// The whole worker on one machine: local queue + driver + the same handler as on AWS.
// ---------------------------------------------------------------------------

export type LocalWorkerOptions = {
  /**
   * Requests without maxAttempts get the store's default limit: build it with
   * `workerStoreOf(doc, config)` so DELIVERY_MAX_ATTEMPTS applies.
   */
  readonly store: DeliveryStore;
  /** With DELIVERY_BREAKER=on (config `breaker`): the store the endpoint gate reads and writes. */
  readonly breakerStore?: BreakerStore;
  /** Defaults come from the environment reader (e.g. DELIVERY_ALLOW_TARGETS); these win. */
  readonly config?: Partial<WorkerConfig>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  readonly metrics?: WorkerMetrics;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly resolve?: Resolver;
  /** The queue's visibility timeout (what a batch item failure without a visibility change waits). */
  readonly visibilityTimeoutMs?: number;
  /** Default: maxAttempts + 5 (see README "Retries, SQS and the DLQ"). */
  readonly maxReceiveCount?: number;
  readonly pollIntervalMs?: number;
  /** Seals request credentials (default: the local keyring, localKeyring.ts); null: they are dropped. */
  readonly sealer?: Sealer | null;
};

export type LocalWorker = {
  readonly config: WorkerConfig;
  readonly queue: LocalQueue;
  readonly driver: LocalDriver;
  readonly handler: SqsBatchHandler;
  readonly http: HttpClient;
  /** Stops the driver and closes HTTP connections. */
  close(): Promise<void>;
  /** Ctrl-C: the driver's interrupt, aborting this worker's HTTP requests after `graceMs`. */
  interrupt(graceMs: number): Promise<InterruptReport>;
};

/** Receive margin over maxAttempts: leased/not-due wake-ups and store hiccups use receives too. */
export const RECEIVE_MARGIN = 5;

export const createLocalWorker = (options: LocalWorkerOptions): LocalWorker => {
  const config: WorkerConfig = { ...loadConfig(options.env ?? process.env), ...options.config };
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const http = httpClientOf(config, clock, options.resolve);
  const queue = createLocalQueue({
    clock,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
    maxReceiveCount: options.maxReceiveCount ?? config.maxAttempts + RECEIVE_MARGIN,
  });
  const gate = options.breakerStore === undefined ? undefined : endpointGateOf(config, options.breakerStore, clock);
  const env = options.env ?? process.env;
  const sealer = options.sealer === undefined ? localSealer(env) : options.sealer;
  const handler = createHandler({
    store: options.store,
    ...(gate !== undefined ? { gate, receiverControl: config.receiverControl } : {}),
    http,
    visibility: queue.visibility,
    outbox: queue.outbox,
    clock,
    random: options.random ?? Math.random,
    logger,
    metrics: options.metrics ?? noopMetrics,
    policy: retryPolicyOf(config),
    leaseMs: config.leaseMs,
    secrets: config.secrets,
    ...(sealer === null ? {} : { sealer }),
  });
  const driver = createLocalDriver({
    queue,
    handler,
    logger,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  return {
    config,
    queue,
    driver,
    handler,
    http,
    close: async () => {
      await driver.stop();
      await http.close();
    },
    interrupt: (graceMs) => driver.interrupt(graceMs, () => http.abortInFlight('interrupted by the operator')),
  };
};
