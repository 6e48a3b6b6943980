import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { IsoTimestamp } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { heldPartition } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { queryAll } from './listAttempts.js';

/** One entry of an endpoint's held registry (see keys.ts `heldKey`). */
const HeldEntry = t.exact(
  t.type(
    {
      messageId: t.string,
      endpoint: t.string,
      createdAt: IsoTimestamp,
      heldAt: IsoTimestamp,
      mode: t.string,
      reason: t.string,
    },
    'HeldEntry',
  ),
);
export type HeldEntry = t.TypeOf<typeof HeldEntry>;

const SK = 'HELD';

/** Up to `limit` held messages of `endpoint`, oldest created first (the drain's order). */
export const listHeld = (env: Env, endpoint: string, limit: number): TE.TaskEither<StoreError, HeldEntry[]> => {
  const ctx: ErrorContext = { op: 'listHeld', item: SK };
  return pipe(
    send(env, ctx, [SK], () =>
      env.doc.send(
        new QueryCommand({
          TableName: env.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': heldPartition(endpoint) },
          ConsistentRead: true,
          Limit: limit,
        }),
      ),
    ),
    TE.chainEitherK((out) =>
      pipe(
        out.Items ?? [],
        A.traverse(E.Applicative)((i) => decodeItem(HeldEntry, i, ctx)),
      ),
    ),
  );
};

/** How many messages of `endpoint` are held (keys only, every page). */
export const countHeld = (env: Env, endpoint: string): TE.TaskEither<StoreError, number> =>
  pipe(
    queryAll(
      env,
      { op: 'countHeld', item: SK },
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': heldPartition(endpoint) },
        ProjectionExpression: 'sk',
      },
    ),
    TE.map((items) => items.length),
  );
