import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RequeueItem, Status } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { requeueKey, requeueSk } from '../keys.js';
import { send } from '../support/send.js';

// ---------------------------------------------------------------------------
// A requeue of a stalled message, on record: REQUEUE#<at>#<id> (who, why, when, what it
// waited for). Written before the message is enqueued again, so the push is on record even if
// the enqueue fails. It changes nothing in STATE (fold ignores it); retention reaches it like
// any item of the partition (syncRetention).
// ---------------------------------------------------------------------------

export type AppendRequeueInput = {
  readonly messageId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly status: Status;
  readonly waitingSince: string;
};

export const appendRequeue = (env: Env, input: AppendRequeueInput): TE.TaskEither<StoreError, RequeueItem> => {
  const ctx: ErrorContext = { op: 'appendRequeue', messageId: input.messageId };
  const item: RequeueItem = { type: 'REQUEUE', ...input, at: env.clock().toISOString() };
  const id = env.newId().slice(0, 8);
  return pipe(
    send(env, ctx, [requeueSk(item.at, id)], () =>
      env.doc.send(
        new PutCommand({
          TableName: env.tableName,
          Item: { ...requeueKey(item.messageId, item.at, id), ...item },
          // an event is written once: a retried Put after a timeout that did commit cannot add a second
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ),
    TE.map(() => item),
  );
};
