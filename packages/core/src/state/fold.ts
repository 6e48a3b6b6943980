import * as E from 'fp-ts/lib/Either.js';
import type { AttemptItem, RedriveItem, StateItem } from '../codecs/items.js';
import { type StateEvent, transition } from './transition.js';
import type { TransitionError } from './transitionError.js';

/**
 * Events in replay order: attempts by attemptNumber; a redrive right after the
 * attempt it follows (`afterAttempt`), redrives after the same attempt by number.
 * Input order does not matter.
 */
export const orderEvents = (
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
): StateEvent[] => {
  const key = (e: StateEvent): [number, number, number] =>
    e.type === 'ATTEMPT' ? [e.attemptNumber, 0, 0] : [e.afterAttempt, 1, e.redriveNumber];
  return [...attempts, ...redrives].sort((a, b) => {
    const [a1, a2, a3] = key(a);
    const [b1, b2, b3] = key(b);
    return a1 - b1 || a2 - b2 || a3 - b3;
  });
};

/**
 * The projection from a seed (the STATE as created: PENDING, attempts 0) and the
 * stored events, by the same `transition` the live path uses. Needs no clock or
 * config: every decision is recorded on the attempts.
 */
export const fold = (
  seed: StateItem,
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
): E.Either<TransitionError, StateItem> =>
  orderEvents(attempts, redrives).reduce<E.Either<TransitionError, StateItem>>(
    (acc, event) => (E.isLeft(acc) ? acc : transition(acc.right, event)),
    E.right(seed),
  );

/**
 * The seed of a stored STATE: its fold-determined fields reset to their values at
 * creation (PENDING, 0 attempts, no result, retryEligible true, no lease/redrives).
 * `maxAttempts` is kept: only a redrive changes it, and fold re-applies redrives (the seed's
 * value is overwritten by the last redrive's; the request's own limit is `request.maxAttempts`).
 */
export const seedOf = (state: StateItem): StateItem => ({
  ...state,
  status: 'PENDING',
  attempts: 0,
  deliveryResult: null,
  lastDeliveryAttempt: null,
  lastUpdatedAt: state.createdAt,
  retryEligible: true,
  nextAttemptAt: null,
  lease: null,
  redrives: 0,
});
