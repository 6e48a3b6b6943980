import * as t from 'io-ts';
import { IsoTimestamp, NonNegativeInt, nullable } from '../codecs/primitives.js';

// ---------------------------------------------------------------------------
// model: one endpoint's breaker, as stored (the store decodes it with this codec)
// ---------------------------------------------------------------------------

export const BreakerMode = t.keyof(
  { closed: null, open: null, half_open: null, paused: null, disabled: null },
  'closed|open|half_open|paused|disabled',
);
export type BreakerMode = t.TypeOf<typeof BreakerMode>;

/** The rate window is this many buckets of `windowMs / WINDOW_BUCKETS` (bounded item size). */
export const WINDOW_BUCKETS = 6;

const WindowBucket = t.type({ start: IsoTimestamp, ok: NonNegativeInt, fail: NonNegativeInt }, 'WindowBucket');
export type WindowBucket = t.TypeOf<typeof WindowBucket>;

const Probe = t.type({ messageId: t.string, until: IsoTimestamp }, 'Probe');

export const BreakerState = t.exact(
  t.type(
    {
      endpoint: t.string,
      mode: BreakerMode,
      /** Why it is in this mode (operator text, or what tripped it). */
      reason: t.string,
      /** Who put it there: `breaker`, or the operator / receiver. */
      by: t.string,
      since: IsoTimestamp,
      /** +1 on every change: the store's conditional update compares it. */
      version: NonNegativeInt,
      /** Consecutive retryable failures since the last success. */
      streak: NonNegativeInt,
      window: t.array(WindowBucket),
      /** Consecutive trips without a stable close (drives the cool-off). */
      trips: NonNegativeInt,
      /** Open: no probe before this. */
      openUntil: nullable(IsoTimestamp),
      /** Half-open: the one delivery let through, and until when its worker owns it. */
      probe: nullable(Probe),
      /** Highest warning level (percent of the disable streak) sent in this streak; 0 = none. */
      warned: NonNegativeInt,
      /** The newest observation applied (`completedAt#messageId#n`): a replayed batch is not counted twice. */
      seen: t.string,
    },
    'BreakerState',
  ),
  'BreakerState',
);
export type BreakerState = t.TypeOf<typeof BreakerState>;

/** A breaker nobody has written yet: closed, empty. */
export const initialBreaker = (endpoint: string, at: string): BreakerState => ({
  endpoint,
  mode: 'closed',
  reason: 'initial',
  by: 'breaker',
  since: at,
  version: 0,
  streak: 0,
  window: [],
  trips: 0,
  openUntil: null,
  probe: null,
  warned: 0,
  seen: '',
});

/** A change of mode, for operator events and for counting (hysteresis tests). */
export interface BreakerTransition {
  readonly endpoint: string;
  readonly from: BreakerMode;
  readonly to: BreakerMode;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  /** The breaker's version after the change (with the endpoint: a stable event id). */
  readonly version: number;
}

/** The disable streak is getting close. */
export interface BreakerWarning {
  readonly endpoint: string;
  readonly level: number;
  readonly streak: number;
  readonly disableStreak: number;
  readonly at: string;
  readonly version: number;
}
