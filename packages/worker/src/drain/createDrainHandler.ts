import { type Logger, type Sleep, sleep as realSleep } from '@delivery-history/core';
import type { Context } from 'aws-lambda';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { WorkerConfig } from '../config/readConfig.js';
import { type DrainQueue, type Store, type SweepReport, sweepHeld, sweepTotals } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// The drain function's handler: one sweep per invocation (an EventBridge schedule on AWS, a
// timer in `dh local`), stopped `DRAIN_MARGIN_MS` before the function's timeout so an
// invocation never dies in the middle of a message; what it leaves, the next sweep drains.
// ---------------------------------------------------------------------------

/** Stop this long before the function would time out (one message's enqueue and release). */
export const DRAIN_MARGIN_MS = 10_000;

/** How long the drain waits for a released message's claim before it sends the next one. */
export const CLAIM_WAIT_MS = 10_000;

export type DrainHandlerDeps = {
  readonly store: Pick<Store, 'listBreakers' | 'listHeld' | 'getState' | 'appendHold'>;
  readonly queue: DrainQueue;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
};

export type DrainSummary = { readonly released: number; readonly expired: number; readonly failed: number };

export type DrainHandler = (
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<DrainSummary>;

type DrainSettings = Pick<WorkerConfig, 'drainRatePerSecond' | 'maxHeldMs' | 'breakerStaleMs'>;

export const createDrainHandler =
  (deps: DrainHandlerDeps, config: DrainSettings): DrainHandler =>
  async (_event, context) => {
    const report: SweepReport = await sweepHeld(
      {
        store: deps.store,
        queue: deps.queue,
        sleep: deps.sleep ?? realSleep,
        now: deps.now ?? (() => new Date()),
        logger: deps.logger,
      },
      {
        ratePerSecond: config.drainRatePerSecond,
        maxHeldMs: config.maxHeldMs,
        settleMs: config.breakerStaleMs,
        claimWaitMs: CLAIM_WAIT_MS,
        shouldStop: () => context !== undefined && context.getRemainingTimeInMillis() < DRAIN_MARGIN_MS,
      },
    );
    const totals = sweepTotals(report);
    deps.metrics.add('HeldReleased', 'Count', totals.released);
    deps.metrics.add('HeldExpired', 'Count', totals.expired);
    deps.metrics.add('DrainFailures', 'Count', totals.failed);
    deps.metrics.flush();
    return totals;
  };
