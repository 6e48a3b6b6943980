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
import { isConditionFailure } from '../errors/toStoreError.js';
import { STATE_SK, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

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

// Due = PENDING; or FAILED, retry-eligible and nextAttemptAt passed; or PROCESSING whose
// lease expired (its writer died or overran). Evaluated atomically by DynamoDB, so two
// claimers can never both get a lease: the second sees PROCESSING with a live lease.
const DUE = [
  'attribute_exists(pk) AND (',
  '#status = :pending',
  'OR (#status = :failed AND retryEligible = :true AND (attribute_type(nextAttemptAt, :nullType) OR nextAttemptAt <= :now))',
  'OR (#status = :processing AND (attribute_type(lease, :nullType) OR lease.expiresAt <= :now))',
  ')',
].join(' ');

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
  if (old.status === 'FAILED' && old.nextAttemptAt !== null && old.nextAttemptAt > now) {
    return E.left(NotDue({ ...full, nextAttemptAt: old.nextAttemptAt }));
  }
  return E.left(Conflict(full, `message ${old.messageId} changed during the claim (status ${old.status})`));
};

/**
 * Protocol 2: conditional Update to PROCESSING with a fresh lease. Removes the FAILED
 * index keys (the message is no longer waiting). Does not touch lastUpdatedAt: that is
 * the time of the last recorded event (creation, attempt, redrive); `lease.claimedAt`
 * records the claim.
 */
export const claim = (env: Env, messageId: string, options: ClaimOptions = {}): TE.TaskEither<StoreError, Claimed> => {
  const ctx: ErrorContext = { op: 'claim', messageId };
  const nowDate = env.clock();
  const now = nowDate.toISOString();
  const lease: Lease = {
    leaseId: env.newId(),
    claimedAt: now,
    expiresAt: new Date(nowDate.getTime() + (options.leaseMs ?? env.leaseMs)).toISOString(),
  };
  return pipe(
    send(env, ctx, [STATE_SK], () =>
      env.doc.send(
        new UpdateCommand({
          TableName: env.tableName,
          Key: stateKey(messageId),
          UpdateExpression: 'SET #status = :processing, lease = :lease REMOVE gsi1pk, gsi1sk',
          ConditionExpression: DUE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'PENDING',
            ':failed': 'FAILED',
            ':processing': 'PROCESSING',
            ':true': true,
            ':nullType': 'NULL',
            ':now': now,
            ':lease': lease,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    ),
    TE.chainEitherK((out) => decodeItem(StateItem, out.Attributes, { ...ctx, item: STATE_SK })),
    TE.orElse((e) => {
      if (!isConditionFailure(e)) return TE.left(e);
      const old = e.reasons[0]?.item;
      if (old === undefined) return TE.left(NotFound(ctx));
      return TE.fromEither(
        pipe(
          decodeItem(StateItem, old, { ...ctx, item: STATE_SK }),
          E.chain((s) => refusal(s, ctx, lease.leaseId, now)),
        ),
      );
    }),
    TE.map((state) => {
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
    }),
  );
};
