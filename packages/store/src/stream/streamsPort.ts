import {
  DescribeStreamCommand,
  type DescribeStreamCommandInput,
  type DescribeStreamCommandOutput,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type GetShardIteratorCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { silentLogger, sleep } from '@delivery-history/core';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { DEFAULT_RETRY, type Env } from '../env.js';
import { send } from '../support/send.js';
import { type StreamsCallContext, type StreamsError, streamsErrorOf } from './streamsError.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** The three DynamoDB Streams calls the poller makes (a seam for fault injection in tests). */
export type StreamsPort = {
  describeStream(input: DescribeStreamCommandInput): Promise<DescribeStreamCommandOutput>;
  getShardIterator(input: GetShardIteratorCommandInput): Promise<GetShardIteratorCommandOutput>;
  getRecords(input: GetRecordsCommandInput): Promise<GetRecordsCommandOutput>;
};

/** The same calls, their failures mapped once to a StreamsError (what the poller's units use). */
export type Streams = {
  describeStream(input: DescribeStreamCommandInput): TE.TaskEither<StreamsError, DescribeStreamCommandOutput>;
  getShardIterator(input: GetShardIteratorCommandInput): TE.TaskEither<StreamsError, GetShardIteratorCommandOutput>;
  getRecords(input: GetRecordsCommandInput): TE.TaskEither<StreamsError, GetRecordsCommandOutput>;
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const streamsPortOf = (client: DynamoDBStreamsClient): StreamsPort => ({
  describeStream: (input) => client.send(new DescribeStreamCommand(input)),
  getShardIterator: (input) => client.send(new GetShardIteratorCommand(input)),
  getRecords: (input) => client.send(new GetRecordsCommand(input)),
});

export const isStreamsPort = (u: DynamoDBStreamsClient | StreamsPort): u is StreamsPort =>
  typeof (u as Partial<StreamsPort>).getRecords === 'function';

/** The store's funnel settings and ports (`send`): its retries of Throttled/Transient, its sleep. */
export type Funnel = Pick<Env, 'retry' | 'random' | 'sleep' | 'logger'>;

/** No retries: the poller's shard loop backs off itself (and is woken early when stopping). */
const ONCE: Funnel = { retry: { ...DEFAULT_RETRY, maxRetries: 0 }, random: Math.random, sleep, logger: silentLogger };

/** One call through the store's funnel (send + toStoreError), then read as a StreamsError. */
const call = <A>(funnel: Funnel, ctx: StreamsCallContext, run: () => Promise<A>): TE.TaskEither<StreamsError, A> =>
  pipe(
    send(funnel, { op: `streams.${ctx.op}`, ...(ctx.shardId !== undefined ? { item: ctx.shardId } : {}) }, [], run),
    TE.mapLeft(streamsErrorOf(ctx)),
  );

/**
 * The one bridge from the port's promises: every call goes through the store's funnel, so a
 * rejection is a StoreError first and a StreamsError after (`streamsErrorOf`). `funnel`: whether
 * and how throttling and transient errors are retried (default: not at all, the caller backs off).
 */
export const classifiedStreams = (port: StreamsPort, funnel: Funnel = ONCE): Streams => ({
  describeStream: (input) => call(funnel, { op: 'describeStream' }, () => port.describeStream(input)),
  getShardIterator: (input) =>
    call(funnel, { op: 'getShardIterator', shardId: input.ShardId, sequenceNumber: input.SequenceNumber }, () =>
      port.getShardIterator(input),
    ),
  getRecords: (input) => call(funnel, { op: 'getRecords' }, () => port.getRecords(input)),
});

/** A client or a port, as classified calls. */
export const streamsOf = (u: DynamoDBStreamsClient | StreamsPort, funnel: Funnel = ONCE): Streams =>
  classifiedStreams(isStreamsPort(u) ? u : streamsPortOf(u), funnel);
