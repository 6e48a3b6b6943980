import * as t from 'io-ts';
import { eventItem } from './eventItem.js';
import { IsoTimestamp, NonNegativeInt, PositiveInt } from './primitives.js';

// ---------------------------------------------------------------------------
// HOLD#k (`sk=HOLD#<k padded to 4>`): an immutable hold event in the message's partition
// (invariant 11). `held` parks the message (status HELD: no claim, no attempt, no retry budget
// spent), `released` makes it PENDING again (the drain re-enqueues it), `expired` makes it final
// (category held_expired) when it was held past its retention. fold, replay and verify apply
// them with the same transition as the live path.
// ---------------------------------------------------------------------------

export const HoldKind = t.keyof({ held: null, released: null, expired: null }, 'held|released|expired');
export type HoldKind = t.TypeOf<typeof HoldKind>;

export const HoldItem = eventItem('HOLD', 'HoldItem', {
  holdNumber: PositiveInt,
  kind: HoldKind,
  /** STATE.attempts and STATE.redrives when it was written: its place among the events. */
  afterAttempt: NonNegativeInt,
  afterRedrive: NonNegativeInt,
  /** The breaker mode behind it (open, half_open, paused, disabled), or `operator` / `retention`. */
  mode: t.string,
  reason: t.string,
  /** `breaker`, the worker, or the operator (audited). */
  by: t.string,
  at: IsoTimestamp,
});
export type HoldItem = t.TypeOf<typeof HoldItem>;
