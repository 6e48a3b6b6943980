import { diffProjection, fold, projectionFields, seedOf } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import type { History } from '@delivery-history/store/testing';
import { mapLimit } from '@delivery-history/testkit/mapLimit';
import * as E from 'fp-ts/lib/Either.js';

// The kill tests' books, message by message, from each stored history and the receiver's
// counts: requests received <= attempts recorded (invariant 5), attempt numbers dense, and
// STATE == fold(attempts, redrives, holds). `bad` lists each failure with its message id.

export type HistoryBooks = { requests: number; attempts: number; lost: number; resolutions: number; bad: string[] };

export const historyBooks = async (
  store: Store,
  ids: ReadonlyArray<string>,
  requestsOf: (id: string) => number,
  /** The file's own checks of one message (its failures, each with the id). */
  more: (id: string, h: History, requests: number) => string[],
): Promise<HistoryBooks> => {
  const out: HistoryBooks = { requests: 0, attempts: 0, lost: 0, resolutions: 0, bad: [] };
  const hs = await mapLimit(ids, 8, async (id) => {
    const h = await store.getHistory(id)();
    return E.isRight(h) ? h.right : null;
  });
  ids.forEach((id, i) => {
    const h = hs[i];
    const requests = requestsOf(id);
    out.requests += requests;
    if (h === null || h === undefined) {
      out.bad.push(`${id}: no history`);
      return;
    }
    const numbers = h.attempts.map((a) => a.attemptNumber);
    out.attempts += numbers.length;
    out.lost += h.attempts.filter((a) => a.deliveryResult.category === 'lost').length;
    out.resolutions += h.resolutions.length;
    if (requests > numbers.length) out.bad.push(`${id}: ${requests} requests > ${numbers.length} attempts`);
    if (numbers.some((n, k) => n !== k + 1)) out.bad.push(`${id}: attempt numbers ${numbers.join(',')}`);
    out.bad.push(...more(id, h, requests));
    const folded = fold(seedOf(h.state), h.attempts, h.redrives, h.holds);
    if (E.isLeft(folded)) out.bad.push(`${id}: fold failed: ${folded.left._tag}`);
    else {
      const drift = diffProjection(projectionFields(folded.right), projectionFields(h.state));
      if (drift.length > 0) out.bad.push(`${id}: STATE != fold on ${drift.join(',')}`);
    }
  });
  return out;
};

/** Each message's STATE (null where it cannot be read), in the order of `ids`. */
export const statesOf = (store: Store, ids: ReadonlyArray<string>) =>
  mapLimit(ids, 8, async (id) => {
    const s = await store.getState(id)();
    return E.isRight(s) ? s.right : null;
  });
