import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { StateItem } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { type ErrorContext, NotFound, type StoreError } from '../errors/storeError.js';
import { STATE_SK, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

/** The raw STATE item (consistent read), or NotFound. */
export const getRawState = (
  env: Env,
  messageId: string,
  op: string,
): TE.TaskEither<StoreError, Record<string, unknown>> => {
  const ctx: ErrorContext = { op, messageId };
  return pipe(
    send(env, ctx, [STATE_SK], () =>
      env.doc.send(new GetCommand({ TableName: env.tableName, Key: stateKey(messageId), ConsistentRead: true })),
    ),
    TE.chain((out) => (out.Item === undefined ? TE.left(NotFound(ctx)) : TE.right(out.Item))),
  );
};

/** The decoded STATE (consistent read), or NotFound / Corrupt. */
export const getState = (env: Env, messageId: string, op = 'getState'): TE.TaskEither<StoreError, StateItem> =>
  pipe(
    getRawState(env, messageId, op),
    TE.chainEitherK((raw) => decodeItem(StateItem, raw, { op, messageId, item: STATE_SK })),
  );
