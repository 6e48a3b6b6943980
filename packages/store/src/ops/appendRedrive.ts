import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isFinal, type RedriveItem, type StateItem, transition } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, Invalid, NotRedrivable, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { indexSk, REDRIVE_PREFIX, redriveKey, redriveSk, STATE_SK, stateKey } from '../keys.js';
import { send } from '../support/send.js';
import { clientRequestToken } from '../support/token.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { getState } from './getState.js';
import { syncRetentionAfter } from './syncRetention.js';

export type AppendRedriveInput = {
  readonly messageId: string;
  readonly requestedBy: string;
  readonly reason: string;
  /** The new attempt limit; must be greater than the attempts made so far. */
  readonly maxAttempts: number;
  readonly at?: Date;
};

export type Redriven = { readonly redrive: RedriveItem; readonly state: StateItem };

const check = (state: StateItem, input: AppendRedriveInput, ctx: ErrorContext): E.Either<StoreError, void> => {
  const full = { ...ctx, correlationId: state.correlationId, item: STATE_SK };
  if (state.status === 'SUCCESS' || !isFinal(state)) {
    return E.left(NotRedrivable({ ...full, status: state.status, retryEligible: state.retryEligible }));
  }
  if (state.expunged?.scope === 'content') {
    return E.left(
      Invalid(full, `its content was expunged (EXPUNGE#${state.expunged.n}): there is no request to deliver`),
    );
  }
  if (!Number.isInteger(input.maxAttempts) || input.maxAttempts <= state.attempts) {
    return E.left(Invalid(full, `maxAttempts ${input.maxAttempts} leaves no attempt after ${state.attempts}`));
  }
  return E.right(undefined);
};

const write = (env: Env, before: StateItem, redrive: RedriveItem, after: StateItem, ctx: ErrorContext) =>
  send(env, ctx, [redriveSk(redrive.redriveNumber), STATE_SK], () =>
    env.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: env.tableName,
              Item: { ...redriveKey(redrive.messageId, redrive.redriveNumber), ...redrive },
              // redrive k is written once: two operators redriving at once cannot both win
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: env.tableName,
              Key: stateKey(redrive.messageId),
              UpdateExpression:
                'SET #status = :pending, retryEligible = :true, nextAttemptAt = :null, maxAttempts = :max, ' +
                'redrives = :k, lastUpdatedAt = :at, lease = :null, gsi2sk = :gsi2sk REMOVE gsi1pk, gsi1sk, #ttl',
              // still the final FAILED state we read: no attempt or redrive slipped in between
              ConditionExpression:
                '#status = :failed AND retryEligible = :false AND attempts = :after AND redrives = :prevK',
              // retention: a re-opened message is not final, so it has no TTL (syncRetention clears the rest)
              ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
              ExpressionAttributeValues: {
                ':pending': 'PENDING',
                ':failed': 'FAILED',
                ':true': true,
                ':false': false,
                ':null': null,
                ':max': after.maxAttempts,
                ':k': redrive.redriveNumber,
                ':prevK': before.redrives,
                ':after': before.attempts,
                ':at': redrive.at,
                ':gsi2sk': indexSk(redrive.at, redrive.messageId),
              },
            },
          },
        ],
        ClientRequestToken: clientRequestToken(redrive.messageId, REDRIVE_PREFIX, redrive.redriveNumber, redrive.at),
      }),
    ),
  );

/**
 * Reopens a final FAILED message: Put REDRIVE#k + Update STATE to PENDING in one
 * transaction. Reads STATE first (an operator action, not the hot path); the conditions
 * make the read-then-write safe.
 */
export const appendRedrive = (env: Env, input: AppendRedriveInput): TE.TaskEither<StoreError, Redriven> => {
  const ctx: ErrorContext = { op: 'appendRedrive', messageId: input.messageId };
  const at = (input.at ?? env.clock()).toISOString();
  return pipe(
    getState(env, input.messageId, ctx.op),
    TE.chainFirstEitherK((state) => check(state, input, ctx)),
    TE.chain((before) => {
      const redrive: RedriveItem = {
        type: 'REDRIVE',
        messageId: input.messageId,
        redriveNumber: before.redrives + 1,
        afterAttempt: before.attempts,
        maxAttempts: input.maxAttempts,
        requestedBy: input.requestedBy,
        reason: input.reason,
        at,
      };
      return pipe(
        TE.fromEither(
          pipe(
            transition(before, redrive),
            E.mapLeft((e) => Invalid({ ...ctx, cause: e }, `redrive refused by the state machine: ${e._tag}`)),
          ),
        ),
        TE.chain((after) =>
          pipe(
            write(env, before, redrive, after, ctx),
            TE.map((): Redriven => ({ redrive, state: after })),
            TE.chain(syncRetentionAfter(env, input.messageId, () => true)),
            TE.mapLeft((e) =>
              isConditionFailure(e)
                ? Conflict(
                    { ...ctx, ...(e.item ? { item: e.item } : {}) },
                    `message changed during the redrive: ${e.message}`,
                  )
                : e,
            ),
          ),
        ),
      );
    }),
  );
};
