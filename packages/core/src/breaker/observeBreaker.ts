import { deepEqual } from '../state/projection.js';
import type { BreakerObservation } from './breakerObservation.js';
import { type BreakerSettings, coolOffOf, WARNING_LEVELS } from './breakerSettings.js';
import {
  type BreakerMode,
  type BreakerState,
  type BreakerTransition,
  type BreakerWarning,
  WINDOW_BUCKETS,
  type WindowBucket,
} from './breakerState.js';

// ---------------------------------------------------------------------------
// model: the result of applying observations (what the projector writes and publishes)
// ---------------------------------------------------------------------------

export interface BreakerStep {
  readonly state: BreakerState;
  /** Whether `state` differs from the input (the store writes only then, version + 1). */
  readonly changed: boolean;
  readonly transitions: ReadonlyArray<BreakerTransition>;
  readonly warnings: ReadonlyArray<BreakerWarning>;
}

interface Acc {
  readonly state: BreakerState;
  readonly transitions: BreakerTransition[];
  readonly warnings: BreakerWarning[];
}

const BREAKER = 'breaker';

// ---------------------------------------------------------------------------
// the rate window
// ---------------------------------------------------------------------------

const ms = (iso: string): number => Date.parse(iso);

const bucketMs = (s: BreakerSettings): number => Math.max(1, Math.floor(s.windowMs / WINDOW_BUCKETS));

const live = (window: ReadonlyArray<WindowBucket>, now: number, s: BreakerSettings): WindowBucket[] =>
  window.filter((b) => ms(b.start) > now - s.windowMs);

/** Adds a counted observation to its bucket, dropping buckets that left the window. */
const addToWindow = (
  window: ReadonlyArray<WindowBucket>,
  at: string,
  ok: boolean,
  s: BreakerSettings,
): WindowBucket[] => {
  const size = bucketMs(s);
  const start = new Date(Math.floor(ms(at) / size) * size).toISOString();
  const kept = live(window, ms(at), s);
  const i = kept.findIndex((b) => b.start === start);
  const prev = i >= 0 ? kept[i] : undefined;
  const next = { start, ok: (prev?.ok ?? 0) + (ok ? 1 : 0), fail: (prev?.fail ?? 0) + (ok ? 0 : 1) };
  const out = i >= 0 ? kept.map((b, j) => (j === i ? next : b)) : [...kept, next];
  return out.sort((a, b) => a.start.localeCompare(b.start)).slice(-WINDOW_BUCKETS);
};

const totals = (window: ReadonlyArray<WindowBucket>, now: number, s: BreakerSettings) =>
  live(window, now, s).reduce((t, b) => ({ ok: t.ok + b.ok, fail: t.fail + b.fail }), { ok: 0, fail: 0 });

/** Why a closed breaker trips now, or null: the streak (any volume) or the rate (enough volume). */
export const tripReasonOf = (state: BreakerState, now: string, s: BreakerSettings): string | null => {
  if (state.streak >= s.tripStreak) return `${state.streak} consecutive retryable failures`;
  const { ok, fail } = totals(state.window, ms(now), s);
  const n = ok + fail;
  if (n >= s.minRequests && fail / n >= s.failureRate)
    return `failure rate ${Math.round((100 * fail) / n)}% over ${n} deliveries in ${Math.round(s.windowMs / 60_000)} min`;
  return null;
};

// ---------------------------------------------------------------------------
// moves
// ---------------------------------------------------------------------------

const move = (acc: Acc, to: BreakerMode, reason: string, at: string, patch: Partial<BreakerState>): Acc => {
  const from = acc.state.mode;
  const state: BreakerState = { ...acc.state, ...patch, mode: to, reason, by: BREAKER, since: at };
  const transition: BreakerTransition = { endpoint: state.endpoint, from, to, reason, by: BREAKER, at, version: 0 };
  return { ...acc, state, transitions: [...acc.transitions, transition] };
};

/** A close that lasted `stableMs` forgets earlier trips; a quick relapse grows the cool-off. */
const tripsAfter = (state: BreakerState, at: string, s: BreakerSettings): number =>
  state.mode === 'closed' && ms(at) - ms(state.since) >= s.stableMs ? 1 : state.trips + 1;

const open = (acc: Acc, reason: string, at: string, s: BreakerSettings): Acc => {
  const trips = tripsAfter(acc.state, at, s);
  const openUntil = new Date(ms(at) + coolOffOf(trips, s)).toISOString();
  return move(acc, 'open', reason, at, { trips, openUntil, probe: null, window: [] });
};

const close = (acc: Acc, reason: string, at: string): Acc =>
  move(acc, 'closed', reason, at, { openUntil: null, probe: null, window: [] });

const warn = (acc: Acc, at: string, s: BreakerSettings): Acc => {
  if (s.disableStreak <= 0) return acc;
  const due = WARNING_LEVELS.filter(
    (l) => l > acc.state.warned && acc.state.streak >= Math.ceil((s.disableStreak * l) / 100),
  );
  const level = due.at(-1);
  if (level === undefined) return acc;
  const w: BreakerWarning = {
    endpoint: acc.state.endpoint,
    level,
    streak: acc.state.streak,
    disableStreak: s.disableStreak,
    at,
    version: 0,
  };
  return { ...acc, state: { ...acc.state, warned: level }, warnings: [...acc.warnings, w] };
};

// ---------------------------------------------------------------------------
// one observation
// ---------------------------------------------------------------------------

const onOk = (acc: Acc, o: BreakerObservation): Acc => {
  const reset = { ...acc, state: { ...acc.state, streak: 0, warned: 0 } };
  const m = acc.state.mode;
  if (m === 'open' || m === 'half_open') {
    const probe = acc.state.probe?.messageId === o.messageId;
    return close(reset, probe ? 'probe succeeded' : 'a delivery succeeded', o.at);
  }
  return reset;
};

/**
 * A failure seen while open, or while half-open from another message than the probe, was sent
 * before the workers knew of the trip (in flight, the projector's decision lag, a cache within
 * its staleness): no new evidence. It neither extends the streak nor re-opens: otherwise a busy
 * endpoint's backlog of such failures (hundreds in one decision lag) would reach the disable
 * streak within seconds of the trip, and one late failure would fail the probe.
 */
const sentBeforeTheTrip = (state: BreakerState, o: BreakerObservation): boolean =>
  state.mode === 'open' || (state.mode === 'half_open' && state.probe?.messageId !== o.messageId);

const onFail = (acc0: Acc, o: BreakerObservation, s: BreakerSettings): Acc => {
  if (sentBeforeTheTrip(acc0.state, o)) return acc0;
  const acc = warn({ ...acc0, state: { ...acc0.state, streak: acc0.state.streak + 1 } }, o.at, s);
  const m = acc.state.mode;
  if (m === 'paused' || m === 'disabled') return acc;
  if (s.disableStreak > 0 && acc.state.streak >= s.disableStreak)
    return move(acc, 'disabled', `${acc.state.streak} consecutive retryable failures`, o.at, {
      openUntil: null,
      probe: null,
    });
  if (m === 'half_open') return open(acc, 'probe failed', o.at, s);
  const why = tripReasonOf(acc.state, o.at, s);
  return why === null ? acc : open(acc, why, o.at, s);
};

const applyOne = (acc: Acc, o: BreakerObservation, s: BreakerSettings): Acc => {
  if (o.marker <= acc.state.seen) return acc; // already counted (a replayed stream batch)
  const counted =
    o.verdict === 'neutral' ? acc.state.window : addToWindow(acc.state.window, o.at, o.verdict === 'ok', s);
  const next: Acc = { ...acc, state: { ...acc.state, seen: o.marker, window: counted } };
  switch (o.verdict) {
    case 'ok':
      return onOk(next, o);
    case 'fail':
      return onFail(next, o, s);
    case 'neutral':
      return next; // no verdict on the endpoint; a neutral probe's lease runs out and another goes
  }
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Applies one endpoint's observations (any order; those at or before `state.seen` are skipped,
 * so a replayed batch changes nothing) and returns the new state, the mode changes and the
 * warnings. Pure: the projector calls it after each batch and writes the state conditionally.
 */
export const observeBreaker = (
  state: BreakerState,
  observations: ReadonlyArray<BreakerObservation>,
  s: BreakerSettings,
): BreakerStep => {
  const sorted = observations
    .filter((o) => o.endpoint === state.endpoint)
    .sort((a, b) => a.marker.localeCompare(b.marker));
  const acc = sorted.reduce<Acc>((a, o) => applyOne(a, o, s), { state, transitions: [], warnings: [] });
  const changed = !deepEqual(acc.state, state);
  const version = changed ? state.version + 1 : state.version;
  return {
    state: { ...acc.state, version },
    changed,
    transitions: acc.transitions.map((t) => ({ ...t, version })),
    warnings: acc.warnings.map((w) => ({ ...w, version })),
  };
};
