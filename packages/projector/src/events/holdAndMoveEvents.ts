import { tableKeys } from '@delivery-history/store';
import {
  type BreakerMoveItem,
  type HoldItem,
  type OperatorEvent,
  operatorEventsOf,
  breaker,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { ProjectorDeps } from '../apply/deps.js';
import { storeOf } from '../apply/storeOf.js';

// ---------------------------------------------------------------------------
// Operator events of the records that are not audit-trail work: a hold that ended in expiry
// (`delivery.held_expired`) and an operator's or receiver's breaker change (MOVE#:
// `endpoint.paused`, `.resumed`, `.disabled`). Ids are those of the items, so a replayed batch
// publishes the same ids again (consumers dedupe).
// ---------------------------------------------------------------------------

/** The `held` event an `expired` one ended: the one before it by number (read when not in the batch). */
const heldBefore = async (deps: ProjectorDeps, h: HoldItem, batch: readonly HoldItem[]): Promise<HoldItem | null> => {
  const inBatch = batch.find((x) => x.messageId === h.messageId && x.holdNumber === h.holdNumber - 1);
  if (inBatch !== undefined) return inBatch;
  const read = await storeOf(deps).getHistory(h.messageId)();
  return E.isRight(read) ? (read.right.holds.find((x) => x.holdNumber === h.holdNumber - 1) ?? null) : null;
};

/** An expired hold's event, with STATE's endpoint and correlation id (best effort: '' when unreadable). */
const expiredEvents = async (
  deps: ProjectorDeps,
  h: HoldItem,
  batch: readonly HoldItem[],
): Promise<OperatorEvent[]> => {
  if (h.kind !== 'expired') return [];
  const state = await storeOf(deps).getState(h.messageId)();
  const context = E.isRight(state)
    ? { endpoint: state.right.endpoint, correlationId: state.right.correlationId }
    : null;
  const heldFor = await heldBefore(deps, h, batch);
  return operatorEventsOf({ kind: 'hold', sortKey: tableKeys.holdSk(h.holdNumber), hold: h, context, heldFor });
};

export const holdAndMoveEvents = async (
  deps: ProjectorDeps,
  holds: readonly HoldItem[],
  moves: readonly BreakerMoveItem[],
): Promise<OperatorEvent[]> => {
  const expired: OperatorEvent[] = [];
  // expiries are rare (held past retention): one STATE read each is fine
  for (const h of holds) expired.push(...(await expiredEvents(deps, h, holds)));
  return [...expired, ...breaker.eventsOf(moves, [])];
};
