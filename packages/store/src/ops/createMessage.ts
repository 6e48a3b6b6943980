import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createStateItem, type DeliveryRequest, StateItem, size } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, Invalid, type StoreError, TooLarge } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { STATE_SK, stateIndexAttributes, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { getState } from './getState.js';

export type Created = { readonly state: StateItem; readonly created: boolean };

/** Room kept on STATE for what later writes add: lease, index keys, numbers. */
const STATE_RESERVE_BYTES = 4_096;
/** Index key values are limited to 2048 bytes (partition) by DynamoDB. */
const MAX_KEY_PART_BYTES = 1_024;

/** The STATE a create writes (also the upsert's `if_not_exists` values): validated, fitted. */
export const buildState = (
  env: Env,
  request: DeliveryRequest,
  ctx: ErrorContext,
  now: Date = env.clock(),
): E.Either<StoreError, StateItem> => {
  if (size.utf8(request.correlationId) > MAX_KEY_PART_BYTES || size.utf8(request.messageId) > MAX_KEY_PART_BYTES) {
    return E.left(Invalid(ctx, `correlationId/messageId over ${MAX_KEY_PART_BYTES} bytes cannot be an index key`));
  }
  const fresh = createStateItem(request, {
    now,
    defaultMaxAttempts: env.retryPolicy.maxAttempts,
    bodyBudgetBytes: env.budgets.bodyBytes,
    // the one redaction of the request, with the configured policy
    policy: env.secrets,
  });
  // STATE later carries a deliveryResult of up to resultBytes: keep room for it now
  const budget = env.budgets.itemBytes - env.budgets.resultBytes - STATE_RESERVE_BYTES;
  return pipe(
    size.fitToBudget(fresh, budget),
    E.mapLeft((e) => TooLarge({ ...ctx, item: STATE_SK, cause: e }, `STATE: ${e.message}`)),
  );
};

/** An id that already names a different request (its stored fingerprint differs). */
export const fingerprintConflict = (messageId: string, ctx: ErrorContext): StoreError =>
  Object.assign(
    Conflict(
      { ...ctx, item: STATE_SK },
      `message ${messageId} already exists with a different request (fingerprint differs)`,
    ),
    { reason: 'fingerprint' as const },
  );

/** The Conflict of createMessage / createAndClaim for a messageId reused with another request. */
export const isFingerprintConflict = (e: StoreError): boolean =>
  e._tag === 'Conflict' && (e as { reason?: unknown }).reason === 'fingerprint';

/** The stored STATE for a create that lost to an existing item: same fingerprint = same request. */
const resolveExisting = (
  env: Env,
  state: StateItem,
  existing: Record<string, unknown> | undefined,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Created> =>
  pipe(
    existing === undefined
      ? getState(env, state.messageId, 'createMessage')
      : TE.fromEither(decodeItem(StateItem, existing, ctx)),
    TE.chain((stored) =>
      stored.request.fingerprint === state.request.fingerprint
        ? TE.right({ state: stored, created: false })
        : TE.left(fingerprintConflict(state.messageId, ctx)),
    ),
  );

/**
 * Protocol 1. Put STATE if absent. `attribute_not_exists(pk)` keeps two creators (or an SQS
 * redelivery) from overwriting a message that already has attempts; the loser reads the
 * winner's item from ALL_OLD and compares fingerprints.
 */
export const createMessage = (env: Env, request: DeliveryRequest): TE.TaskEither<StoreError, Created> => {
  const ctx: ErrorContext = { op: 'createMessage', messageId: request.messageId, correlationId: request.correlationId };
  return pipe(
    TE.fromEither(buildState(env, request, ctx)),
    TE.chain((state) =>
      pipe(
        send(env, ctx, [STATE_SK], () =>
          env.doc.send(
            new PutCommand({
              TableName: env.tableName,
              Item: { ...stateKey(state.messageId), ...state, ...stateIndexAttributes(state) },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        ),
        TE.map((): Created => ({ state, created: true })),
        TE.orElse((e) => (isConditionFailure(e) ? resolveExisting(env, state, e.reasons[0]?.item, ctx) : TE.left(e))),
      ),
    ),
  );
};
