import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AttemptItem } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { ATTEMPT_PREFIX, attemptSk, messagePk } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

/** Every page of a Query (consistent), concatenated. */
export const queryAll = (
  env: Env,
  ctx: ErrorContext,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
  const page = (
    start: Record<string, unknown> | undefined,
    acc: Record<string, unknown>[],
  ): TE.TaskEither<StoreError, Record<string, unknown>[]> =>
    pipe(
      send(env, ctx, [], () =>
        env.doc.send(
          new QueryCommand({
            ...input,
            TableName: env.tableName,
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      ),
      TE.chain((out) => {
        const all = acc.concat(out.Items ?? []);
        return out.LastEvaluatedKey === undefined ? TE.right(all) : page(out.LastEvaluatedKey, all);
      }),
    );
  return page(undefined, []);
};

/** Attempts `fromNumber..toNumber` (inclusive; no `toNumber`: to the last) of a message, in order (one paginated Query). */
export const listAttempts = (
  env: Env,
  messageId: string,
  fromNumber = 1,
  toNumber?: number,
): TE.TaskEither<StoreError, AttemptItem[]> => {
  const ctx: ErrorContext = { op: 'listAttempts', messageId };
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': messagePk(messageId),
        ':from': attemptSk(Math.max(1, fromNumber)),
        ':to': toNumber === undefined ? `${ATTEMPT_PREFIX}\uffff` : attemptSk(toNumber),
      },
      ConsistentRead: true,
    }),
    TE.chainEitherK((items) =>
      pipe(
        items,
        A.traverse(E.Applicative)((i) => decodeItem(AttemptItem, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
  );
};

/** The attempts written under `leaseId` (a lease authorises one attempt; a lost one is written by its taker). */
export const attemptsOfLease = (
  env: Env,
  messageId: string,
  leaseId: string,
  op: string,
): TE.TaskEither<StoreError, AttemptItem[]> => {
  const ctx: ErrorContext = { op, messageId };
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'leaseId = :lease',
      ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': ATTEMPT_PREFIX, ':lease': leaseId },
      ConsistentRead: true,
    }),
    TE.chainEitherK((items) =>
      pipe(
        items,
        A.traverse(E.Applicative)((i) => decodeItem(AttemptItem, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
  );
};
