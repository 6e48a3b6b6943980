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
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type StreamsError, toStreamsError } from './streamsError.js';

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

/** The one bridge from the port's promises: every rejection goes through `toStreamsError`. */
export const classifiedStreams = (port: StreamsPort): Streams => ({
  describeStream: (input) => TE.tryCatch(() => port.describeStream(input), toStreamsError({ op: 'describeStream' })),
  getShardIterator: (input) =>
    TE.tryCatch(
      () => port.getShardIterator(input),
      toStreamsError({ op: 'getShardIterator', shardId: input.ShardId, sequenceNumber: input.SequenceNumber }),
    ),
  getRecords: (input) => TE.tryCatch(() => port.getRecords(input), toStreamsError({ op: 'getRecords' })),
});

/** A client or a port, as classified calls. */
export const streamsOf = (u: DynamoDBStreamsClient | StreamsPort): Streams =>
  classifiedStreams(isStreamsPort(u) ? u : streamsPortOf(u));
