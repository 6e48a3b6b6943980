import { type Logger, silentLogger } from '@delivery-history/core';
import type { DrainQueue } from '@delivery-history/store';
import {
  createDrainHandler,
  type DrainSummary,
  noopMetrics,
  type WorkerConfig,
  workerStoreOf,
} from '@delivery-history/worker';
import * as E from 'fp-ts/lib/Either.js';
import type { LocalDriver } from './localDriver.js';

// ---------------------------------------------------------------------------
// The drain function on one machine (issue 27): the same handler the deployed function runs,
// started by a timer instead of a schedule, releasing into the local driver's queue. One sweep
// at a time (the deployed function's reserved concurrency is 1).
// ---------------------------------------------------------------------------

export type LocalDrainOptions = {
  readonly doc: Parameters<typeof workerStoreOf>[0];
  /** The worker's configuration: table, drain rate, held limit, cache staleness. */
  readonly config: WorkerConfig;
  readonly driver: Pick<LocalDriver, 'send'>;
  /** Between the end of one sweep and the start of the next (the deployed schedule: a minute). */
  readonly intervalMs: number;
  readonly logger?: Logger;
  /** After every sweep (the local stack counts what it released). */
  readonly onSweep?: (s: DrainSummary) => void;
};

export type LocalDrain = {
  /** Runs one sweep now (after the one running, if any). */
  sweep(): Promise<DrainSummary>;
  stop(): Promise<void>;
};

/** Released messages go to the local driver as the SQS body (DeliveryRequest JSON). */
export const driverDrainQueue = (driver: Pick<LocalDriver, 'send'>): DrainQueue => ({
  send: async (request) => {
    driver.send(request);
    return E.right(undefined);
  },
});

export const startLocalDrain = (o: LocalDrainOptions): LocalDrain => {
  const logger = o.logger ?? silentLogger;
  const handler = createDrainHandler(
    {
      store: workerStoreOf(o.doc, o.config, logger),
      queue: driverDrainQueue(o.driver),
      logger,
      metrics: noopMetrics,
    },
    o.config,
  );
  let stopped = false;
  let running: Promise<DrainSummary> = Promise.resolve({ released: 0, expired: 0, failed: 0 });
  let timer: NodeJS.Timeout | undefined;
  const sweep = (): Promise<DrainSummary> => {
    running = running.then(async () => {
      const s = await handler({});
      o.onSweep?.(s);
      return s;
    });
    return running;
  };
  const loop = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void sweep().finally(loop);
    }, o.intervalMs);
  };
  loop();
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
};
