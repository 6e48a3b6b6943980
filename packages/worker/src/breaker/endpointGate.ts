import {
  type BreakerSettings,
  type BreakerState,
  type DeliveryRequest,
  endpointOf,
  breaker,
} from '@delivery-history/core';
import type { Store, StoreError, StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { BreakerCache } from './breakerCache.js';

type Created = StoreResult<'createMessage'>;
type Held = StoreResult<'appendHold'>;

// ---------------------------------------------------------------------------
// What the worker asks before it claims: deliver, deliver as the half-open probe (taken by a
// conditional write, so exactly one worker sends it), or hold.
// ---------------------------------------------------------------------------

export type Admission =
  | { readonly kind: 'deliver'; readonly probe: boolean }
  | { readonly kind: 'hold'; readonly mode: string; readonly reason: string };

export interface EndpointGate {
  admit(url: string, messageId: string): Promise<Admission>;
  /**
   * Records the hold: creates STATE if the message is new (its request redacted by the caller),
   * then HOLD#k + STATE HELD. The record is then deleted from the queue (no DLQ cycling).
   */
  hold(request: DeliveryRequest, held: Extract<Admission, { kind: 'hold' }>): TE.TaskEither<StoreError, Held>;
  /** The receiver asked to stop (`webhook-delivery: disable`): pause its endpoint, audited. */
  pauseFor(url: string, reason: string): Promise<E.Either<string, void>>;
}

export type EndpointGateDeps = {
  readonly cache: BreakerCache;
  readonly settings: BreakerSettings;
  readonly store: Pick<Store, 'readBreaker' | 'writeBreaker' | 'appendHold' | 'createMessage'>;
  readonly clock: () => Date;
};

const DELIVER: Admission = { kind: 'deliver', probe: false };

/** Who a receiver-requested pause is recorded as. */
const RECEIVER = 'receiver';
const PAUSE_TRIES = 5;

/** The half-open take: one conditional write; losing it means another worker's probe is out. */
const probe = async (deps: EndpointGateDeps, state: BreakerState, messageId: string): Promise<Admission> => {
  const move = breaker.takeProbe(state, messageId, deps.clock(), deps.settings);
  if (E.isLeft(move)) return move.left.kind === 'hold' ? { ...move.left } : DELIVER;
  const written = await deps.store.writeBreaker(move.right.state, state.version)();
  if (E.isRight(written)) {
    deps.cache.set(state.endpoint, written.right);
    return { kind: 'deliver', probe: true };
  }
  const now = await deps.cache.refresh(state.endpoint);
  // closed meanwhile (the probe of another worker succeeded, an operator resumed): deliver
  if (breaker.gate(now, deps.clock().toISOString()).kind === 'deliver') return DELIVER;
  return { kind: 'hold', mode: now?.mode ?? 'half_open', reason: now?.reason ?? 'another worker probes' };
};

/**
 * The cached state, re-read first when it would hold on a view older than the cache's bound:
 * `get` answers a stale entry at once (re-reading it in the background), which on the happy
 * path costs nothing, but a hold on it would hold a message released by a close or resume
 * that this container has not seen yet (the drain waits only the bound after a close). Holds
 * are off the happy path; this read is one per stale endpoint, shared by concurrent records.
 */
const viewFor = async (deps: EndpointGateDeps, endpoint: string): Promise<BreakerState | null> => {
  const state = await deps.cache.get(endpoint);
  if (breaker.gate(state, deps.clock().toISOString()).kind === 'deliver' || !deps.cache.stale(endpoint)) return state;
  return deps.cache.refresh(endpoint);
};

export const createEndpointGate = (deps: EndpointGateDeps): EndpointGate => ({
  admit: async (url, messageId) => {
    const endpoint = endpointOf(url);
    if (endpoint === '') return DELIVER;
    const state = await viewFor(deps, endpoint);
    const gate = breaker.gate(state, deps.clock().toISOString());
    if (gate.kind === 'deliver' || state === null) return DELIVER;
    if (gate.kind === 'probe') return probe(deps, state, messageId);
    return { kind: 'hold', mode: gate.mode, reason: gate.reason };
  },
  pauseFor: async (url, reason) => {
    const endpoint = endpointOf(url);
    for (let i = 0; i < PAUSE_TRIES; i++) {
      const read = await deps.store.readBreaker(endpoint, true)();
      if (E.isLeft(read)) return E.left(read.left.message);
      const before = read.right ?? breaker.initial(endpoint, deps.clock().toISOString());
      if (before.mode === 'paused') return E.right(undefined);
      const move = breaker.pause(before, reason, RECEIVER, deps.clock().toISOString());
      const written = await deps.store.writeBreaker(move.state, before.version, move.transition)();
      if (E.isRight(written)) {
        deps.cache.set(endpoint, written.right);
        return E.right(undefined);
      }
      if (written.left._tag !== 'Conflict') return E.left(written.left.message);
    }
    return E.left(`breaker of ${endpoint} kept changing`);
  },
  hold: (request, held) =>
    pipe(
      deps.store.createMessage(request),
      TE.chain((created: Created) =>
        deps.store.appendHold({
          before: created.state,
          messageId: request.messageId,
          kind: 'held',
          mode: held.mode,
          reason: held.reason,
          by: 'breaker',
        }),
      ),
    ),
});
