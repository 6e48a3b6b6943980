import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { messagePk, STATE_SK } from '../keys.js';
import { send } from '../support/send.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { RawItem } from './partition.js';
import type { Page } from './stateSummary.js';

// The whole-table scan behind replay --all and verify: whole partitions per Scan page
// instead of a Query per message.

/**
 * A message found by a scan: its items as scanned (eventually consistent; one page's
 * worth), or `null` when the message straddles a page boundary and must be read whole
 * (`readPartition`).
 */
export type ScannedMessage = { readonly messageId: string; readonly items: ReadonlyArray<RawItem> | null };

export type ScanMessagesInput = {
  readonly segment: number;
  readonly totalSegments: number;
  readonly cursor: string | null;
  /** Items evaluated per page (DynamoDB's default: up to 1 MB). */
  readonly limit?: number;
};

/**
 * DynamoDB's key plus the partition cut by the previous page boundary (already handed out
 * as `items: null`), so its remaining items are skipped, not repeated.
 */
const ScanCursor = t.partial({ key: t.type({ pk: t.string, sk: t.string }), cut: t.string });
type ScanCursor = t.TypeOf<typeof ScanCursor>;

const MSG_PREFIX = messagePk('');

const checkSegment = (ctx: ErrorContext, segment: number, total: number): E.Either<StoreError, void> =>
  Number.isInteger(total) && total >= 1 && Number.isInteger(segment) && segment >= 0 && segment < total
    ? E.right(undefined)
    : E.left(Invalid(ctx, `segment ${segment} of ${total} is not a scan segment`));

/** Contiguous runs of items with the same partition key (a partition is contiguous in a segment). */
const groupByPk = (items: ReadonlyArray<RawItem>): Array<{ pk: string; items: RawItem[] }> => {
  const groups: Array<{ pk: string; items: RawItem[] }> = [];
  for (const item of items) {
    const pk = String(item.pk);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.pk === pk) last.items.push(item);
    else groups.push({ pk, items: [item] });
  }
  return groups;
};

/** The messages of one scanned page, and the partition the page boundary cut (if any). */
const messagesOf = (
  items: ReadonlyArray<RawItem>,
  from: ScanCursor,
  more: boolean,
): { found: ScannedMessage[]; cut: string | undefined } => {
  const groups = groupByPk(items);
  const found: ScannedMessage[] = [];
  let cut: string | undefined;
  groups.forEach((g, i) => {
    const last = i === groups.length - 1;
    if (i === 0 && g.pk === from.cut) {
      // the rest of a partition handed out whole on an earlier page
      if (last && more) cut = g.pk;
      return;
    }
    if (!g.pk.startsWith(MSG_PREFIX)) return; // projector checkpoints and the like
    const messageId = g.pk.slice(MSG_PREFIX.length);
    if (last && more) {
      // may continue on the next page: read whole by the caller
      found.push({ messageId, items: null });
      cut = g.pk;
    } else if (g.items.some((item) => item.sk === STATE_SK)) {
      found.push({ messageId, items: g.items });
    }
  });
  return { found, cut };
};

/**
 * One page of the messages (partitions with a STATE) of a parallel Scan segment, each with
 * its items. Every message comes back exactly once per full pass: whole, or as `items: null`
 * when a page boundary cuts it. A page may be empty while `cursor` is not null.
 */
export const scanMessages = (env: Env, input: ScanMessagesInput): TE.TaskEither<StoreError, Page<ScannedMessage>> => {
  const ctx: ErrorContext = { op: 'scanMessages' };
  const from =
    input.cursor === null ? E.right<StoreError, ScanCursor>({}) : decodeCursor(ScanCursor, input.cursor, ctx);
  return pipe(
    TE.fromEither(checkSegment(ctx, input.segment, input.totalSegments)),
    TE.chain(() => TE.fromEither(from)),
    TE.chain((cursor) =>
      pipe(
        send(env, ctx, [], () =>
          env.doc.send(
            new ScanCommand({
              TableName: env.tableName,
              Segment: input.segment,
              TotalSegments: input.totalSegments,
              ...(input.limit !== undefined ? { Limit: input.limit } : {}),
              ...(cursor.key !== undefined ? { ExclusiveStartKey: cursor.key } : {}),
            }),
          ),
        ),
        TE.map((out) => {
          const next = out.LastEvaluatedKey;
          const { found, cut } = messagesOf(out.Items ?? [], cursor, next !== undefined);
          const key = next === undefined ? undefined : { pk: String(next.pk), sk: String(next.sk) };
          return {
            items: found,
            cursor: key === undefined ? null : encodeCursor({ key, ...(cut !== undefined ? { cut } : {}) }),
          };
        }),
      ),
    ),
  );
};

/** The STATE items of one scan segment, counted (a COUNT scan, all pages). */
const countSegment = (
  env: Env,
  ctx: ErrorContext,
  segment: number,
  total: number,
): TE.TaskEither<StoreError, number> => {
  const page = (start: Record<string, unknown> | undefined, n: number): TE.TaskEither<StoreError, number> =>
    pipe(
      send(env, ctx, [], () =>
        env.doc.send(
          new ScanCommand({
            TableName: env.tableName,
            Segment: segment,
            TotalSegments: total,
            Select: 'COUNT',
            FilterExpression: 'sk = :state',
            ExpressionAttributeValues: { ':state': STATE_SK },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      ),
      TE.chain((out) =>
        out.LastEvaluatedKey === undefined
          ? TE.right(n + (out.Count ?? 0))
          : page(out.LastEvaluatedKey, n + (out.Count ?? 0)),
      ),
    );
  return page(undefined, 0);
};

/** How many messages (STATE items) the table holds, by `totalSegments` parallel COUNT scans (progress ETA). */
export const countMessages = (env: Env, totalSegments: number): TE.TaskEither<StoreError, number> => {
  const ctx: ErrorContext = { op: 'countMessages' };
  return pipe(
    TE.fromEither(checkSegment(ctx, 0, totalSegments)),
    TE.chain(() =>
      pipe(
        A.range(0, totalSegments - 1),
        A.map((segment) => countSegment(env, ctx, segment, totalSegments)),
        A.sequence(TE.ApplicativePar),
      ),
    ),
    TE.map((counts) => counts.reduce((a, b) => a + b, 0)),
  );
};
