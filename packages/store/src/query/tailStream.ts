import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, type Sleep, silentLogger, sleep, systemClock } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { DEFAULT_RETRY } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { toStoreError } from '../errors/toStoreError.js';
import { makeShardReader, type ShardReader } from '../stream/shardReader.js';
import { describeShards } from '../stream/shards.js';
import type { StreamsError } from '../stream/streamsError.js';
import { type Funnel, type Streams, streamsOf } from '../stream/streamsPort.js';
import { send } from '../support/send.js';
import { unmarshallStreamImage } from '../support/streamImage.js';

// ---------------------------------------------------------------------------
// model: new items as they are written, read from the table's stream (read-only: no
// checkpoint, nothing projected). For `dh tail`. It reads with the local poller's shard reader
// (renewed iterators, trimmed positions, ended shards), and every call goes through the store's
// one funnel (send + toStoreError): throttling, 5xx and network errors are retried with the
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
  /** core's ports; default: the system clock and a timer. */
  readonly clock?: Clock;
  readonly sleep?: Sleep;
};

/** The new images of INSERT records, unmarshalled (records that are not items are skipped). */
const insertedImages = (records: ReadonlyArray<_Record>): Record<string, unknown>[] =>
  records.flatMap((rec) => {
    const image = rec.dynamodb?.NewImage;
    if (rec.eventName !== 'INSERT' || image === undefined) return [];
    const item = unmarshallStreamImage(image as Record<string, unknown>);
    return E.isRight(item) ? [item.right] : [];
  });

const streamArnOf = (funnel: Funnel, input: TailStreamInput): TE.TaskEither<StoreError, string> => {
  const ctx: ErrorContext = { op: 'tailStream.describeTable' };
  return pipe(
    send(funnel, ctx, [input.tableName], () =>
      input.client.send(new DescribeTableCommand({ TableName: input.tableName })),
    ),
    TE.chain((d) => {
      const arn = d.Table?.LatestStreamArn;
      return arn === undefined ? TE.left(Invalid(ctx, `table "${input.tableName}" has no stream`)) : TE.right(arn);
    }),
  );
};

/** A shard reader's failure as the StoreError the funnel made of it. */
const storeErrorOf = (e: StreamsError): StoreError =>
  toStoreError({ op: `tailStream.${e.op}`, ...(e.shardId !== undefined ? { item: e.shardId } : {}) })(e.cause);

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

type TailState = {
  readonly streams: Streams;
  readonly arn: string;
  /** Shard id -> its reader; null once the shard is closed and read to its end (or skipped). */
  readonly readers: Map<string, ShardReader | null>;
  /** Images read while opening shards, handed out by the next `next()`. */
  readonly pending: Record<string, unknown>[];
  refreshedAt: number;
};

/** One read of one shard: its INSERT images, and its reader advanced past them. */
const readShard = async (
  st: TailState,
  id: string,
  reader: ShardReader,
  images: Record<string, unknown>[],
): Promise<E.Either<StoreError, void>> => {
  const r = await reader.read();
  switch (r._tag) {
    case 'Records': {
      const last = r.records[r.records.length - 1]?.dynamodb?.SequenceNumber;
      if (last !== undefined) reader.advance(last);
      images.push(...insertedImages(r.records));
      return E.right(undefined);
    }
    case 'Empty':
      return E.right(undefined);
    case 'Ended':
      st.readers.set(id, null);
      return E.right(undefined);
    case 'Failed':
      return E.left(storeErrorOf(r.error));
  }
};

/**
 * New shards: from LATEST on the first look (closed ones are skipped), from their start later.
 * Each new shard is read once at once, so its iterator is taken now: nothing written after
 * this returns is missed (what that read finds waits in `pending`).
 */
const refresh = async (st: TailState, first: boolean): Promise<E.Either<StoreError, void>> => {
  const shards = await describeShards(st.streams, st.arn);
  if (E.isLeft(shards)) return E.left(storeErrorOf(shards.left));
  for (const s of shards.right) {
    if (st.readers.has(s.shardId)) continue;
    if (first && s.endingSequenceNumber !== null) {
      st.readers.set(s.shardId, null);
      continue;
    }
    const reader = makeShardReader({
      streams: st.streams,
      streamArn: st.arn,
      shardId: s.shardId,
      after: null,
      startAt: first ? 'LATEST' : 'TRIM_HORIZON',
      batchLimit: 1000,
    });
    st.readers.set(s.shardId, reader);
    const opened = await readShard(st, s.shardId, reader, st.pending);
    if (E.isLeft(opened)) return opened;
  }
  return E.right(undefined);
};

/** Every open shard read once, in order, stopping at the first error. */
const readAll = async (st: TailState, images: Record<string, unknown>[]): Promise<E.Either<StoreError, void>> => {
  for (const [id, reader] of [...st.readers]) {
    if (reader === null) continue;
    const read = await readShard(st, id, reader, images);
    if (E.isLeft(read)) return read;
  }
  return E.right(undefined);
};

type TailTiming = { readonly pollMs: number; readonly refreshMs: number; readonly clock: Clock; readonly sleep: Sleep };

const nextOf =
  (st: TailState, o: TailTiming): StreamTail['next'] =>
  () =>
  async () => {
    const now = o.clock().getTime();
    if (now - st.refreshedAt > o.refreshMs || [...st.readers.values()].every((v) => v === null)) {
      const refreshed = await refresh(st, false);
      if (E.isLeft(refreshed)) return refreshed;
      st.refreshedAt = now;
    }
    const images = st.pending.splice(0);
    const read = await readAll(st, images);
    if (E.isLeft(read)) return read;
    if (images.length === 0) await o.sleep(o.pollMs);
    return E.right(images);
  };

/**
 * Starts at the stream's end (LATEST) of every open shard; a shard opened later (a split,
 * a child of a closed one) is read from its start, so nothing written after the call is
 * missed. A table without a stream is `Invalid`.
 */
export const tailStream = (input: TailStreamInput): TE.TaskEither<StoreError, StreamTail> => {
  const clock = input.clock ?? systemClock;
  const pause = input.sleep ?? sleep;
  const funnel: Funnel = { retry: DEFAULT_RETRY, random: Math.random, sleep: pause, logger: silentLogger };
  return pipe(
    streamArnOf(funnel, input),
    TE.chain((arn) => async () => {
      const st: TailState = {
        streams: streamsOf(input.streams, funnel),
        arn,
        readers: new Map(),
        pending: [],
        refreshedAt: clock().getTime(),
      };
      const opened = await refresh(st, true);
      if (E.isLeft(opened)) return opened;
      const o = { pollMs: input.pollMs ?? 250, refreshMs: input.refreshMs ?? 10_000, clock, sleep: pause };
      return E.right<StoreError, StreamTail>({ next: nextOf(st, o) });
    }),
  );
};
