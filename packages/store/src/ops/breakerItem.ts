import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { BreakerState, type BreakerTransition, breaker } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { BREAKER_PK, breakerKey, moveKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { clientRequestToken } from '../support/token.js';
import { queryAll } from './listAttempts.js';

// The endpoint breaker's item. Core decides every state (breaker.observe, breaker.takeProbe, pause,
// resume); the store reads it and writes it conditioned on the version it read.

const SK = 'BREAKER';

/** One endpoint's breaker, or null (never written = closed). Eventually consistent unless asked. */
export const readBreaker = (
  env: Env,
  endpoint: string,
  consistent = false,
): TE.TaskEither<StoreError, BreakerState | null> => {
  const ctx: ErrorContext = { op: 'readBreaker', item: SK };
  return pipe(
    send(env, ctx, [SK], () =>
      env.doc.send(new GetCommand({ TableName: env.tableName, Key: breakerKey(endpoint), ConsistentRead: consistent })),
    ),
    TE.chainEitherK((out) => (out.Item === undefined ? E.right(null) : decodeItem(BreakerState, out.Item, ctx))),
  );
};

/**
 * Writes `next` if the stored breaker is still at `expectedVersion` (0: not written yet).
 * Two projector batches, or two workers taking the half-open probe, race here: exactly one
 * wins, the other gets Conflict and re-reads.
 */
export const writeBreaker = (
  env: Env,
  next: BreakerState,
  expectedVersion: number,
  /** An operator's or receiver's change: logged as MOVE# in the same transaction (audited). */
  move?: BreakerTransition,
): TE.TaskEither<StoreError, BreakerState> => {
  const ctx: ErrorContext = { op: 'writeBreaker', item: SK };
  const put = {
    TableName: env.tableName,
    Item: { ...breakerKey(next.endpoint), ...next },
    ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :v' : 'version = :v',
    ExpressionAttributeValues: { ':v': expectedVersion },
  };
  const logged = (m: BreakerTransition) =>
    new TransactWriteCommand({
      // a retry after an ambiguous failure (it did commit) is a no-op, not a Conflict
      ClientRequestToken: clientRequestToken('move', m.endpoint, m.version, m.at, m.by),
      TransactItems: [
        { Put: put },
        // one entry per version: the breaker's own condition already makes it unique; this
        // one keeps a log entry from ever being overwritten
        {
          Put: {
            TableName: env.tableName,
            Item: { ...moveKey(m.endpoint, m.version), ...breaker.moveItemOf(m) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  return pipe(
    send(env, ctx, move === undefined ? [SK] : [SK, 'MOVE'], async () => {
      if (move === undefined) await env.doc.send(new PutCommand(put));
      else await env.doc.send(logged(move));
    }),
    TE.map(() => next),
    TE.mapLeft((e) =>
      isConditionFailure(e)
        ? Conflict(ctx, `breaker of ${next.endpoint} moved past version ${expectedVersion}; re-read`)
        : e,
    ),
  );
};

/** Every endpoint's breaker (one partition, paged). */
export const listBreakers = (env: Env): TE.TaskEither<StoreError, BreakerState[]> => {
  const ctx: ErrorContext = { op: 'listBreakers', item: SK };
  return pipe(
    queryAll(env, ctx, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': BREAKER_PK } }),
    TE.chainEitherK(A.traverse(E.Applicative)((i) => decodeItem(BreakerState, i, ctx))),
  );
};
