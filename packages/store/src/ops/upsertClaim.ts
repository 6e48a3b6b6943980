import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DeliveryRequest, type Lease, StateItem } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { type ConditionFailure, isConditionFailure } from '../errors/toStoreError.js';
import { STATE_SK, stateIndexAttributes, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import {
  type ClaimOptions,
  type Claimed,
  DUE_CLAUSE,
  dueValues,
  MAX_CLAIM_ROUNDS,
  newLease,
  settleRefusal,
  ticketOf,
  refusedState,
} from './claim.js';
import { buildState, fingerprintConflict } from './createMessage.js';

// ---------------------------------------------------------------------------
// Upsert-and-claim: protocol 1 + 2 in ONE conditional UpdateItem (the worker's hot path).
//
//   SET #status = :processing, lease = :lease,
//       <every other attribute createMessage writes, index keys included> = if_not_exists(a, :a)
//   REMOVE gsi1pk, gsi1sk
//
// An absent STATE is created exactly as createMessage + claim would leave it (the same
// createStateItem/fitToBudget values; a created STATE has no TTL attribute, so none is set);
// an existing one keeps every attribute but status and lease, exactly as claim's Update does.
// A refusal is decoded from ALL_OLD: a different fingerprint is Conflict (createMessage's
// rule); everything else is claim's (Leased, NotDue, AlreadyFinal, our own lease = success,
// an expired lease = takeOver, which records the dead claim's attempt as `lost`).
// ---------------------------------------------------------------------------

export type CreatedAndClaimed = Claimed & {
  /** True when this call wrote the STATE (best effort: for the log line only). */
  readonly created: boolean;
};

// One clause per race:
const CONDITION = [
  // (a) first delivery: nobody created the message yet. Two creators for one id (or an SQS
  //     redelivery) both get here; DynamoDB serialises them, the second sees the item.
  'attribute_not_exists(pk) OR (',
  // (b) the id already exists: only the same request may claim it. A different payload
  //     reusing the id must not take the lease of (or overwrite) the stored message.
  '#request.fingerprint = :fp AND (',
  // (c) due: PENDING, or a retry-eligible FAILED whose nextAttemptAt passed (claim's DUE_CLAUSE).
  //     N workers receiving one message: only the first moves it to PROCESSING; the others see
  //     a live lease (Leased), a final message (AlreadyFinal) or a retry not due yet (NotDue).
  //     An expired lease is deliberately NOT due here: its claim ended without an attempt, so
  //     it goes through takeOver, which records that attempt as `lost` in the same transaction.
  DUE_CLAUSE,
  '))',
].join(' ');

/** Attributes the Update sets outright; all others only if absent (`if_not_exists`). */
const CLAIMED = new Set(['status', 'lease']);

/** The claim's options, and the request's sealed credentials (kept on a STATE this call creates). */
export type CreateAndClaimOptions = ClaimOptions & { readonly sealed?: string | null };

const upsertInput = (env: Env, state: StateItem, lease: Lease, sealed: string | null) => {
  // `sealed` after fitting: a blob is never truncated (it would not open); it is bounded by
  // the request's URL and headers, which the SQS body already bounds
  const created: Record<string, unknown> = {
    ...state,
    ...stateIndexAttributes(state),
    ...(sealed === null ? {} : { sealed }),
  };
  const kept = Object.keys(created).filter((k) => !CLAIMED.has(k));
  return new UpdateCommand({
    TableName: env.tableName,
    Key: stateKey(state.messageId),
    UpdateExpression: `SET #status = :processing, lease = :lease, ${kept
      .map((k) => `#${k} = if_not_exists(#${k}, :v_${k})`)
      .join(', ')} REMOVE gsi1pk, gsi1sk`,
    ConditionExpression: CONDITION,
    ExpressionAttributeNames: { ...Object.fromEntries(kept.map((k) => [`#${k}`, k])), '#status': 'status' },
    ExpressionAttributeValues: {
      ...Object.fromEntries(kept.map((k) => [`:v_${k}`, created[k]])),
      ...dueValues(lease.claimedAt),
      ':processing': 'PROCESSING',
      ':lease': lease,
      ':fp': state.request.fingerprint,
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
};

/** Refused: a different request under the id is Conflict; the rest is claim's refusal/takeover. */
const afterRefusal = (
  env: Env,
  state: StateItem,
  lease: Lease,
  failure: ConditionFailure,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, StateItem> =>
  // the condition starts with attribute_not_exists(pk): a refusal always has an old item
  pipe(
    refusedState(failure, ctx),
    TE.chain((old) =>
      old.request.fingerprint === state.request.fingerprint
        ? settleRefusal(env, state.messageId, lease, old, MAX_CLAIM_ROUNDS, ctx)
        : TE.left(fingerprintConflict(state.messageId, ctx)),
    ),
  );

/**
 * Protocol 1 + 2 in one round trip: creates the STATE if absent and claims it when due (see
 * CONDITION). Same results as `createMessage` then `claim`, same refusals, the same item.
 */
export const createAndClaim = (
  env: Env,
  request: DeliveryRequest,
  options: CreateAndClaimOptions = {},
): TE.TaskEither<StoreError, CreatedAndClaimed> => {
  const ctx: ErrorContext = {
    op: 'createAndClaim',
    messageId: request.messageId,
    correlationId: request.correlationId,
  };
  const now = env.clock();
  return pipe(
    TE.fromEither(buildState(env, request, ctx, now)),
    TE.chain((state) => {
      const lease = newLease(env, now, options);
      return pipe(
        send(env, ctx, [STATE_SK], () => env.doc.send(upsertInput(env, state, lease, options.sealed ?? null))),
        TE.chainEitherKW((out) => decodeItem(StateItem, out.Attributes, { ...ctx, item: STATE_SK })),
        TE.orElse((e) => (isConditionFailure(e) ? afterRefusal(env, state, lease, e, ctx) : TE.left(e))),
        TE.map(
          (claimed): CreatedAndClaimed => ({
            ...ticketOf(request.messageId, claimed, lease),
            // a STATE this call created was created at the claim's instant, with no attempt yet
            created:
              claimed.attempts === 0 &&
              claimed.createdAt === state.createdAt &&
              claimed.lease?.leaseId === lease.leaseId,
          }),
        ),
      );
    }),
  );
};
