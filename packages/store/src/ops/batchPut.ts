import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { backoffDelayMs } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import { type ErrorContext, type StoreError, Throttled, Unexpected } from '../errors/storeError.js';
import type { RawItem } from '../query/partition.js';
import { send } from '../support/send.js';

// Bulk loading for scale tests and the bench (synthetic, already consistent messages):
// unconditional Puts, 25 a call. Never used by the delivery path, whose writes are conditional.

export const BATCH_PUT_MAX = 25;

const UNPROCESSED_ROUNDS = 20;

const PutRequests = t.array(t.type({ PutRequest: t.type({ Item: t.UnknownRecord }) }));

/** Puts up to 25 items; unprocessed items are sent again with backoff, then `Throttled`. */
export const batchPut = (env: Env, items: ReadonlyArray<RawItem>): TE.TaskEither<StoreError, void> => {
  const ctx: ErrorContext = { op: 'batchPut' };
  const round = (pending: ReadonlyArray<RawItem>, n: number): TE.TaskEither<StoreError, void> => {
    if (pending.length === 0) return TE.right(undefined);
    if (n > UNPROCESSED_ROUNDS) return TE.left(Throttled(ctx, 'BatchWrite kept returning unprocessed items'));
    return pipe(
      send(env, ctx, [], () =>
        env.doc.send(
          new BatchWriteCommand({
            RequestItems: { [env.tableName]: pending.map((Item) => ({ PutRequest: { Item: { ...Item } } })) },
          }),
        ),
      ),
      TE.chain((out) => {
        const left = PutRequests.decode(out.UnprocessedItems?.[env.tableName] ?? []);
        if (E.isLeft(left))
          return TE.left(Unexpected(ctx, 'BatchWrite returned unprocessed items of an unknown shape'));
        const again = left.right.map((r) => r.PutRequest.Item);
        if (again.length === 0) return TE.right(undefined);
        return pipe(
          TE.fromTask(() => env.sleep(backoffDelayMs(n + 1, env.retry, env.random))),
          TE.chain(() => round(again, n + 1)),
        );
      }),
    );
  };
  return round(items, 0);
};
