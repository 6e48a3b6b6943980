import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { backoffDelayMs } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import { type ErrorContext, type StoreError, Throttled } from '../errors/storeError.js';
import type { Key } from '../keys.js';
import { send } from './send.js';

const UNPROCESSED_ROUNDS = 8;

const KeyList = t.array(t.type({ pk: t.string, sk: t.string }));

/** BatchGetItem of up to 100 keys; unprocessed keys are asked again with backoff, then `Throttled`. */
export const batchGet = (
  env: Env,
  ctx: ErrorContext,
  keys: ReadonlyArray<Key>,
  consistent: boolean,
): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
  const round = (pending: ReadonlyArray<Key>, n: number, got: Record<string, unknown>[]) => {
    if (pending.length === 0) return TE.right(got);
    if (n > UNPROCESSED_ROUNDS) return TE.left(Throttled(ctx, 'BatchGet kept returning unprocessed keys'));
    return pipe(
      send(env, ctx, [], () =>
        env.doc.send(
          new BatchGetCommand({
            RequestItems: { [env.tableName]: { Keys: pending.map((k) => ({ ...k })), ConsistentRead: consistent } },
          }),
        ),
      ),
      TE.chain((out): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
        const items = [...got, ...(out.Responses?.[env.tableName] ?? [])];
        const again = KeyList.decode(out.UnprocessedKeys?.[env.tableName]?.Keys ?? []);
        const left = E.isRight(again) ? again.right : [];
        if (left.length === 0) return TE.right(items);
        return pipe(
          TE.fromTask(() => env.sleep(backoffDelayMs(n + 1, env.retry, env.random))),
          TE.chain(() => round(left, n + 1, items)),
        );
      }),
    );
  };
  return round(keys, 0, []);
};
