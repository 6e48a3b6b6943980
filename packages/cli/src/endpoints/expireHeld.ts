import type { HeldEntry, Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// Nothing stranded (invariant 11): a message held longer than `maxHeldMs` (its endpoint
// stayed paused or disabled) is made final with category held_expired (HOLD#k `expired`),
// never silently dropped; a redrive can still reopen it. Registry order is creation time and
// a hold is never older than its message, so the walk stops at the first message created
// after the cutoff.
// ---------------------------------------------------------------------------

export type ExpireOptions = {
  readonly endpoint: string;
  readonly now: Date;
  readonly maxHeldMs: number;
  readonly by: string;
};

export type ExpireReport = {
  readonly expired: string[];
  readonly failed: Array<{ readonly messageId: string; readonly reason: string }>;
};

const PAGE = 25;

const expireOne = async (store: Pick<Store, 'appendHold'>, o: ExpireOptions, e: HeldEntry) => {
  const r = await store.appendHold({
    messageId: e.messageId,
    kind: 'expired',
    mode: 'retention',
    reason: `held since ${e.heldAt} (${e.mode}: ${e.reason}), longer than ${Math.round(o.maxHeldMs / 3_600_000)} h`,
    by: o.by,
    at: o.now,
  })();
  return E.isLeft(r) ? E.left(r.left.message) : E.right(undefined);
};

/** One entry: expired when held before the cutoff, else kept (skipped by later pages). */
const visit = async (
  store: Pick<Store, 'appendHold'>,
  o: ExpireOptions,
  cutoff: string,
  e: HeldEntry,
  r: { expired: string[]; failed: Array<{ messageId: string; reason: string }>; skip: Set<string> },
): Promise<void> => {
  if (e.heldAt >= cutoff) {
    r.skip.add(e.messageId);
    return;
  }
  const x = await expireOne(store, o, e);
  if (E.isRight(x)) r.expired.push(e.messageId);
  else {
    r.skip.add(e.messageId); // reported; the next run tries it again
    r.failed.push({ messageId: e.messageId, reason: x.left });
  }
};

export const expireHeld = async (
  store: Pick<Store, 'listHeld' | 'appendHold'>,
  o: ExpireOptions,
): Promise<ExpireReport> => {
  const cutoff = new Date(o.now.getTime() - o.maxHeldMs).toISOString();
  const r = {
    expired: [] as string[],
    failed: [] as Array<{ messageId: string; reason: string }>,
    skip: new Set<string>(),
  };
  for (;;) {
    const want = PAGE + r.skip.size;
    const page = await store.listHeld(o.endpoint, want)();
    if (E.isLeft(page))
      return { expired: r.expired, failed: [...r.failed, { messageId: '', reason: page.left.message }] };
    const todo = page.right.filter((e) => !r.skip.has(e.messageId));
    // creation order: a message created after the cutoff cannot have been held before it
    const stop = todo.findIndex((e) => e.createdAt >= cutoff);
    for (const e of stop < 0 ? todo : todo.slice(0, stop)) await visit(store, o, cutoff, e, r);
    if (todo.length === 0 || stop >= 0 || page.right.length < want) return { expired: r.expired, failed: r.failed };
  }
};
