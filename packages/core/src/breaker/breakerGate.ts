import * as E from 'fp-ts/lib/Either.js';
import type { BreakerSettings } from './breakerSettings.js';
import type { BreakerMode, BreakerState, BreakerTransition } from './breakerState.js';

// ---------------------------------------------------------------------------
// model: what the worker does with a message for this endpoint
// ---------------------------------------------------------------------------

/** `deliver`; `probe`: try to take the half-open probe (one across workers); `hold` it. */
export type Gate =
  | { readonly kind: 'deliver' }
  | { readonly kind: 'probe' }
  | { readonly kind: 'hold'; readonly mode: BreakerMode; readonly reason: string };

/** A state change asked for by a worker or an operator, with the change to publish. */
export interface BreakerMove {
  readonly state: BreakerState;
  readonly transition: BreakerTransition;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const hold = (s: BreakerState): Gate => ({ kind: 'hold', mode: s.mode, reason: s.reason });

/** Open until the cool-off ends, then half-open: a probe may go when no live probe is out. */
const probeAllowed = (s: BreakerState, now: string): boolean =>
  (s.openUntil === null || s.openUntil <= now) && (s.probe === null || s.probe.until <= now);

/** The worker's decision from a (possibly cached) state; null = no breaker item yet = closed. */
export const gateOf = (s: BreakerState | null, now: string): Gate => {
  if (s === null) return { kind: 'deliver' };
  switch (s.mode) {
    case 'closed':
      return { kind: 'deliver' };
    case 'open':
    case 'half_open':
      return probeAllowed(s, now) ? { kind: 'probe' } : hold(s);
    case 'paused':
    case 'disabled':
      return hold(s);
  }
};

const moved = (
  before: BreakerState,
  patch: Partial<BreakerState>,
  to: BreakerMode,
  reason: string,
  by: string,
  at: string,
): BreakerMove => {
  const state: BreakerState = { ...before, ...patch, mode: to, reason, by, since: at, version: before.version + 1 };
  return {
    state,
    transition: { endpoint: before.endpoint, from: before.mode, to, reason, by, at, version: state.version },
  };
};

/**
 * The half-open take: Right when this worker may send `messageId` as the probe (the store writes
 * it conditioned on `before.version`, so exactly one of racing workers wins), Left the hold.
 */
export const takeProbe = (
  before: BreakerState,
  messageId: string,
  now: Date,
  s: BreakerSettings,
): E.Either<Gate, BreakerMove> => {
  const at = now.toISOString();
  const gate = gateOf(before, at);
  if (gate.kind !== 'probe') return E.left(gate);
  const until = new Date(now.getTime() + s.probeLeaseMs).toISOString();
  return E.right(moved(before, { probe: { messageId, until } }, 'half_open', `probe ${messageId}`, 'breaker', at));
};

/** An operator's pause (held until resumed; the breaker keeps counting but does not move). */
export const pauseBreaker = (before: BreakerState, reason: string, by: string, at: string): BreakerMove =>
  moved(before, { openUntil: null, probe: null }, 'paused', reason, by, at);

/** An operator's resume (from paused, disabled or open): closed, with a clean slate. */
export const resumeBreaker = (before: BreakerState, reason: string, by: string, at: string): BreakerMove =>
  moved(before, { openUntil: null, probe: null, streak: 0, trips: 0, warned: 0, window: [] }, 'closed', reason, by, at);
