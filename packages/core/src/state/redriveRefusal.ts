import * as E from 'fp-ts/lib/Either.js';
import type { RedriveItem, StateItem } from '../codecs/items.js';
import { deliveryRequestOf, describeRequestRefusal, type RequestRefusal } from '../request/deliveryRequestOf.js';
import { transition } from './transition.js';
import { describeTransitionError, type TransitionError } from './transitionError.js';

// Whether a re-drive may be written now: `transition`'s refusal (not final FAILED, out of
// sequence, a limit that leaves no attempt), then whether there is a request to deliver.
// The second half is not in `transition`: fold replays re-drives written before a later
// expunge, and those stay valid history.

export type RedriveRefusal = TransitionError | RequestRefusal;

/** The next re-drive of `state` (REDRIVE#k, k = redrives + 1, after its last attempt). */
export const nextRedrive = (
  state: StateItem,
  input: { readonly requestedBy: string; readonly reason: string; readonly maxAttempts: number; readonly at: string },
): RedriveItem => ({
  type: 'REDRIVE',
  messageId: state.messageId,
  redriveNumber: state.redrives + 1,
  afterAttempt: state.attempts,
  maxAttempts: input.maxAttempts,
  requestedBy: input.requestedBy,
  reason: input.reason,
  at: input.at,
});

/** Null when `redrive` may be appended to `state`; otherwise why not. */
export const redriveRefusal = (state: StateItem, redrive: RedriveItem): RedriveRefusal | null => {
  const moved = transition(state, redrive);
  if (E.isLeft(moved)) return moved.left;
  const request = deliveryRequestOf(state);
  return E.isLeft(request) ? request.left : null;
};

export const describeRedriveRefusal = (r: RedriveRefusal): string =>
  r._tag === 'ContentExpunged' || r._tag === 'BodyNotStored' || r._tag === 'RequestNotRebuilt'
    ? describeRequestRefusal(r)
    : describeTransitionError(r);
