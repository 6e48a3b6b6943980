import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { messageIdOfIndexSk, stateKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { batchGet } from '../support/batchGet.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { indexQueryFilter } from './notExpired.js';
import { type Page, StateSummary } from './stateSummary.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/**
 * A query over an index whose logical partition is split into physical ones (shards, day
 * buckets). `groups` are read one after the other (day buckets are disjoint in time, so
 * the order holds across groups when they are given in that order); the partitions inside
 * a group are merged by sort key, ascending or (`descending`: ScanIndexForward false, as
 * cheap) descending. The cursor records, per partition of the current group, the last sort key
 * returned, so the next page starts exactly after it.
 */
export type MergePlan = {
  readonly index: { readonly name: string; readonly pk: string; readonly sk: string };
  readonly groups: ReadonlyArray<ReadonlyArray<string>>;
  /** Inclusive sort-key bounds (`BETWEEN`); none = the whole partition. */
  readonly range?: { readonly lo: string; readonly hi: string };
  readonly filter?: { readonly expression: string; readonly values: Record<string, unknown> };
  readonly limit: number;
  /** Newest first: each partition read backwards, merged largest key first. */
  readonly descending?: boolean;
  /**
   * A KEYS_ONLY index: the page's rows are the listed messages' STATE items, read in one
   * BatchGetItem per 100 (expired ones dropped, as the filter drops them on a projecting index).
   */
  readonly keysOnly?: boolean;
};

const MergeCursor = t.type({
  v: t.literal(1),
  /** Hash of the plan: a cursor only continues the query that issued it. */
  q: t.string,
  g: t.number,
  pos: t.record(t.string, t.string),
  done: t.array(t.string),
});
type MergeCursor = t.TypeOf<typeof MergeCursor>;

type Hit = { readonly partition: string; readonly sk: string; readonly item: Record<string, unknown> };
type Fetched = { readonly partition: string; readonly hits: Hit[]; readonly exhausted: boolean };

export const MAX_LIMIT = 1_000;

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const planHash = (plan: MergePlan): string =>
  createHash('sha256')
    // the order is part of the query: a cursor of one order continues no query of the other
    .update(
      JSON.stringify([
        plan.index.name,
        plan.groups,
        plan.range ?? null,
        plan.filter ?? null,
        ...(plan.descending === true ? ['desc'] : []),
      ]),
    )
    .digest('base64url')
    .slice(0, 16);

/**
 * The key condition and filter of one partition of the plan (a page reads it, a count counts
 * it): the range as BETWEEN, the plan's filter AND retention (an expired message is gone from
 * every listing; the plan's hash leaves `now` out).
 */
export const partitionQuery = (env: Env, plan: MergePlan, partition: string) => {
  const { index } = plan;
  const filter = indexQueryFilter(env.clock(), plan);
  return {
    TableName: env.tableName,
    IndexName: index.name,
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
  };
};

/** Up to `need` items of one partition after `after` (several requests when a filter drops items). */
const fetchPartition = (
  env: Env,
  plan: MergePlan,
  partition: string,
  after: string | undefined,
  need: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Fetched> => {
  const { index } = plan;
  const startOf = (sk: string) => ({ [index.pk]: partition, [index.sk]: sk, ...stateKey(messageIdOfIndexSk(sk)) });
  const loop = (start: Record<string, unknown> | undefined, hits: Hit[]): TE.TaskEither<StoreError, Fetched> =>
    pipe(
      send(env, ctx, [index.name], () =>
        env.doc.send(
          new QueryCommand({
            ...partitionQuery(env, plan, partition),
            Limit: need - hits.length,
            ScanIndexForward: plan.descending !== true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      ),
      TE.chain((out) => {
        const got = hits.concat((out.Items ?? []).map((item) => ({ partition, sk: String(item[index.sk]), item })));
        const more = out.LastEvaluatedKey !== undefined;
        if (got.length >= need || !more)
          return TE.right({ partition, hits: got.slice(0, need), exhausted: !more && got.length <= need });
        return loop(out.LastEvaluatedKey, got);
      }),
    );
  return loop(after === undefined ? undefined : startOf(after), []);
};

const byKey = (a: Hit, b: Hit): number => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : a.partition < b.partition ? -1 : 1);
const byKeyDescending = (a: Hit, b: Hit): number => byKey(b, a);
const orderOf = (plan: MergePlan) => (plan.descending === true ? byKeyDescending : byKey);

type Step = { readonly taken: Hit[]; readonly cursor: MergeCursor | null };

/** One group step: merge the open partitions, take up to `need`, advance the positions. */
const step = (
  env: Env,
  plan: MergePlan,
  cur: MergeCursor,
  need: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Step> => {
  const group = plan.groups[cur.g] ?? [];
  const open = group.filter((p) => !cur.done.includes(p));
  return pipe(
    open,
    // one extra item per partition tells whether anything is left after this page; the
    // partitions (a day's shards) at once: each is one Query, independent of the others
    A.traverse(TE.ApplicativePar)((p) => fetchPartition(env, plan, p, cur.pos[p], need + 1, ctx)),
    TE.map((fetched) => {
      const taken = fetched
        .flatMap((f) => f.hits)
        .sort(orderOf(plan))
        .slice(0, need);
      const pos = { ...cur.pos };
      for (const h of taken) pos[h.partition] = h.sk;
      const done = [...cur.done];
      for (const f of fetched) {
        const last = f.hits[f.hits.length - 1];
        if (f.exhausted && (last === undefined || pos[f.partition] === last.sk)) done.push(f.partition);
      }
      const groupDone = group.every((p) => done.includes(p));
      const next: MergeCursor | null = !groupDone
        ? { ...cur, pos, done }
        : cur.g + 1 < plan.groups.length
          ? { ...cur, g: cur.g + 1, pos: {}, done: [] }
          : null;
      return { taken, cursor: next };
    }),
  );
};

const BATCH_GET_MAX = 100;

/** The rows of a KEYS_ONLY page: the STATE items of its hits, in the hits' order. */
const hydrate = (env: Env, hits: Hit[], ctx: ErrorContext): TE.TaskEither<StoreError, Hit[]> => {
  const ids = hits.map((h) => messageIdOfIndexSk(h.sk));
  const chunks = Array.from({ length: Math.ceil(ids.length / BATCH_GET_MAX) }, (_, i) =>
    ids.slice(i * BATCH_GET_MAX, (i + 1) * BATCH_GET_MAX),
  );
  const now = epochSeconds(env.clock());
  return pipe(
    chunks,
    A.traverse(TE.ApplicativePar)((chunk) => batchGet(env, ctx, chunk.map(stateKey), false)),
    TE.map((got) => {
      const byId = new Map(got.flat().map((item) => [String(item.messageId), item]));
      return hits.flatMap((h) => {
        const item = byId.get(messageIdOfIndexSk(h.sk));
        const ttl = item?.[TTL_ATTRIBUTE];
        // gone (expunged partition, TTL deletion) or past its TTL: not listed
        return item === undefined || (typeof ttl === 'number' && ttl <= now) ? [] : [{ ...h, item }];
      });
    }),
  );
};

/** One page of the merged query, decoded as StateSummary. */
export const mergeQuery = (
  env: Env,
  plan: MergePlan,
  cursor: string | undefined,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Page<StateSummary>> => {
  if (!Number.isInteger(plan.limit) || plan.limit < 1 || plan.limit > MAX_LIMIT) {
    return TE.left(Invalid(ctx, `limit must be an integer in 1..${MAX_LIMIT}`));
  }
  const q = planHash(plan);
  const start: E.Either<StoreError, MergeCursor | null> =
    cursor === undefined
      ? E.right(plan.groups.length === 0 ? null : { v: 1, q, g: 0, pos: {}, done: [] })
      : pipe(
          decodeCursor(MergeCursor, cursor, ctx),
          E.chain((c) =>
            c.q === q && c.g < plan.groups.length
              ? E.right(c)
              : E.left(Invalid(ctx, 'cursor belongs to another query')),
          ),
        );
  const loop = (
    cur: MergeCursor | null,
    acc: Hit[],
  ): TE.TaskEither<StoreError, { hits: Hit[]; cursor: MergeCursor | null }> =>
    cur === null || acc.length >= plan.limit
      ? TE.right({ hits: acc, cursor: cur })
      : pipe(
          step(env, plan, cur, plan.limit - acc.length, ctx),
          TE.chain((s) => loop(s.cursor, acc.concat(s.taken))),
        );
  return pipe(
    TE.fromEither(start),
    TE.chain((cur) => loop(cur, [])),
    TE.chain((page) =>
      plan.keysOnly === true
        ? pipe(
            hydrate(env, page.hits, ctx),
            TE.map((hits) => ({ ...page, hits })),
          )
        : TE.right(page),
    ),
    TE.chainEitherK(({ hits, cursor: next }) =>
      pipe(
        hits,
        // E.traverseArray: fp-ts's A.traverse costs tens of ms over a 1,000-row page
        E.traverseArray((h) => decodeItem(StateSummary, h.item, { ...ctx, item: h.sk })),
        E.map((items) => ({ items: [...items], cursor: next === null ? null : encodeCursor(next) })),
      ),
    ),
  );
};
