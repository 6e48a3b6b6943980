import * as E from 'fp-ts/lib/Either.js';
import type { HoldItem } from '../codecs/holdItem.js';
import type { StateItem } from '../codecs/items.js';
import type { DeliveryResult } from '../codecs/outcome.js';
import { NotHoldable, StaleHold, type TransitionError } from './transitionError.js';

// ---------------------------------------------------------------------------
// The hold branch of `transition` (invariant 11): a hold spends no attempt and no retry budget;
// `attempts`, `maxAttempts`, `deliveryResult` and `lastDeliveryAttempt` are untouched except by
// `expired`, which makes the message final with its own category.
// ---------------------------------------------------------------------------

/** The code of a message made final because it was held past its retention. */
export const HELD_EXPIRED_CODE = 'HELD_EXPIRED';

const holdsOf = (s: StateItem): number => s.holds ?? 0;

const place = (n: number, attempts: number, redrives: number): string =>
  `#${n} after attempt ${attempts} and redrive ${redrives}`;

const checkSequence = (state: StateItem, h: HoldItem): TransitionError | undefined => {
  const expected = place(holdsOf(state) + 1, state.attempts, state.redrives);
  const got = place(h.holdNumber, h.afterAttempt, h.afterRedrive);
  return expected === got ? undefined : StaleHold(state.messageId, expected, got);
};

/** Held from a message no worker owns and that is not final: PENDING, or a scheduled retry. */
const holdable = (s: StateItem): boolean => s.status === 'PENDING' || (s.status === 'FAILED' && s.retryEligible);

const checkStatus = (state: StateItem, h: HoldItem): TransitionError | undefined => {
  const ok = h.kind === 'held' ? holdable(state) : state.status === 'HELD';
  return ok ? undefined : NotHoldable(state.messageId, h.kind, state.status);
};

const expiredResult = (state: StateItem, h: HoldItem): DeliveryResult => ({
  success: false,
  retryEligible: false,
  category: 'held_expired',
  statusCode: null,
  statusText: null,
  responseTime: 0,
  errorDetails: {
    code: HELD_EXPIRED_CODE,
    message: `held past its retention, not delivered (${h.reason})`,
    category: 'held_expired',
    responseSnippet: null,
  },
  timestamp: h.at,
  correlationId: state.correlationId,
});

const after = (state: StateItem, h: HoldItem): StateItem => {
  const moved = { ...state, holds: h.holdNumber, lastUpdatedAt: h.at, lease: null, nextAttemptAt: null };
  switch (h.kind) {
    case 'held':
      return { ...moved, status: 'HELD' };
    case 'released':
      return { ...moved, status: 'PENDING', retryEligible: true };
    case 'expired':
      return { ...moved, status: 'FAILED', retryEligible: false, deliveryResult: expiredResult(state, h) };
  }
};

export const applyHold = (state: StateItem, h: HoldItem): E.Either<TransitionError, StateItem> => {
  const refused = checkStatus(state, h) ?? checkSequence(state, h);
  return refused === undefined ? E.right(after(state, h)) : E.left(refused);
};
