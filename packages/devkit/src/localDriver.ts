import { type Logger, silentLogger, sleep, withTimeout } from '@delivery-history/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue, QueueCounts, QueueStats } from './localQueue.js';

// ---------------------------------------------------------------------------
// Plays Lambda's SQS event source mapping on one machine: polls the local queue,
// invokes the handler with SQSEvent batches, deletes what succeeded and leaves
// batch item failures to their visibility timeout (which the handler may have set).
// ---------------------------------------------------------------------------

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export type LocalDriverOptions = {
  readonly queue: LocalQueue;
  readonly handler: SqsHandler;
  /** Idle poll interval (ms); the driver also wakes when the next message becomes visible. */
  readonly pollIntervalMs?: number;
  /** Like Lambda's function timeout: a batch not done by then counts as failed entirely. */
  readonly invocationTimeoutMs?: number;
  readonly logger?: Logger;
};

export type StartOptions = { readonly concurrency?: number; readonly batchSize?: number };

export type DriverStats = {
  readonly invocations: number;
  readonly recordsHandled: number;
  readonly batchItemFailures: number;
  /** Invocations that threw, timed out or answered with an unknown itemIdentifier. */
  readonly failedInvocations: number;
  readonly inFlightBatches: number;
  readonly queue: Readonly<QueueStats>;
  readonly counts: QueueCounts;
};

export type InterruptReport = {
  /** Records handled before the interrupt and during the grace period. */
  readonly handled: number;
  /** HTTP requests still in flight after the grace period, ended and recorded as interrupted. */
  readonly aborted: number;
  /** Batches that had not finished even after the abort (their messages may stay PROCESSING until the lease). */
  readonly unfinishedBatches: number;
  /** Records not delivered in this process (still queued, or scheduled for a retry). */
  readonly notDelivered: number;
};

/**
 * Whether `limit` ms have passed; with `byProgress`, since `progress()` last changed (the
 * limit is then on a stall, not on the whole wait: a loaded machine is slow, not stuck).
 */
const overdue = (limit: number, byProgress: boolean, progress: () => number): (() => boolean) => {
  let deadline = Date.now() + limit;
  let seen = progress();
  return () => {
    if (byProgress && progress() !== seen) {
      seen = progress();
      deadline = Date.now() + limit;
    }
    return Date.now() > deadline;
  };
};

export type LocalDriver = {
  /** Queues a delivery request (an object is JSON-encoded, a string is sent as is). */
  send(request: unknown, options?: { delaySeconds?: number; delayMs?: number }): string;
  start(options?: StartOptions): void;
  /**
   * Resolves when the queue is empty (DLQ aside) and no batch is running; rejects after
   * `timeoutMs`, or with `untilIdle` after `timeoutMs` in which no record was handled (a
   * loaded machine is slow, not stuck: the wait is bounded by progress, not by the clock).
   */
  drain(options?: { timeoutMs?: number; untilIdle?: boolean }): Promise<void>;
  /** Stops polling and waits for running batches. */
  stop(): Promise<void>;
  /**
   * Ctrl-C: stop claiming (no new receive), wait up to `graceMs` for the batches running,
   * then call `abort` (ends the HTTP requests still in flight as observations) and wait for
   * those batches to record them. Records never received stay in the queue.
   */
  interrupt(graceMs: number, abort: () => number): Promise<InterruptReport>;
  stats(): DriverStats;
  readonly queue: LocalQueue;
};

/** Lambda treats a response naming a record that was not in the batch as a failure of all. */
const failedIds = (records: ReadonlyArray<SQSRecord>, response: SQSBatchResponse | undefined): Set<string> | 'all' => {
  const ids = new Set(records.map((r) => r.messageId));
  const failures = response?.batchItemFailures ?? [];
  const out = new Set<string>();
  for (const f of failures) {
    if (typeof f.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier)) return 'all';
    out.add(f.itemIdentifier);
  }
  return out;
};

export const createLocalDriver = (options: LocalDriverOptions): LocalDriver => {
  const { queue, handler } = options;
  const log = options.logger ?? silentLogger;
  const pollMs = options.pollIntervalMs ?? 25;
  let running = false;
  let loops: Promise<void>[] = [];
  let invocations = 0;
  let recordsHandled = 0;
  let batchItemFailures = 0;
  let failedInvocations = 0;
  let inFlightBatches = 0;

  const invoke = async (records: SQSRecord[]): Promise<void> => {
    invocations++;
    inFlightBatches++;
    try {
      let failed: Set<string> | 'all';
      try {
        failed = failedIds(
          records,
          await withTimeout(handler({ Records: records }), options.invocationTimeoutMs, 'invocation'),
        );
      } catch (error) {
        log.error('local driver: invocation failed; the whole batch returns after its visibility timeout', {
          error: error instanceof Error ? error.message : String(error),
          records: records.length,
        });
        failed = 'all';
      }
      if (failed === 'all') failedInvocations++;
      for (const r of records) {
        recordsHandled++;
        if (failed === 'all' || failed.has(r.messageId)) batchItemFailures++;
        else queue.delete(r.receiptHandle);
      }
    } finally {
      inFlightBatches--;
    }
  };

  const idleWait = (): number => {
    const next = queue.nextVisibleAt();
    if (next === null) return pollMs;
    return Math.max(1, Math.min(pollMs, next - Date.now()));
  };

  const loop = async (batchSize: number): Promise<void> => {
    while (running) {
      const records = queue.receive(batchSize);
      if (records.length === 0) await sleep(idleWait());
      else await invoke(records);
    }
  };

  const stats = (): DriverStats => ({
    invocations,
    recordsHandled,
    batchItemFailures,
    failedInvocations,
    inFlightBatches,
    queue: { ...queue.stats },
    counts: queue.counts(),
  });

  return {
    queue,
    send: (request, sendOptions = {}) => {
      const body = typeof request === 'string' ? request : JSON.stringify(request);
      const delayMs = sendOptions.delayMs ?? (sendOptions.delaySeconds ?? 0) * 1000;
      return queue.send(body, { delayMs });
    },
    start: (startOptions = {}) => {
      if (running) return;
      running = true;
      const concurrency = Math.max(1, startOptions.concurrency ?? 1);
      // Lambda's SQS batch size is 1..10 for standard queues without a batching window.
      const batchSize = Math.min(10, Math.max(1, startOptions.batchSize ?? 10));
      loops = Array.from({ length: concurrency }, () => loop(batchSize));
    },
    drain: async (drainOptions = {}) => {
      const byProgress = drainOptions.untilIdle === true;
      const how = byProgress ? 'no record handled for' : 'not drained within';
      const late = overdue(drainOptions.timeoutMs ?? Number.POSITIVE_INFINITY, byProgress, () => recordsHandled);
      for (;;) {
        if (queue.counts().total === 0 && inFlightBatches === 0) return;
        if (late())
          throw new Error(`local queue ${how} ${drainOptions.timeoutMs} ms: ${JSON.stringify(stats().counts)}`);
        await sleep(Math.min(pollMs, 10));
      }
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
      loops = [];
    },
    stats,
    interrupt: async (graceMs, abort) => {
      running = false;
      const settled = Promise.all(loops);
      const within = (ms: number) =>
        Promise.race([settled.then(() => true), new Promise<boolean>((ok) => setTimeout(() => ok(false), ms))]);
      let aborted = 0;
      if (!(await within(graceMs))) {
        aborted = abort();
        // the aborted exchanges settle at once; their appends need a moment more
        await within(Math.max(5_000, graceMs));
      }
      loops = [];
      return {
        handled: recordsHandled,
        aborted,
        unfinishedBatches: inFlightBatches,
        notDelivered: queue.counts().total,
      };
    },
  };
};
