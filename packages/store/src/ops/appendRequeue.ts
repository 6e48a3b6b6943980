import type { RequeueItem, StateItem, Status } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { REQUEUE_PREFIX, requeueKey, requeueSk, STATE_SK, stateKey } from '../keys.js';
import { getState } from './getState.js';
import { putOnce, writeEvent } from './writeEvent.js';

// ---------------------------------------------------------------------------
// A requeue of a stalled message, on record: REQUEUE#<at>#<id> (who, why, when, what it
// waited for). Written before the message is enqueued again, so the push is on record even if
// the enqueue fails. It changes no status (fold ignores it); retention reaches it like any item
// of the partition (syncRetention). In one transaction with STATE's `requeues` counter, under a
// condition on STATE's event counters, so its place among the events (after attempt a, redrive
// r, hold h) is fixed when it is written: the projected audit trail appends it in that order,
// and the projector knows from a consistent STATE read whether the table holds one it lacks.
// ---------------------------------------------------------------------------

export type AppendRequeueInput = {
  readonly messageId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly status: Status;
  readonly waitingSince: string;
};

/** Another writer moved STATE between the read and the write: read again (a handful of tries). */
const MAX_TRIES = 4;

const itemOf = (env: Env, input: AppendRequeueInput, s: StateItem): RequeueItem => ({
  type: 'REQUEUE',
  ...input,
  at: env.clock().toISOString(),
  requeueNumber: (s.requeues ?? 0) + 1,
  afterAttempt: s.attempts,
  afterRedrive: s.redrives,
  afterHold: s.holds ?? 0,
});

/** Absent counters (items written before they existed) pass for 0. */
const counter = (name: string, value: number): string =>
  value === 0 ? `(attribute_not_exists(#${name}) OR #${name} = :${name})` : `#${name} = :${name}`;

const write = (env: Env, ctx: ErrorContext, item: RequeueItem & { requeueNumber: number }, id: string) => {
  const before = item.requeueNumber - 1;
  return writeEvent(
    env,
    ctx,
    [requeueSk(item.at, id), STATE_SK],
    [
      putOnce(env, { ...requeueKey(item.messageId, item.at, id), ...item }),
      {
        Update: {
          TableName: env.tableName,
          Key: stateKey(item.messageId),
          UpdateExpression: 'SET #requeues = :next',
          ConditionExpression: `attribute_exists(pk) AND #attempts = :attempts AND #redrives = :redrives AND ${counter(
            'holds',
            item.afterHold ?? 0,
          )} AND ${counter('requeues', before)}`,
          ExpressionAttributeNames: {
            '#attempts': 'attempts',
            '#redrives': 'redrives',
            '#holds': 'holds',
            '#requeues': 'requeues',
          },
          ExpressionAttributeValues: {
            ':next': item.requeueNumber,
            ':attempts': item.afterAttempt,
            ':redrives': item.afterRedrive,
            ':holds': item.afterHold,
            ':requeues': before,
          },
        },
      },
    ],
    [item.messageId, REQUEUE_PREFIX, item.requeueNumber, item.at, id],
  );
};

export const appendRequeue = (env: Env, input: AppendRequeueInput): TE.TaskEither<StoreError, RequeueItem> => {
  const ctx: ErrorContext = { op: 'appendRequeue', messageId: input.messageId };
  const tryOnce = (tries: number): TE.TaskEither<StoreError, RequeueItem> =>
    pipe(
      getState(env, input.messageId, ctx.op),
      TE.chain((s) => {
        const item = itemOf(env, input, s) as RequeueItem & { requeueNumber: number };
        return pipe(
          write(env, ctx, item, env.newId().slice(0, 8)),
          TE.map(() => item as RequeueItem),
          TE.orElse((e) =>
            isConditionFailure(e) && tries < MAX_TRIES
              ? tryOnce(tries + 1)
              : TE.left(
                  isConditionFailure(e) ? Conflict(ctx, `message kept changing during the requeue: ${e.message}`) : e,
                ),
          ),
        );
      }),
    );
  return tryOnce(1);
};
