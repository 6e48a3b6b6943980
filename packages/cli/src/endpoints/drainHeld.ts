import { deliveryRequestOf, describeRequestRefusal, type Sleep } from '@delivery-history/core';
import type { HeldEntry, Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { RedriveQueue } from '../redrive/redrive.js';

// ---------------------------------------------------------------------------
// The drain (issue 27): when an endpoint's breaker closes or an operator resumes it, its held
// messages go back on the queue, oldest created first, at most `ratePerSecond` a second.
// Order per message: enqueue, then release (HOLD#k released, STATE PENDING). A crash in
// between leaves it HELD and listed, with a record on the queue that the claim answers
// "not due" (looked at again in 5 s) until the next drain releases it: nothing is stranded,
// and a second copy of the record is a duplicate the claim refuses (invariant 5 unchanged).
// ---------------------------------------------------------------------------

export type DrainDeps = {
  readonly store: Pick<Store, 'listHeld' | 'getState' | 'appendHold'>;
  readonly queue: Pick<RedriveQueue, 'send'>;
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
};

export type DrainReport = {
  readonly released: string[];
  readonly failed: Array<{ readonly messageId: string; readonly reason: string }>;
};

/** Default drain rate: a recovering receiver gets a trickle, not the whole backlog at once. */
export const DEFAULT_DRAIN_RATE = 10;

const PAGE = 25;

const drainOne = async (deps: DrainDeps, o: DrainOptions, entry: HeldEntry): Promise<E.Either<string, void>> => {
  const state = await deps.store.getState(entry.messageId)();
  if (E.isLeft(state)) return E.left(state.left.message);
  const request = deliveryRequestOf(state.right);
  if (E.isLeft(request)) return E.left(describeRequestRefusal(request.left));
  const sent = await deps.queue.send(request.right);
  if (E.isLeft(sent)) return E.left(`enqueue: ${sent.left}`);
  const released = await deps.store.appendHold({
    messageId: entry.messageId,
    kind: 'released',
    mode: 'drain',
    reason: o.reason,
    by: o.by,
  })();
  return E.isLeft(released) ? E.left(`release: ${released.left.message}`) : E.right(undefined);
};

/** Drains `endpoint`'s held messages in creation order at the rate cap; never throws. */
export const drainHeld = async (deps: DrainDeps, o: DrainOptions): Promise<DrainReport> => {
  const released: string[] = [];
  const failed: Array<{ messageId: string; reason: string }> = [];
  const gapMs = 1000 / Math.max(0.001, o.ratePerSecond);
  const limit = o.limit ?? Number.POSITIVE_INFINITY;
  const skip = new Set<string>();
  while (released.length < limit) {
    const page = await deps.store.listHeld(o.endpoint, PAGE + skip.size)();
    if (E.isLeft(page)) {
      failed.push({ messageId: '', reason: page.left.message });
      break;
    }
    const todo = page.right.filter((e) => !skip.has(e.messageId));
    if (todo.length === 0) break;
    for (const entry of todo.slice(0, Math.min(PAGE, limit - released.length))) {
      const r = await drainOne(deps, o, entry);
      if (E.isRight(r)) released.push(entry.messageId);
      else {
        skip.add(entry.messageId); // reported; the next drain tries it again
        failed.push({ messageId: entry.messageId, reason: r.left });
      }
      await deps.sleep(gapMs);
    }
  }
  return { released, failed };
};
