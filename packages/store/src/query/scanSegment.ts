import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { StateItem } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { STATE_SK } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { notExpiredFilter } from './notExpired.js';
import type { Page } from './stateSummary.js';

export type ScanSegmentInput = {
  readonly segment: number;
  readonly totalSegments: number;
  readonly cursor?: string;
  /** Items evaluated per page (before the STATE filter); default 500. */
  readonly limit?: number;
};

const ScanCursor = t.type({
  v: t.literal(2),
  seg: t.number,
  of: t.number,
  key: t.type({ pk: t.string, sk: t.string }),
});

/**
 * One page of a parallel Scan segment, STATE items only (replay/verify fan out over
 * segments). A page may be empty while `cursor` is not null: keep going until null.
 */
// retention: expired messages are not listed (query/notExpired.ts)
const scanFilter = (env: Env) => {
  const f = notExpiredFilter(env.clock(), { expression: 'sk = :state', values: { ':state': STATE_SK } });
  return {
    FilterExpression: f.FilterExpression,
    ExpressionAttributeNames: f.ExpressionAttributeNames,
    ExpressionAttributeValues: f.values,
  };
};

export const scanSegment = (env: Env, input: ScanSegmentInput): TE.TaskEither<StoreError, Page<StateItem>> => {
  const ctx: ErrorContext = { op: 'scanSegment' };
  const { segment, totalSegments } = input;
  if (!Number.isInteger(totalSegments) || totalSegments < 1 || totalSegments > 1_000_000) {
    return TE.left(Invalid(ctx, 'totalSegments must be an integer in 1..1000000'));
  }
  if (!Number.isInteger(segment) || segment < 0 || segment >= totalSegments) {
    return TE.left(Invalid(ctx, `segment must be an integer in 0..${totalSegments - 1}`));
  }
  const start =
    input.cursor === undefined
      ? E.right(undefined)
      : pipe(
          decodeCursor(ScanCursor, input.cursor, ctx),
          E.chain((c) =>
            c.seg === segment && c.of === totalSegments
              ? E.right(c.key)
              : E.left(Invalid(ctx, 'cursor belongs to another segment')),
          ),
        );
  return pipe(
    TE.fromEither(start),
    TE.chain((key) =>
      send(env, ctx, [], () =>
        env.doc.send(
          new ScanCommand({
            TableName: env.tableName,
            Segment: segment,
            TotalSegments: totalSegments,
            ...scanFilter(env),
            Limit: input.limit ?? 500,
            ConsistentRead: true,
            ...(key ? { ExclusiveStartKey: key } : {}),
          }),
        ),
      ),
    ),
    TE.chainEitherK((out) =>
      pipe(
        out.Items ?? [],
        A.traverse(E.Applicative)((i) =>
          decodeItem(StateItem, i, { ...ctx, messageId: String(i.messageId), item: STATE_SK }),
        ),
        E.map((items) => {
          const last = out.LastEvaluatedKey;
          const cursor =
            last === undefined
              ? null
              : encodeCursor({
                  v: 2,
                  seg: segment,
                  of: totalSegments,
                  key: { pk: String(last.pk), sk: String(last.sk) },
                });
          return { items, cursor };
        }),
      ),
    ),
  );
};
