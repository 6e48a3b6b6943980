import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isFinal, type Lease, StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import {
  AlreadyFinal,
  Conflict,
  type ErrorContext,
  Leased,
  NotDue,
  NotFound,
  type StoreError,
} from '../errors/storeError.js';
import { type ConditionFailure, isConditionFailure } from '../errors/toStoreError.js';
import { STATE_SK, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { syncRetentionAfter } from './syncRetention.js';
import { exhaustedByLost, takeOver } from './takeOver.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** What a writer needs to append its attempt (spread-friendly, serialisable). */
export type AttemptTicket = {
  readonly messageId: string;
  readonly leaseId: string;
  /** The number to compute the outcome with: attempts + 1 at claim time. */
  readonly attemptNumber: number;
  readonly maxAttempts: number;
  readonly correlationId: string;
};

export type Claimed = { readonly state: StateItem; readonly lease: Lease; readonly ticket: AttemptTicket };

export type ClaimOptions = { readonly leaseMs?: number };

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

// Due (fresh) = PENDING; or FAILED, retry-eligible and nextAttemptAt passed. Evaluated
// atomically by DynamoDB, so two claimers can never both get a lease: the second sees
// PROCESSING with a live lease. A PROCESSING message whose lease expired is NOT claimed
// here: its claim never ended in an attempt, so it goes through takeOver (takeOver.ts),
// which records that attempt as `lost` in the same transaction as the new claim.
// Shared with the upsert (upsertClaim.ts): one definition of "due".
export const DUE_CLAUSE =
  '#status = :pending OR (#status = :failed AND retryEligible = :true AND (attribute_type(nextAttemptAt, :nullType) OR nextAttemptAt <= :now))';

/** The values DUE_CLAUSE names (`:now` = the claim's time). */
export const dueValues = (now: string) => ({
  ':pending': 'PENDING',
  ':failed': 'FAILED',
  ':true': true,
  ':nullType': 'NULL',
  ':now': now,
});

const DUE = `attribute_exists(pk) AND (${DUE_CLAUSE})`;

/** FAILED with a retry still to wait for: the claim answers NotDue, and so does a hold (appendHold). */
export const retryNotDue = (s: StateItem, now: string): boolean =>
  s.status === 'FAILED' && s.nextAttemptAt !== null && s.nextAttemptAt > now;

/** A record of a HELD message comes back after this (the drain releases right after it enqueues). */
export const HELD_RECHECK_MS = 5_000;

/** Rounds of (fresh claim refused -> take over -> someone moved it) before Conflict. */
export const MAX_CLAIM_ROUNDS = 4;

/** PROCESSING whose lease ran out (or that has none): its claim ended without an attempt. */
const expiredClaim = (s: StateItem, now: string): boolean =>
  s.status === 'PROCESSING' && (s.lease === null || s.lease.expiresAt <= now);

/** Why a message was not due, from the STATE DynamoDB returned with the refusal. */
const refusal = (old: StateItem, ctx: ErrorContext, leaseId: string, now: string): E.Either<StoreError, StateItem> => {
  // our own claim committed but the reply was lost (the retry then found our lease)
  if (old.status === 'PROCESSING' && old.lease?.leaseId === leaseId) return E.right(old);
  const full = { ...ctx, correlationId: old.correlationId, item: STATE_SK };
  if (isFinal(old)) {
    return E.left(
      AlreadyFinal({ ...full, status: old.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED', attempts: old.attempts }),
    );
  }
  if (old.status === 'PROCESSING' && old.lease !== null)
    return E.left(Leased({ ...full, expiresAt: old.lease.expiresAt }));
  if (retryNotDue(old, now) && old.nextAttemptAt !== null) {
    return E.left(NotDue({ ...full, nextAttemptAt: old.nextAttemptAt }));
  }
  // held for its endpoint (issue 27): a drain enqueues before it releases, so look again soon
  if (old.status === 'HELD') {
    const recheck = new Date(Date.parse(now) + HELD_RECHECK_MS).toISOString();
    return E.left(NotDue({ ...full, nextAttemptAt: recheck }, `message ${old.messageId} is held for its endpoint`));
  }
  return E.left(Conflict(full, `message ${old.messageId} changed during the claim (status ${old.status})`));
};

export const ticketOf = (messageId: string, state: StateItem, lease: Lease): Claimed => {
  const held = state.lease ?? lease;
  return {
    state,
    lease: held,
    ticket: {
      messageId,
      leaseId: held.leaseId,
      attemptNumber: state.attempts + 1,
      maxAttempts: state.maxAttempts,
      correlationId: state.correlationId,
    },
  };
};

/** The fresh claim: one conditional Update, no read. Left ConditionFailure carries ALL_OLD. */
const freshClaim = (
  env: Env,
  messageId: string,
  lease: Lease,
  ctx: ErrorContext,
): TE.TaskEither<StoreError | ConditionFailure, StateItem> =>
  pipe(
    send(env, ctx, [STATE_SK], () =>
      env.doc.send(
        new UpdateCommand({
          TableName: env.tableName,
          Key: stateKey(messageId),
          UpdateExpression: 'SET #status = :processing, lease = :lease REMOVE gsi1pk, gsi1sk',
          ConditionExpression: DUE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...dueValues(lease.claimedAt), ':processing': 'PROCESSING', ':lease': lease },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    ),
    TE.chainEitherKW((out) => decodeItem(StateItem, out.Attributes, { ...ctx, item: STATE_SK })),
  );

/**
 * A claim refused with `old` (the STATE DynamoDB returned): take an expired lease over (its
 * attempt is recorded as `lost`), else say why it was not due. Shared with the upsert.
 */
export const settleRefusal = (
  env: Env,
  messageId: string,
  lease: Lease,
  old: StateItem,
  rounds: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, StateItem> => {
  const now = lease.claimedAt;
  if (!expiredClaim(old, now) || old.lease?.leaseId === lease.leaseId)
    return TE.fromEither(refusal(old, ctx, lease.leaseId, now));
  return pipe(
    takeOver(env, old, lease, ctx),
    // a `lost` that made the message final moved STATE's TTL: the earlier items follow it
    TE.chain(syncRetentionAfter(env, messageId, (t) => t.kind === 'exhausted' && env.retentionDays !== null)),
    TE.chain((t) => (t.kind === 'exhausted' ? TE.left(exhaustedByLost(t, ctx)) : TE.right(t.state))),
    TE.orElse((e) =>
      // the expired lease's writer appended, or another claimer took over first: look again
      isConditionFailure(e) ? claimRound(env, messageId, lease, rounds - 1, ctx) : TE.left(e),
    ),
  );
};

/** The STATE a refused claim returned (ALL_OLD), decoded; none means the message does not exist. */
export const refusedState = (failure: ConditionFailure, ctx: ErrorContext): TE.TaskEither<StoreError, StateItem> => {
  const oldItem = failure.reasons[0]?.item;
  if (oldItem === undefined) return TE.left(NotFound(ctx));
  return TE.fromEither(decodeItem(StateItem, oldItem, { ...ctx, item: STATE_SK }));
};

/** After a refused fresh claim: decode ALL_OLD and settle. */
const afterRefusal = (
  env: Env,
  messageId: string,
  lease: Lease,
  failure: ConditionFailure,
  rounds: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, StateItem> =>
  pipe(
    refusedState(failure, ctx),
    TE.chain((old) => settleRefusal(env, messageId, lease, old, rounds, ctx)),
  );

const claimRound = (
  env: Env,
  messageId: string,
  lease: Lease,
  rounds: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, StateItem> =>
  rounds <= 0
    ? TE.left(Conflict({ ...ctx, item: STATE_SK }, `message ${messageId} kept changing during the claim`))
    : pipe(
        freshClaim(env, messageId, lease, ctx),
        TE.orElse((e) => (isConditionFailure(e) ? afterRefusal(env, messageId, lease, e, rounds, ctx) : TE.left(e))),
      );

/** A fresh lease from `now` (its id from env.newId). */
export const newLease = (env: Env, now: Date, options: ClaimOptions): Lease => ({
  leaseId: env.newId(),
  claimedAt: now.toISOString(),
  expiresAt: new Date(now.getTime() + (options.leaseMs ?? env.leaseMs)).toISOString(),
});

/**
 * Protocol 2: conditional Update to PROCESSING with a fresh lease. Removes the FAILED
 * index keys (the message is no longer waiting). Does not touch lastUpdatedAt: that is
 * the time of the last recorded event (creation, attempt, redrive); `lease.claimedAt`
 * records the claim. A message whose lease expired is taken over (takeOver.ts): its
 * unrecorded attempt is appended as `lost` first, and the claim gets the next number.
 */
export const claim = (env: Env, messageId: string, options: ClaimOptions = {}): TE.TaskEither<StoreError, Claimed> => {
  const ctx: ErrorContext = { op: 'claim', messageId };
  const lease = newLease(env, env.clock(), options);
  return pipe(
    claimRound(env, messageId, lease, MAX_CLAIM_ROUNDS, ctx),
    TE.map((state) => ticketOf(messageId, state, lease)),
  );
};
