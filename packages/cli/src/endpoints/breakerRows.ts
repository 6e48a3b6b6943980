import type { BreakerState } from '@delivery-history/core';
import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// `dh endpoints`' breaker columns (issue 27): each endpoint's breaker as stored (one Query of
// the breakers' partition) and, for every endpoint that has a breaker item, its held messages
// (one COUNT Query of its held registry). An endpoint without a breaker item was never
// tripped, paused or probed: closed, nothing held, nothing read.

/** The modes as people write them (`half-open`, not the stored `half_open`). */
export type BreakerShown = 'closed' | 'open' | 'half-open' | 'paused' | 'disabled';

export type BreakerRow = {
  readonly state: BreakerShown;
  /** Why it is in this state (operator text, the receiver's request, or what tripped it); null: never moved. */
  readonly reason: string | null;
  /** Who moved it last (`breaker`, the operator, `receiver`); null: never moved. */
  readonly by: string | null;
  readonly since: string | null;
  /** Messages held for it now (they end delivered on resume or recovery, or final when expired). */
  readonly held: number;
};

export const CLOSED: BreakerRow = { state: 'closed', reason: null, by: null, since: null, held: 0 };

const shown = (m: BreakerState['mode']): BreakerShown => (m === 'half_open' ? 'half-open' : m);

/** A breaker never moved from its initial state says nothing (the projector wrote it on first sight). */
const rowOf = (b: BreakerState, held: number): BreakerRow =>
  b.version === 0 || (b.mode === 'closed' && b.reason === 'initial')
    ? { ...CLOSED, held }
    : { state: shown(b.mode), reason: b.reason, by: b.by, since: b.since, held };

/** The breaker rows of the endpoints `keep` accepts, by endpoint. */
export const readBreakerRows = async (
  store: Pick<Store, 'listBreakers' | 'countHeld'>,
  keep: (endpoint: string) => boolean,
): Promise<E.Either<StoreError, Map<string, BreakerRow>>> => {
  const listed = await store.listBreakers()();
  if (E.isLeft(listed)) return listed;
  const rows = new Map<string, BreakerRow>();
  for (const b of listed.right.filter((x) => keep(x.endpoint))) {
    const held = await store.countHeld(b.endpoint)();
    if (E.isLeft(held)) return held;
    rows.set(b.endpoint, rowOf(b, held.right));
  }
  return E.right(rows);
};

/** Not closed, or something held: the rows an operator must see first. */
export const needsAttention = (r: BreakerRow): boolean => r.state !== 'closed' || r.held > 0;
