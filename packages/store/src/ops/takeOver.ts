import {
  type AttemptItem,
  attemptRequestOfState,
  describeTransitionError,
  isFinal,
  type Lease,
  type StateItem,
  transition,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { AlreadyFinal, type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import type { ConditionFailure } from '../errors/toStoreError.js';
import { attemptKey, attemptSk, STATE_SK } from '../keys.js';
import { buildAttempt } from './attemptItem.js';
import { expiryAttribute, stateUpdate } from './stateUpdate.js';
import { putOnce, writeEvent } from './writeEvent.js';

// ---------------------------------------------------------------------------
// The claim as the write-ahead record (invariant 5). A PROCESSING message whose lease expired
// has a claim that never ended in an attempt: its writer died, overran, or could not record
// what it saw. Taking it over, ONE TransactWriteItems first appends that claim's attempt as
// `lost` (ATTEMPT#n, immutable; the request may have been sent, so it counts toward
// maxAttempts), then claims attempt n+1 with a fresh lease; or, when `lost` exhausted the
// message, leaves it final. Kept apart from the fresh claim (claim.ts), which needs no read.
// ---------------------------------------------------------------------------

export type TakeOver =
  | { readonly kind: 'claimed'; readonly state: StateItem; readonly lost: AttemptItem }
  | { readonly kind: 'exhausted'; readonly state: StateItem; readonly lost: AttemptItem };

/** The expired lease's attempt: classified by core (category `lost`, its exhaustion rule). */
const lostAttempt = (env: Env, old: StateItem, now: Date, ctx: ErrorContext): E.Either<StoreError, AttemptItem> => {
  const expired = old.lease;
  const leaseId = expired?.leaseId ?? 'none';
  return buildAttempt(
    env,
    {
      messageId: old.messageId,
      correlationId: old.correlationId,
      request: attemptRequestOfState(old.request),
      attemptId: env.newId(),
      leaseId,
      startedAt: new Date(expired?.claimedAt ?? old.lastUpdatedAt),
      completedAt: now,
      responseHeaders: null,
      // classified with the configured retry policy, like any attempt (buildAttempt)
      observation: {
        kind: 'lost',
        leaseId,
        claimedAt: expired?.claimedAt ?? old.lastUpdatedAt,
        expiresAt: expired?.expiresAt ?? old.lastUpdatedAt,
      },
    },
    old.attempts + 1,
    old.maxAttempts,
    false,
    ctx,
  );
};

type Plan = { readonly lost: AttemptItem; readonly after: StateItem; readonly exhausted: boolean };

/** `after = transition(old, lost)` from core, then (unless final) the claim of the next number. */
const plan = (env: Env, old: StateItem, lease: Lease, now: Date, ctx: ErrorContext): E.Either<StoreError, Plan> =>
  pipe(
    lostAttempt(env, old, now, ctx),
    E.chain(
      (lost): E.Either<StoreError, Plan> =>
        pipe(
          transition(old, lost),
          E.bimap(
            (e): StoreError => Invalid({ ...ctx, attemptNumber: lost.attemptNumber }, describeTransitionError(e)),
            (recorded): Plan =>
              isFinal(recorded)
                ? { lost, after: recorded, exhausted: true }
                : { lost, after: { ...recorded, status: 'PROCESSING', lease }, exhausted: false },
          ),
        ),
    ),
  );

/**
 * Records the expired lease of `old` as a lost attempt and claims the next number under
 * `lease`, in one transaction conditioned on `old` (same attempt count, status and expired
 * lease: a late append of that lease's writer, or a racing claimer, makes it fail as a
 * ConditionFailure; the caller reads again). Exhausted: the message is left final FAILED
 * and the claim is refused with AlreadyFinal.
 */
export const takeOver = (
  env: Env,
  old: StateItem,
  lease: Lease,
  ctx: ErrorContext,
): TE.TaskEither<StoreError | ConditionFailure, TakeOver> => {
  const now = new Date(lease.claimedAt);
  return pipe(
    TE.fromEither(plan(env, old, lease, now, ctx)),
    TE.chain(({ lost, after, exhausted }) => {
      const n = lost.attemptNumber;
      return pipe(
        writeEvent(
          env,
          { ...ctx, attemptNumber: n },
          [attemptSk(n), STATE_SK],
          [
            // an attempt is written once: a late append of the expired lease loses here; retention:
            // a `lost` that exhausts the message carries its TTL, as a final append's does
            putOnce(env, { ...attemptKey(old.messageId, n), ...lost, ...expiryAttribute(env, after) }),
            stateUpdate(env, old, after, { kind: 'takeover', leaseId: old.lease?.leaseId ?? null }),
          ],
          [old.messageId, n, lease.leaseId, 'takeover'],
        ),
        TE.map((): TakeOver => ({ kind: exhausted ? 'exhausted' : 'claimed', state: after, lost })),
      );
    }),
    TE.chainFirstIOK((r) => () => {
      env.logger.warn('lease expired without a recorded attempt: recorded as lost', {
        op: ctx.op,
        messageId: old.messageId,
        attempt: r.lost.attemptNumber,
        expiredLease: r.lost.leaseId,
        exhausted: r.kind === 'exhausted',
      });
    }),
  );
};

/** The refusal of a claim that recorded `lost` as the last attempt the message had. */
export const exhaustedByLost = (t: TakeOver, ctx: ErrorContext): StoreError =>
  AlreadyFinal(
    {
      ...ctx,
      correlationId: t.state.correlationId,
      item: STATE_SK,
      status: 'FAILED',
      attempts: t.state.attempts,
    },
    `message ${t.state.messageId} is final: attempt ${t.lost.attemptNumber} was recorded as lost (lease ${t.lost.leaseId} expired) and exhausted its ${t.state.maxAttempts} attempts`,
  );
