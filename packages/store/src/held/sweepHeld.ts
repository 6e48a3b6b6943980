import { type BreakerState, type Logger, type Sleep, breaker } from '@delivery-history/core';
import type { Store } from '../createStore.js';
import * as E from 'fp-ts/lib/Either.js';
import { type DrainQueue, type DrainReport, drainHeld } from './drainHeld.js';
import { type ExpireReport, expireHeld } from './expireHeld.js';

// ---------------------------------------------------------------------------
// The automatic drain (issue 27), one sweep: for every endpoint with a breaker item,
// 1. held messages past the limit become final `held_expired` (whatever the mode: a paused
//    endpoint strands nothing), and
// 2. when its breaker is closed (a probe succeeded, or an operator resumed it) and has been for
//    longer than the workers' cache may lag (`settleMs`), its held messages are re-enqueued,
//    oldest created first, at `ratePerSecond` per endpoint. Before that a worker could still
//    see the old mode and hold a released message again, out of creation order;
// 3. when its breaker is open past the cool-off with no probe out, the oldest held message is
//    released alone: it reaches a worker, which takes the half-open probe with it. An endpoint
//    whose every message is held still probes by itself (nothing else would send it traffic).
// The same sweep runs in the deployed drain function (a schedule) and in `dh local` (a timer).
// Endpoints drain side by side, each at its own cap; one sweep stops at `shouldStop`.
// ---------------------------------------------------------------------------

export type SweepDeps = {
  readonly store: Pick<Store, 'listBreakers' | 'listHeld' | 'getState' | 'appendHold'>;
  readonly queue: DrainQueue;
  readonly sleep: Sleep;
  readonly now: () => Date;
  readonly logger: Logger;
};

export type SweepSettings = {
  /** Per endpoint, re-enqueues a second (DELIVERY_DRAIN_RATE). */
  readonly ratePerSecond: number;
  /** Held longer than this: final held_expired (DELIVERY_MAX_HELD_HOURS). */
  readonly maxHeldMs: number;
  /** A closed breaker drains once it has been closed this long (the workers' cache staleness). */
  readonly settleMs: number;
  /** See drainHeld's `claimWaitMs`. */
  readonly claimWaitMs: number;
  readonly shouldStop: () => boolean;
};

export type EndpointSweep = {
  readonly endpoint: string;
  readonly expired: ExpireReport;
  readonly drained: DrainReport | null;
};

export type SweepReport = {
  readonly endpoints: readonly EndpointSweep[];
  /** Listing the breakers failed: nothing was swept (the next sweep tries again). */
  readonly error: string | null;
};

/** Closed, and for long enough that no worker's cached breaker still says otherwise. */
export const drainable = (b: BreakerState, now: Date, settleMs: number): boolean =>
  b.mode === 'closed' && Date.parse(b.since) + settleMs <= now.getTime();

/** Open or half-open, and a worker may take the probe now (cool-off over, none out). */
const probeDue = (b: BreakerState, now: Date): boolean =>
  b.mode !== 'closed' && breaker.gate(b, now.toISOString()).kind === 'probe';

const reasonOf = (b: BreakerState): string =>
  b.by === 'breaker' ? `breaker closed at ${b.since} (${b.reason})` : `resumed by ${b.by} at ${b.since}`;

const sweepOne = async (deps: SweepDeps, s: SweepSettings, b: BreakerState): Promise<EndpointSweep> => {
  const now = deps.now();
  const expired = await expireHeld(deps.store, {
    endpoint: b.endpoint,
    now,
    maxHeldMs: s.maxHeldMs,
    by: 'retention',
  });
  const common = { endpoint: b.endpoint, ratePerSecond: s.ratePerSecond, by: 'drain', claimWaitMs: s.claimWaitMs };
  const drained = drainable(b, now, s.settleMs)
    ? await drainHeld(deps, { ...common, reason: reasonOf(b), shouldStop: s.shouldStop })
    : probeDue(b, now)
      ? await drainHeld(deps, { ...common, reason: `probe: ${b.endpoint} open since ${b.since}`, limit: 1 })
      : null;
  return { endpoint: b.endpoint, expired, drained };
};

const logSweep = (logger: Logger, e: EndpointSweep): void => {
  const released = e.drained?.released.length ?? 0;
  const failed = e.expired.failed.length + (e.drained?.failed.length ?? 0);
  if (released + e.expired.expired.length + failed === 0) return;
  const fields = {
    endpoint: e.endpoint,
    released,
    expired: e.expired.expired.length,
    failed,
    failures: [...e.expired.failed, ...(e.drained?.failed ?? [])].slice(0, 10),
  };
  if (failed > 0) logger.warn('held messages not drained or expired', fields);
  else logger.info('held messages drained', fields);
};

/** One sweep over every endpoint's breaker; never throws. */
export const sweepHeld = async (deps: SweepDeps, s: SweepSettings): Promise<SweepReport> => {
  const breakers = await deps.store.listBreakers()();
  if (E.isLeft(breakers)) {
    deps.logger.error('drain sweep: breakers not listed', { error: breakers.left.message });
    return { endpoints: [], error: breakers.left.message };
  }
  const endpoints = await Promise.all(breakers.right.map((b) => sweepOne(deps, s, b)));
  for (const e of endpoints) logSweep(deps.logger, e);
  return { endpoints, error: null };
};

/** Totals of a sweep (metrics, the local stack's counts). */
export const sweepTotals = (r: SweepReport): { released: number; expired: number; failed: number } => {
  let released = 0;
  let expired = 0;
  let failed = r.error === null ? 0 : 1;
  for (const e of r.endpoints) {
    released += e.drained?.released.length ?? 0;
    expired += e.expired.expired.length;
    failed += e.expired.failed.length + (e.drained?.failed.length ?? 0);
  }
  return { released, expired, failed };
};
