import { type DeliveryRequest, deliveryRequestOf, describeRequestRefusal, type Sleep } from '@delivery-history/core';
import type { Store } from '../createStore.js';
import type { HeldEntry } from '../ops/listHeld.js';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// The drain (issue 27): when an endpoint's breaker closes or an operator resumes it, its held
// messages go back on the queue, oldest created first, at most `ratePerSecond` a second.
// Order per message: enqueue, then release (HOLD#k released, STATE PENDING). A crash in
// between leaves it HELD and listed, with a record on the queue that the claim answers
// "not due" (looked at again in 5 s) until the next drain releases it: nothing is stranded,
// and a second copy of the record is a duplicate the claim refuses (invariant 5 unchanged).
// ---------------------------------------------------------------------------

/** Where a released message goes: the delivery queue (SQS on AWS, the local driver here). */
export type DrainQueue = {
  readonly send: (request: DeliveryRequest) => Promise<E.Either<string, void>>;
};

export type DrainDeps = {
  readonly store: Pick<Store, 'listHeld' | 'getState' | 'appendHold'>;
  readonly queue: DrainQueue;
  readonly sleep: Sleep;
};

export type DrainOptions = {
  readonly endpoint: string;
  /** Re-enqueues per second (the per-endpoint cap). */
  readonly ratePerSecond: number;
  readonly by: string;
  readonly reason: string;
  /** Stop after this many (default: all). */
  readonly limit?: number;
  /** Asked before each message: true stops the drain there (a Lambda's time budget). */
  readonly shouldStop?: () => boolean;
  /**
   * Creation order as delivered, not only as enqueued: before the next send, wait (polling
   * STATE, at most this long) until the previous message was claimed. Without it a worker
   * running several records at once may send two released messages out of order.
   */
  readonly claimWaitMs?: number;
};

export type DrainReport = {
  readonly released: string[];
  /** Not HELD any more when the drain came to it (another drain, or a resume, released it). */
  readonly skipped: string[];
  readonly failed: Array<{ readonly messageId: string; readonly reason: string }>;
};

/** Default drain rate: a recovering receiver gets a trickle, not the whole backlog at once. */
export const DEFAULT_DRAIN_RATE = 10;

const PAGE = 25;
const CLAIM_POLL_MS = 25;

type One = E.Either<string, 'released' | 'skipped'>;

type StateRead = ReturnType<ReturnType<DrainDeps['store']['getState']>>;

/**
 * STATE reads started ahead: the next message's read runs while the drain waits for the
 * previous one's claim, so it is off the drain's critical path (one round trip less per
 * message). A read gone stale meanwhile is safe: the release is conditioned on it.
 */
type ReadAhead = Map<string, StateRead>;

const drainOne = async (deps: DrainDeps, o: DrainOptions, entry: HeldEntry, ahead: ReadAhead): Promise<One> => {
  const read = ahead.get(entry.messageId) ?? deps.store.getState(entry.messageId)();
  ahead.delete(entry.messageId);
  const state = await read;
  if (E.isLeft(state)) return E.left(state.left.message);
  // released by someone else since the listing (a concurrent drain): do not send it twice
  if (state.right.status !== 'HELD') return E.right('skipped');
  const request = deliveryRequestOf(state.right);
  if (E.isLeft(request)) return E.left(describeRequestRefusal(request.left));
  const sent = await deps.queue.send(request.right);
  if (E.isLeft(sent)) return E.left(`enqueue: ${sent.left}`);
  const released = await deps.store.appendHold({
    before: state.right,
    messageId: entry.messageId,
    kind: 'released',
    mode: 'drain',
    reason: o.reason,
    by: o.by,
  })();
  return E.isLeft(released) ? E.left(`release: ${released.left.message}`) : E.right('released');
};

/** Waits (bounded) until `messageId` left PENDING: a worker claimed it, so its request goes first. */
const awaitClaim = async (deps: DrainDeps, messageId: string, maxWaitMs: number): Promise<void> => {
  for (let waited = 0; waited < maxWaitMs; waited += CLAIM_POLL_MS) {
    const s = await deps.store.getState(messageId)();
    if (E.isLeft(s) || s.right.status !== 'PENDING') return;
    await deps.sleep(CLAIM_POLL_MS);
  }
};

type Acc = { released: string[]; skipped: string[]; failed: Array<{ messageId: string; reason: string }> };

const visit = async (
  deps: DrainDeps,
  o: DrainOptions,
  entry: HeldEntry,
  next: HeldEntry | undefined,
  acc: Acc,
  skip: Set<string>,
  ahead: ReadAhead,
) => {
  const r = await drainOne(deps, o, entry, ahead);
  if (E.isLeft(r)) {
    skip.add(entry.messageId); // reported; the next drain tries it again
    acc.failed.push({ messageId: entry.messageId, reason: r.left });
    return;
  }
  if (r.right === 'skipped') {
    skip.add(entry.messageId);
    acc.skipped.push(entry.messageId);
    return;
  }
  acc.released.push(entry.messageId);
  if (o.claimWaitMs === undefined) return;
  if (next !== undefined && !ahead.has(next.messageId))
    ahead.set(next.messageId, deps.store.getState(next.messageId)());
  await awaitClaim(deps, entry.messageId, o.claimWaitMs);
};

/** Drains `endpoint`'s held messages in creation order at the rate cap; never throws. */
export const drainHeld = async (deps: DrainDeps, o: DrainOptions): Promise<DrainReport> => {
  const acc: Acc = { released: [], skipped: [], failed: [] };
  const gapMs = 1000 / Math.max(0.001, o.ratePerSecond);
  const limit = o.limit ?? Number.POSITIVE_INFINITY;
  const skip = new Set<string>();
  const ahead: ReadAhead = new Map();
  const stop = () => acc.released.length >= limit || (o.shouldStop?.() ?? false);
  while (!stop()) {
    const page = await deps.store.listHeld(o.endpoint, PAGE + skip.size)();
    if (E.isLeft(page)) {
      acc.failed.push({ messageId: '', reason: page.left.message });
      break;
    }
    const todo = page.right.filter((e) => !skip.has(e.messageId));
    if (todo.length === 0) break;
    const batch = todo.slice(0, PAGE);
    for (const [i, entry] of batch.entries()) {
      if (stop()) break;
      await visit(deps, o, entry, batch[i + 1], acc, skip, ahead);
      await deps.sleep(gapMs);
    }
  }
  return acc;
};
