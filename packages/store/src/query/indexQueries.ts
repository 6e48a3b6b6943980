import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { correlationPartition, endpointPartition, failedPartition } from '../keys.js';
import { ENDPOINT_INDEX_SHARDS, FAILED_INDEX_SHARDS, INDEX } from '../tableDefinition.js';
import { mergeQuery } from './mergeQuery.js';
import type { Page, StateSummary } from './stateSummary.js';

export const DEFAULT_PAGE_SIZE = 50;
/** A failed-window query reads FAILED_INDEX_SHARDS partitions per day: keep windows sane. */
export const MAX_WINDOW_DAYS = 366;

export type QueryFailedInput = {
  readonly since: Date | string;
  readonly until: Date | string;
  /** Only messages that will not be retried (retryEligible false). */
  readonly exhaustedOnly?: boolean;
  readonly limit?: number;
  readonly cursor?: string;
};

export type QueryByEndpointInput = {
  readonly endpoint: string;
  readonly since?: Date | string;
  readonly until?: Date | string;
  readonly limit?: number;
  readonly cursor?: string;
};

export type QueryByCorrelationInput = {
  readonly correlationId: string;
  readonly limit?: number;
  readonly cursor?: string;
};

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

/** FAILED messages with lastUpdatedAt in [since, until), oldest first. */
export const queryFailed = (env: Env, input: QueryFailedInput): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const ctx: ErrorContext = { op: 'queryFailed' };
  const w = windowOf(ctx, input.since, input.until);
  if (isError(w)) return TE.left(w);
  const days = daysOf(w.lo, w.hi);
  if (days.length > MAX_WINDOW_DAYS) return TE.left(Invalid(ctx, `window longer than ${MAX_WINDOW_DAYS} days`));
  return mergeQuery(
    env,
    {
      index: { name: INDEX.byFailedTime, pk: 'gsi1pk', sk: 'gsi1sk' },
      groups: days.map((day) => shards(FAILED_INDEX_SHARDS, (s) => failedPartition(day, s))),
      range: w,
      ...(input.exhaustedOnly === true
        ? { filter: { expression: 'retryEligible = :false', values: { ':false': false } } }
        : {}),
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
    },
    input.cursor,
    ctx,
  );
};

/** Messages to one endpoint (host[:port], any case), by lastUpdatedAt, optionally in [since, until). */
export const queryByEndpoint = (
  env: Env,
  input: QueryByEndpointInput,
): TE.TaskEither<StoreError, Page<StateSummary>> => {
  const ctx: ErrorContext = { op: 'queryByEndpoint' };
  const w = windowOf(ctx, input.since, input.until);
  if (isError(w)) return TE.left(w);
  const endpoint = input.endpoint.trim().toLowerCase();
  if (endpoint === '') return TE.left(Invalid(ctx, 'endpoint is empty'));
  return mergeQuery(
    env,
    {
      index: { name: INDEX.byEndpoint, pk: 'gsi2pk', sk: 'gsi2sk' },
      groups: [shards(ENDPOINT_INDEX_SHARDS, (s) => endpointPartition(endpoint, s))],
      range: w,
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
    },
    input.cursor,
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
  return mergeQuery(
    env,
    {
      index: { name: INDEX.byCorrelation, pk: 'gsi3pk', sk: 'gsi3sk' },
      groups: [[correlationPartition(input.correlationId)]],
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
    },
    input.cursor,
    ctx,
  );
};
