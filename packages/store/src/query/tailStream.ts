import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { silentLogger, sleep } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { DEFAULT_RETRY, type Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { send } from '../support/send.js';
import { unmarshallStreamImage } from '../support/streamImage.js';

// ---------------------------------------------------------------------------
// model: new items as they are written, read from the table's stream (read-only: no
// checkpoint, nothing projected). For `dh tail`. Every call goes through the store's one
// funnel (send + toStoreError): throttling, 5xx and network errors are retried with the
// store's backoff, anything else is a StoreError like every other operation's.
// ---------------------------------------------------------------------------

export type StreamTail = {
  /** The NEW_IMAGEs of INSERTs since the last call (waits up to `pollMs` when there are none). */
  next(): TE.TaskEither<StoreError, ReadonlyArray<Record<string, unknown>>>;
};

export type TailStreamInput = {
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** Wait between empty reads. */
  readonly pollMs?: number;
  /** How often the shard list is refreshed (shards split and close). */
  readonly refreshMs?: number;
};

type Funnel = Pick<Env, 'retry' | 'random' | 'sleep' | 'logger'>;

const FUNNEL: Funnel = { retry: DEFAULT_RETRY, random: Math.random, sleep, logger: silentLogger };

/** The new images of INSERT records, unmarshalled (records that are not items are skipped). */
const insertedImages = (records: ReadonlyArray<_Record>): Record<string, unknown>[] =>
  records.flatMap((rec) => {
    const image = rec.dynamodb?.NewImage;
    if (rec.eventName !== 'INSERT' || image === undefined) return [];
    const item = unmarshallStreamImage(image as Record<string, unknown>);
    return E.isRight(item) ? [item.right] : [];
  });

const streamArnOf = (input: TailStreamInput): TE.TaskEither<StoreError, string> => {
  const ctx: ErrorContext = { op: 'tailStream.describeTable' };
  return pipe(
    send(FUNNEL, ctx, [input.tableName], () =>
      input.client.send(new DescribeTableCommand({ TableName: input.tableName })),
    ),
    TE.chain((d) => {
      const arn = d.Table?.LatestStreamArn;
      return arn === undefined ? TE.left(Invalid(ctx, `table "${input.tableName}" has no stream`)) : TE.right(arn);
    }),
  );
};

const allShards = (streams: DynamoDBStreamsClient, arn: string): TE.TaskEither<StoreError, Shard[]> => {
  const ctx: ErrorContext = { op: 'tailStream.describeStream' };
  const page = (start: string | undefined, acc: Shard[]): TE.TaskEither<StoreError, Shard[]> =>
    pipe(
      send(FUNNEL, ctx, [], () =>
        streams.send(
          new DescribeStreamCommand({
            StreamArn: arn,
            ...(start !== undefined ? { ExclusiveStartShardId: start } : {}),
          }),
        ),
      ),
      TE.chain((d) => {
        const all = acc.concat(d.StreamDescription?.Shards ?? []);
        const next = d.StreamDescription?.LastEvaluatedShardId;
        return next === undefined ? TE.right(all) : page(next, all);
      }),
    );
  return page(undefined, []);
};

/** Runs the tasks one after the other, stopping at the first error. */
const inOrder = async (tasks: ReadonlyArray<TE.TaskEither<StoreError, void>>): Promise<E.Either<StoreError, void>> => {
  for (const task of tasks) {
    const r = await task();
    if (E.isLeft(r)) return r;
  }
  return E.right(undefined);
};

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

type TailState = {
  readonly input: TailStreamInput;
  readonly arn: string;
  /** Shard id -> its iterator; null once the shard is closed and read to its end. */
  readonly iterators: Map<string, string | null>;
  refreshedAt: number;
};

const setIterator = (
  st: TailState,
  shardId: string,
  type: 'LATEST' | 'TRIM_HORIZON',
): TE.TaskEither<StoreError, void> =>
  pipe(
    send(FUNNEL, { op: 'tailStream.getShardIterator', item: shardId }, [], () =>
      st.input.streams.send(
        new GetShardIteratorCommand({ StreamArn: st.arn, ShardId: shardId, ShardIteratorType: type }),
      ),
    ),
    TE.map((r) => {
      st.iterators.set(shardId, r.ShardIterator ?? null);
      return undefined;
    }),
  );

/** New shards: from LATEST on the first look (closed ones are skipped), from their start later. */
const refresh = (st: TailState, first: boolean): TE.TaskEither<StoreError, void> =>
  pipe(
    allShards(st.input.streams, st.arn),
    TE.chain(
      (shards) => () =>
        inOrder(
          shards
            .filter((s) => s.ShardId !== undefined && !st.iterators.has(s.ShardId))
            .map((s) => {
              const id = s.ShardId ?? '';
              const open = s.SequenceNumberRange?.EndingSequenceNumber === undefined;
              if (first && !open) return TE.fromIO(() => void st.iterators.set(id, null));
              return setIterator(st, id, first ? 'LATEST' : 'TRIM_HORIZON');
            }),
        ),
    ),
  );

const readShard = (st: TailState, id: string, it: string, images: Record<string, unknown>[]) =>
  pipe(
    send(FUNNEL, { op: 'tailStream.getRecords', item: id }, [], () =>
      st.input.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 })),
    ),
    TE.map((r) => {
      st.iterators.set(id, r.NextShardIterator ?? null);
      images.push(...insertedImages(r.Records ?? []));
      return undefined;
    }),
  );

const nextOf =
  (st: TailState, pollMs: number, refreshMs: number): StreamTail['next'] =>
  () =>
  async () => {
    if (Date.now() - st.refreshedAt > refreshMs || [...st.iterators.values()].every((v) => v === null)) {
      const refreshed = await refresh(st, false)();
      if (E.isLeft(refreshed)) return refreshed;
      st.refreshedAt = Date.now();
    }
    const images: Record<string, unknown>[] = [];
    const read = await inOrder(
      [...st.iterators].map(([id, it]) => (it === null ? TE.right(undefined) : readShard(st, id, it, images))),
    );
    if (E.isLeft(read)) return read;
    if (images.length === 0) await sleep(pollMs);
    return E.right(images);
  };

/**
 * Starts at the stream's end (LATEST) of every open shard; a shard opened later (a split,
 * a child of a closed one) is read from its start, so nothing written after the call is
 * missed. A table without a stream is `Invalid`.
 */
export const tailStream = (input: TailStreamInput): TE.TaskEither<StoreError, StreamTail> =>
  pipe(
    streamArnOf(input),
    TE.chain((arn) => {
      const st: TailState = { input, arn, iterators: new Map(), refreshedAt: Date.now() };
      return pipe(
        refresh(st, true),
        TE.map((): StreamTail => ({ next: nextOf(st, input.pollMs ?? 250, input.refreshMs ?? 10_000) })),
      );
    }),
  );
