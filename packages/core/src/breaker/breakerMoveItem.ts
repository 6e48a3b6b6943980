import * as t from 'io-ts';
import { IsoTimestamp, NonNegativeInt } from '../codecs/primitives.js';
import { BreakerMode, type BreakerTransition } from './breakerState.js';

// ---------------------------------------------------------------------------
// MOVE#<version> in the endpoint's move log (`EPMOVE#<endpoint>`): an immutable record of a
// breaker change made by an operator (`dh endpoints pause|resume`) or a receiver
// (`webhook-delivery: disable`), written in the same transaction as the breaker, so the change
// is audited (who, why, when) and its operator event is published from the stream, once per id.
// The breaker's own trips and recoveries are published by the projector that decides them.
// ---------------------------------------------------------------------------

export const BreakerMoveItem = t.exact(
  t.type(
    {
      type: t.literal('MOVE'),
      endpoint: t.string,
      from: BreakerMode,
      to: BreakerMode,
      reason: t.string,
      by: t.string,
      at: IsoTimestamp,
      version: NonNegativeInt,
    },
    'BreakerMoveItem',
  ),
  'BreakerMoveItem',
);
export type BreakerMoveItem = t.TypeOf<typeof BreakerMoveItem>;

export const moveItemOf = (m: BreakerTransition): BreakerMoveItem => ({
  type: 'MOVE',
  endpoint: m.endpoint,
  from: m.from,
  to: m.to,
  reason: m.reason,
  by: m.by,
  at: m.at,
  version: m.version,
});
