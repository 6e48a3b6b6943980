import { type Clock, type Logger, type Sealer, silentLogger, systemClock } from '@delivery-history/core';
import {
  createHandler,
  type BreakerStore,
  endpointCredentialsOf,
  type DeliveryStore,
  endpointGateOf,
  type HttpClient,
  httpClientOf,
  loadConfig,
  noopMetrics,
  type Resolver,
  type SqsBatchHandler,
  type WorkerConfig,
  type WorkerMetrics,
  workerStoreOf,
} from '@delivery-history/worker';
import { createLocalDriver, type InterruptReport, type LocalDriver } from './localDriver.js';
import { localSealer } from './localKeyring.js';
import { localSecretSource } from './localSecrets.js';
import { createLocalQueue, type LocalQueue } from './localQueue.js';

// ---------------------------------------------------------------------------
// The whole worker on one machine: local queue + driver + the same handler as on AWS.
// ---------------------------------------------------------------------------

/**
 * The store carries the retry and secret policies (outcomes, the limit of requests without
 * maxAttempts, redaction). `doc`: the local worker builds it as the Lambda does
 * (`workerStoreOf(doc, config)`: DELIVERY_MAX_ATTEMPTS, DELIVERY_BACKOFF_*, DELIVERY_REDACT_*
 * of this worker's environment apply). `store`: one built by the caller (a test double, or
 * the CLI's, whose config read the same variables with core's `readStorePolicies`).
 */
type StoreSource = { readonly store: DeliveryStore } | { readonly doc: Parameters<typeof workerStoreOf>[0] };

export type LocalWorkerOptions = StoreSource & {
  /**
   * With DELIVERY_BREAKER=on (config `breaker`): the store the endpoint gate reads and writes
   * (default with `doc`: the worker's own store; with `store`: none, no gate).
   */
  readonly breakerStore?: BreakerStore;
  /** Defaults come from the environment reader (e.g. DELIVERY_ALLOW_TARGETS); these win. */
  readonly config?: Partial<WorkerConfig>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  readonly metrics?: WorkerMetrics;
  readonly clock?: Clock;
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

/** The handler's store, and the worker's own (a full Store) when it built one from `doc`. */
const storeOf = (options: LocalWorkerOptions, config: WorkerConfig, logger: Logger) => {
  if ('store' in options) return { delivery: options.store, own: null };
  const own = workerStoreOf(options.doc, config, logger);
  return { delivery: own, own };
};

/** With DELIVERY_BREAKER=on: the gate over the given breaker store, else the worker's own. */
const gateOf = (options: LocalWorkerOptions, store: ReturnType<typeof storeOf>, config: WorkerConfig, clock: Clock) => {
  const breakerStore = options.breakerStore ?? store.own ?? undefined;
  return breakerStore === undefined ? undefined : endpointGateOf(config, breakerStore, clock);
};

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
  const store = storeOf(options, config, logger);
  const gate = gateOf(options, store, config, clock);
  const env = options.env ?? process.env;
  const sealer = options.sealer === undefined ? localSealer(env) : options.sealer;
  const metrics = options.metrics ?? noopMetrics;
  // per-endpoint credentials from DELIVERY_LOCAL_SECRETS (the local stand-in for Secrets Manager)
  const credentials = endpointCredentialsOf(config, localSecretSource(env), { clock, logger, metrics });
  const handler = createHandler({
    store: store.delivery,
    ...(gate !== undefined ? { gate } : {}),
    receiverControl: config.receiverControl,
    ...(config.successSnippet ? { keepSuccessSnippet: true } : {}),
    http,
    visibility: queue.visibility,
    outbox: queue.outbox,
    clock,
    logger,
    metrics,
    leaseMs: config.leaseMs,
    ...(sealer === null ? {} : { sealer }),
    ...(credentials === undefined ? {} : { endpointCredentials: credentials }),
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
