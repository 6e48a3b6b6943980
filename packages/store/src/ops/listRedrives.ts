import { RedriveItem } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { messagePk, REDRIVE_PREFIX } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { queryAll } from './listAttempts.js';

/** Every redrive of a message, in order (a handful at most: each needs a final FAILED message). */
export const listRedrives = (env: Env, messageId: string): TE.TaskEither<StoreError, RedriveItem[]> => {
  const ctx: ErrorContext = { op: 'listRedrives', messageId };
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': REDRIVE_PREFIX },
      ConsistentRead: true,
    }),
    TE.chainEitherK((items) =>
      pipe(
        items,
        A.traverse(E.Applicative)((i) => decodeItem(RedriveItem, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
  );
};
