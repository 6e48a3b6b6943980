import * as E from 'fp-ts/lib/Either.js';
import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem, RedriveItem, StateItem } from '../codecs/items.js';
import { type StateEvent, transition } from './transition.js';
import type { TransitionError } from './transitionError.js';

export type EventKey = readonly [number, number, number, number, number];

/** Attempt n; then redrive r after it; then hold h after redrive r (hold events record both). */
export const keyOf = (e: StateEvent): EventKey => {
  switch (e.type) {
    case 'ATTEMPT':
      return [e.attemptNumber, 0, 0, 0, 0];
    case 'REDRIVE':
      return [e.afterAttempt, 1, e.redriveNumber, 0, 0];
    case 'HOLD':
      return [e.afterAttempt, 1, e.afterRedrive, 1, e.holdNumber];
  }
};

export const compareKeys = (a: EventKey, b: EventKey): number => {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/**
 * Events in replay order: attempts by attemptNumber; a redrive right after the
 * attempt it follows (`afterAttempt`), redrives after the same attempt by number;
 * a hold event after the attempt and the redrive it followed, hold events by number.
 * Input order does not matter.
 */
export const orderEvents = (
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
): StateEvent[] => [...attempts, ...redrives, ...holds].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));

/**
 * The projection from a seed (the STATE as created: PENDING, attempts 0) and the
 * stored events, by the same `transition` the live path uses. Needs no clock or
 * config: every decision is recorded on the attempts.
 */
export const fold = (
  seed: StateItem,
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
): E.Either<TransitionError, StateItem> =>
  orderEvents(attempts, redrives, holds).reduce<E.Either<TransitionError, StateItem>>(
    (acc, event) => (E.isLeft(acc) ? acc : transition(acc.right, event)),
    E.right(seed),
  );

/**
 * The seed of a stored STATE: its fold-determined fields reset to their values at
 * creation (PENDING, 0 attempts, no result, retryEligible true, no lease/redrives/holds).
 * `maxAttempts` is kept: only a redrive changes it, and fold re-applies redrives (the seed's
 * value is overwritten by the last redrive's; the request's own limit is `request.maxAttempts`).
 */
export const seedOf = ({ holds: _holds, ...state }: StateItem): StateItem => ({
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
