import { RedriveItem } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { messagePk, REDRIVE_PREFIX } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { queryAll } from './listAttempts.js';

/** Every event item of a message under `prefix`, decoded, in sort-key order (consistent read). */
export const listEventItems = <A, O>(
  env: Env,
  ctx: ErrorContext,
  messageId: string,
  prefix: string,
  codec: t.Type<A, O, unknown>,
): TE.TaskEither<StoreError, A[]> =>
  pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': prefix },
      ConsistentRead: true,
    }),
    TE.chainEitherK((items) =>
      pipe(
        items,
        A.traverse(E.Applicative)((i) => decodeItem(codec, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
  );

/** Every redrive of a message, in order (a handful at most: each needs a final FAILED message). */
export const listRedrives = (env: Env, messageId: string): TE.TaskEither<StoreError, RedriveItem[]> =>
  listEventItems(env, { op: 'listRedrives', messageId }, messageId, REDRIVE_PREFIX, RedriveItem);
