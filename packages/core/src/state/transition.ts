import * as E from 'fp-ts/lib/Either.js';
import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem, RedriveItem, StateItem } from '../codecs/items.js';
import { applyHold } from './applyHold.js';
import {
  AlreadyFinal,
  InvalidEvent,
  NotRedrivable,
  StaleAttempt,
  StaleRedrive,
  type TransitionError,
  WrongMessage,
} from './transitionError.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** An event is a stored item: an attempt (live or superseded), a redrive or a hold event. */
export type StateEvent = AttemptItem | RedriveItem | HoldItem;

/** Final = SUCCESS, or FAILED with retryEligible false. */
export const isFinal = (s: Pick<StateItem, 'status' | 'retryEligible'>): boolean =>
  s.status === 'SUCCESS' || (s.status === 'FAILED' && !s.retryEligible);

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const checkAttempt = (state: StateItem, a: AttemptItem): TransitionError | undefined => {
  if (a.attemptNumber !== state.attempts + 1) return StaleAttempt(state.messageId, state.attempts + 1, a.attemptNumber);
  if (a.superseded) return undefined;
  if (isFinal(state)) return AlreadyFinal(state.messageId, state.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED');
  const r = a.deliveryResult;
  if ((a.status === 'SUCCESS') !== r.success)
    return InvalidEvent(state.messageId, 'status disagrees with deliveryResult.success');
  if (r.success && r.retryEligible) return InvalidEvent(state.messageId, 'a success cannot be retryEligible');
  if ((a.nextAttemptAt !== null) !== (a.status === 'FAILED' && r.retryEligible))
    return InvalidEvent(state.messageId, 'nextAttemptAt must be set exactly when FAILED and retryEligible');
  return undefined;
};

const applyAttempt = (state: StateItem, a: AttemptItem): E.Either<TransitionError, StateItem> => {
  const refused = checkAttempt(state, a);
  if (refused !== undefined) return E.left(refused);
  // protocol 4: a superseded attempt only counts; it does not move status/result/lease
  if (a.superseded) return E.right({ ...state, attempts: a.attemptNumber, lastUpdatedAt: a.completedAt });
  return E.right({
    ...state,
    status: a.status,
    attempts: a.attemptNumber,
    deliveryResult: a.deliveryResult,
    lastDeliveryAttempt: a.completedAt,
    lastUpdatedAt: a.completedAt,
    retryEligible: a.deliveryResult.retryEligible,
    nextAttemptAt: a.nextAttemptAt,
    lease: null,
  });
};

const applyRedrive = (state: StateItem, r: RedriveItem): E.Either<TransitionError, StateItem> => {
  if (!(state.status === 'FAILED' && !state.retryEligible))
    return E.left(NotRedrivable(state.messageId, state.status, state.retryEligible));
  if (r.redriveNumber !== state.redrives + 1 || r.afterAttempt !== state.attempts)
    return E.left(
      StaleRedrive(
        state.messageId,
        { redrive: state.redrives + 1, afterAttempt: state.attempts },
        { redrive: r.redriveNumber, afterAttempt: r.afterAttempt },
      ),
    );
  if (r.maxAttempts <= state.attempts)
    return E.left(
      InvalidEvent(state.messageId, `redrive maxAttempts ${r.maxAttempts} leaves no attempt after ${state.attempts}`),
    );
  // protocol 5: a redrive reopens a final FAILED message
  return E.right({
    ...state,
    status: 'PENDING',
    retryEligible: true,
    nextAttemptAt: null,
    maxAttempts: r.maxAttempts,
    redrives: r.redriveNumber,
    lastUpdatedAt: r.at,
    lease: null,
  });
};

/**
 * The one state machine, used by the live path and by `fold`. Refusals:
 * `StaleAttempt` (number != attempts + 1), `AlreadyFinal` (live attempt on a final
 * message), `NotRedrivable`/`StaleRedrive` (redrive not on a final FAILED state or
 * out of sequence), `WrongMessage`, `InvalidEvent` (self-contradicting attempt),
 * `NotHoldable`/`StaleHold` (a hold event in the wrong status or out of sequence).
 */
export const transition = (state: StateItem, event: StateEvent): E.Either<TransitionError, StateItem> => {
  if (event.messageId !== state.messageId) return E.left(WrongMessage(state.messageId, event.messageId));
  switch (event.type) {
    case 'ATTEMPT':
      return applyAttempt(state, event);
    case 'REDRIVE':
      return applyRedrive(state, event);
    case 'HOLD':
      return applyHold(state, event);
  }
};
