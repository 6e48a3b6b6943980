import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { send } from '../support/send.js';
import { clientRequestToken } from '../support/token.js';

// The one shape of every event append (ATTEMPT#n, REDRIVE#k, HOLD#k, REQUEUE#...): the event
// item, Put once, and the STATE change it makes, in one transaction under a ClientRequestToken.

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * An event item is written once and never changed: a racer for the same key (two operators,
 * a late writer of an expired lease, a retried Put after a timeout that did commit) loses here.
 * `returnOld`: the failed condition carries the stored item (the attempt append reads it).
 */
export const putOnce = (env: Env, item: Record<string, unknown>, returnOld = false): TxItem => ({
  Put: {
    TableName: env.tableName,
    Item: item,
    ConditionExpression: 'attribute_not_exists(pk)',
    ...(returnOld ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  },
});

/**
 * Sends the transaction through `send`; the token is a hash of `token`, so a retry of the same
 * write (same parts) within DynamoDB's window is a no-op and cannot append twice.
 */
export const writeEvent = (
  env: Env,
  ctx: ErrorContext,
  labels: ReadonlyArray<string>,
  items: ReadonlyArray<TxItem>,
  token: ReadonlyArray<string | number>,
): TE.TaskEither<StoreError, unknown> =>
  send(env, ctx, labels, () =>
    env.doc.send(
      new TransactWriteCommand({ TransactItems: [...items], ClientRequestToken: clientRequestToken(...token) }),
    ),
  );
