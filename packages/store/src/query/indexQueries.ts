import { endpointKeysOf, parseEndpointFilter } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { correlationPartition, endpointPartition, failedPartition } from '../keys.js';
import { ENDPOINT_INDEX_SHARDS, FAILED_INDEX_SHARDS, INDEX } from '../tableDefinition.js';
import { countMerge } from './countQuery.js';
import { type MergePlan, mergeQuery } from './mergeQuery.js';
import type { Page, StateSummary } from './stateSummary.js';

export const DEFAULT_PAGE_SIZE = 50;
/** A failed-window query reads FAILED_INDEX_SHARDS partitions per day: keep windows sane. */
export const MAX_WINDOW_DAYS = 366;

/** `oldest` first (the default) or `newest` first: the index read forwards or backwards, as cheap. */
export type QueryOrder = 'oldest' | 'newest';

/**
 * A window on createdAt for the indexes sorted by lastUpdatedAt. Since a message is updated
 * no earlier than it was created, `createdSince` also bounds the key range from below (the
 * index is read from there on, not from the start); `createdUntil` is a filter on the rows
 * read (they are paid for, not returned).
 */
export type CreatedWindow = {
  readonly createdSince?: Date | string;
  readonly createdUntil?: Date | string;
};

/** How a list is paged: the same on every index query. */
type PageInput = {
  readonly order?: QueryOrder;
  readonly limit?: number;
  readonly cursor?: string;
  /** Also count the whole window's rows (`Page.total`): one `Select: COUNT` read of its index range. */
  readonly count?: boolean;
};

export type QueryFailedInput = CreatedWindow &
  PageInput & {
    readonly since: Date | string;
    readonly until: Date | string;
    /** Only messages that will not be retried (retryEligible false). */
    readonly exhaustedOnly?: boolean;
  };

export type QueryByEndpointInput = CreatedWindow &
  PageInput & {
    readonly endpoint: string;
    readonly since?: Date | string;
    readonly until?: Date | string;
  };

/** The index is sorted by createdAt: a window on it (CreatedWindow) is a key range. */
export type QueryByCorrelationInput = CreatedWindow & PageInput & { readonly correlationId: string };

const iso = (d: Date | string): string | undefined => {
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** yyyy-mm-dd of every UTC day that [since, until) touches. */
export const daysOf = (since: string, until: string): string[] => {
  const out: string[] = [];
  const day = new Date(`${since.slice(0, 10)}T00:00:00.000Z`);
  for (; day.toISOString() < until && out.length <= MAX_WINDOW_DAYS; day.setUTCDate(day.getUTCDate() + 1)) {
    out.push(day.toISOString().slice(0, 10));
  }
  return out;
};

const shards = (n: number, partition: (shard: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => partition(i));

/**
 * Window bounds as sort-key bounds: keys are `<timestamp>#<messageId>`, so BETWEEN
 * since AND until selects exactly lastUpdatedAt in [since, until) (`until#...` > `until`).
 */
const windowOf = (
  ctx: ErrorContext,
  since: Date | string | undefined,
  until: Date | string | undefined,
): { lo: string; hi: string } | StoreError => {
  const lo = since === undefined ? '0000-01-01T00:00:00.000Z' : iso(since);
  const hi = until === undefined ? '9999-12-31T23:59:59.999Z~' : iso(until);
  if (lo === undefined || hi === undefined) return Invalid(ctx, 'since/until must be ISO-8601 timestamps');
  if (lo > hi) return Invalid(ctx, `since ${lo} is after until ${hi}`);
  return { lo, hi };
};

const isError = (x: unknown): x is StoreError => typeof x === 'object' && x !== null && '_tag' in x;

type Filter = { readonly expression: string; readonly values: Record<string, unknown> };

const allOf = (filters: ReadonlyArray<Filter | null>): { filter?: Filter } => {
  const parts = filters.filter((f): f is Filter => f !== null);
  if (parts.length === 0) return {};
  return {
    filter: {
      // one part as is: DynamoDB refuses redundant parentheses
      expression:
        parts.length === 1 ? (parts[0]?.expression ?? '') : parts.map((f) => `(${f.expression})`).join(' AND '),
      values: Object.assign({}, ...parts.map((f) => f.values)),
    },
  };
};

/** `createdAt` in [cs, cu) as a filter; null when the window is open. */
const createdFilter = (cs: string | undefined, cu: string | undefined): Filter | null => {
  if (cs === undefined && cu === undefined) return null;
  const parts = [
    ...(cs === undefined ? [] : ['createdAt >= :createdSince']),
    ...(cu === undefined ? [] : ['createdAt < :createdUntil']),
  ];
  const values = {
    ...(cs === undefined ? {} : { ':createdSince': cs }),
    ...(cu === undefined ? {} : { ':createdUntil': cu }),
  };
  return { expression: parts.join(' AND '), values };
};

/** An optional instant as ISO; `Invalid` when given but not a time. */
const isoInput = (ctx: ErrorContext, name: string, d: Date | string | undefined): string | undefined | StoreError => {
  if (d === undefined) return undefined;
  return iso(d) ?? Invalid(ctx, `${name} must be an ISO-8601 timestamp`);
};

/** The key range and filter of a created-time window over an index sorted by lastUpdatedAt. */
const createdPlan = (
  ctx: ErrorContext,
  input: CreatedWindow & { readonly since?: Date | string | undefined; readonly until?: Date | string | undefined },
): { range: { lo: string; hi: string }; filter: Filter | null } | StoreError => {
  const cs = isoInput(ctx, 'createdSince', input.createdSince);
  const cu = isoInput(ctx, 'createdUntil', input.createdUntil);
  const since = isoInput(ctx, 'since', input.since);
  if (isError(cs)) return cs;
  if (isError(cu)) return cu;
  if (isError(since)) return since;
  // updated >= created: the created bound is a key bound too
  const lo = since !== undefined && cs !== undefined && cs > since ? cs : (since ?? cs);
  const w = windowOf(ctx, lo, input.until);
  return isError(w) ? w : { range: w, filter: createdFilter(cs, cu) };
};

const newestFirst = (order: QueryOrder | undefined): boolean => order === 'newest';

/** A page of the plan, with the window's total when `count` asks for it. */
const pageOf = (
  env: Env,
  plan: MergePlan,
  input: { readonly cursor?: string; readonly count?: boolean },
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const page = mergeQuery(env, plan, input.cursor, ctx);
  if (input.count !== true) return page;
  return pipe(
    page,
    TE.chain((p) =>
      pipe(
        countMerge(env, plan, ctx),
        TE.map((total) => ({ ...p, total })),
      ),
    ),
  );
};

/** FAILED messages with lastUpdatedAt in [since, until), oldest first (or newest). */
export const queryFailed = (env: Env, input: QueryFailedInput): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const ctx: ErrorContext = { op: 'queryFailed' };
  const p = createdPlan(ctx, input);
  if (isError(p)) return TE.left(p);
  const w = p.range;
  const days = daysOf(w.lo, w.hi);
  if (days.length > MAX_WINDOW_DAYS) return TE.left(Invalid(ctx, `window longer than ${MAX_WINDOW_DAYS} days`));
  const desc = newestFirst(input.order);
  const groups = days.map((day) => shards(FAILED_INDEX_SHARDS, (s) => failedPartition(day, s)));
  return pageOf(
    env,
    {
      index: { name: INDEX.byFailedTime, pk: 'gsi1pk', sk: 'gsi1sk' },
      // day buckets newest first too
      groups: desc ? groups.reverse() : groups,
      range: w,
      ...allOf([
        input.exhaustedOnly === true ? { expression: 'retryEligible = :false', values: { ':false': false } } : null,
        p.filter,
      ]),
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      ...(desc ? { descending: true } : {}),
    },
    input,
    ctx,
  );
};

/** The later of two optional ISO bounds (`pick` the earlier for upper bounds). */
const tighter = (a: string | undefined, b: string | undefined, pick: (x: string, y: string) => boolean) =>
  a === undefined ? b : b === undefined ? a : pick(a, b) ? a : b;

/**
 * The byEndpoint index is keyed by createdAt (fixed at creation, so no STATE change rewrites
 * it): `since/until` and `createdSince/createdUntil` both select creation time; given both,
 * their intersection.
 */
const createdRange = (ctx: ErrorContext, input: QueryByEndpointInput): { lo: string; hi: string } | StoreError => {
  const bounds = (['since', 'until', 'createdSince', 'createdUntil'] as const).map((k) => isoInput(ctx, k, input[k]));
  const bad = bounds.find(isError);
  if (bad !== undefined) return bad;
  const [since, until, cs, cu] = bounds as Array<string | undefined>;
  return windowOf(
    ctx,
    tighter(since, cs, (x, y) => x > y),
    tighter(until, cu, (x, y) => x < y),
  );
};

/**
 * Messages to one endpoint, by createdAt, optionally in [since, until). The endpoint is
 * read by core's one rule (`host[:port]`, any case, trailing dot, IDN; `:80`/`:443` also the
 * default port); the keys older writers stored for it (`h.example.`) are read too, merged.
 */
export const queryByEndpoint = (
  env: Env,
  input: QueryByEndpointInput,
): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const ctx: ErrorContext = { op: 'queryByEndpoint' };
  const w = createdRange(ctx, input);
  if (isError(w)) return TE.left(w);
  const filter = parseEndpointFilter(input.endpoint);
  if (E.isLeft(filter)) return TE.left(Invalid(ctx, filter.left));
  const partitions = endpointKeysOf(filter.right).flatMap((endpoint) =>
    shards(ENDPOINT_INDEX_SHARDS, (s) => endpointPartition(endpoint, s)),
  );
  return pageOf(
    env,
    {
      index: { name: INDEX.byEndpoint, pk: 'gsi2pk', sk: 'gsi2sk' },
      groups: [partitions],
      range: w,
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      keysOnly: true,
      ...(newestFirst(input.order) ? { descending: true } : {}),
    },
    input,
    ctx,
  );
};

/** Messages sharing a correlation id, by createdAt. */
export const queryByCorrelation = (
  env: Env,
  input: QueryByCorrelationInput,
): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const ctx: ErrorContext = { op: 'queryByCorrelation', correlationId: input.correlationId };
  if (input.correlationId === '') return TE.left(Invalid(ctx, 'correlationId is empty'));
  const windowed = input.createdSince !== undefined || input.createdUntil !== undefined;
  const w = windowed ? windowOf(ctx, input.createdSince, input.createdUntil) : null;
  if (w !== null && isError(w)) return TE.left(w);
  return pageOf(
    env,
    {
      index: { name: INDEX.byCorrelation, pk: 'gsi3pk', sk: 'gsi3sk' },
      groups: [[correlationPartition(input.correlationId)]],
      ...(w !== null ? { range: w } : {}),
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      keysOnly: true,
      ...(newestFirst(input.order) ? { descending: true } : {}),
    },
    input,
    ctx,
  );
};
