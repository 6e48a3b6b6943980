import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as A from 'fp-ts/lib/Array.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { send } from '../support/send.js';
import type { MergePlan } from './mergeQuery.js';
import { indexQueryFilter } from './notExpired.js';

// ---------------------------------------------------------------------------
// How many rows a merged index query's whole window holds (the `M` of "50 of M"): the same key
// condition and filter as the pages, with `Select: COUNT`, over every partition of every group.
// DynamoDB returns no items, only the count; it still reads (and bills) the index keys of the
// window, up to 1 MB per request, so the cost grows with the answer, never with the table (an
// index range, not a scan). Partitions are counted a few at a time.
// ---------------------------------------------------------------------------

/** Partitions counted at once (a failed window of one day is 8 shards). */
const PARALLEL = 4;

const countPartition = (env: Env, plan: MergePlan, partition: string, ctx: ErrorContext) => {
  const { index } = plan;
  const filter = indexQueryFilter(env.clock(), plan);
  const page = (start: Record<string, unknown> | undefined, sum: number): TE.TaskEither<StoreError, number> =>
    pipe(
      send(env, ctx, [index.name], () =>
        env.doc.send(
          new QueryCommand({
            TableName: env.tableName,
            IndexName: index.name,
            Select: 'COUNT',
            KeyConditionExpression: `#pk = :pk${plan.range ? ' AND #sk BETWEEN :lo AND :hi' : ''}`,
            ExpressionAttributeNames: {
              '#pk': index.pk,
              ...(plan.range ? { '#sk': index.sk } : {}),
              ...filter.ExpressionAttributeNames,
            },
            ExpressionAttributeValues: {
              ':pk': partition,
              ...(plan.range ? { ':lo': plan.range.lo, ':hi': plan.range.hi } : {}),
              ...filter.values,
            },
            FilterExpression: filter.FilterExpression,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      ),
      TE.chain((out) => {
        const total = sum + (out.Count ?? 0);
        return out.LastEvaluatedKey === undefined ? TE.right(total) : page(out.LastEvaluatedKey, total);
      }),
    );
  return page(undefined, 0);
};

const chunks = <X>(xs: ReadonlyArray<X>, n: number): X[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** The number of rows in the plan's window (the cursor plays no part: it is the whole window). */
export const countMerge = (env: Env, plan: MergePlan, ctx: ErrorContext): TE.TaskEither<StoreError, number> =>
  pipe(
    chunks(plan.groups.flat(), PARALLEL),
    A.traverse(TE.ApplicativeSeq)((batch) =>
      pipe(
        batch,
        A.traverse(TE.ApplicativePar)((p) => countPartition(env, plan, p, { ...ctx, op: `${ctx.op}.count` })),
      ),
    ),
    TE.map((counts) => counts.flat().reduce((a, b) => a + b, 0)),
  );
