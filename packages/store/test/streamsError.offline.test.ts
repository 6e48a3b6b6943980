import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type StreamsCallContext, type StreamsErrorTag, toStreamsError } from '../src/stream/streamsError.js';
import { classifiedStreams, type StreamsPort } from '../src/stream/streamsPort.js';

const Classify = suite('toStreamsError: Streams errors mapped once, by name and code');

const aws = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name} happened`), { name, ...extra });

const getRecords: StreamsCallContext = { op: 'getRecords' };
const fromPosition: StreamsCallContext = { op: 'getShardIterator', shardId: 's-1', sequenceNumber: '42' };
const tagOf = (ctx: StreamsCallContext, thrown: unknown): StreamsErrorTag => toStreamsError(ctx)(thrown)._tag;

Classify('iterator expiry, trimmed data and a missing shard or stream', () => {
  assert.is(tagOf(getRecords, aws('ExpiredIteratorException')), 'ExpiredIterator');
  assert.is(tagOf(getRecords, aws('TrimmedDataAccessException')), 'TrimmedData');
  assert.is(tagOf(getRecords, aws('ResourceNotFoundException')), 'Gone');
  assert.is(tagOf({ op: 'describeStream' }, aws('ResourceNotFoundException')), 'Gone');
});

Classify('a sequence number the shard does not have is a lost position only where one was given', () => {
  assert.is(tagOf(fromPosition, aws('ValidationException')), 'TrimmedData');
  assert.is(tagOf(fromPosition, aws('InvalidArgumentException')), 'TrimmedData');
  assert.is(tagOf(getRecords, aws('ValidationException')), 'Other');
  assert.is(tagOf({ op: 'getShardIterator', shardId: 's-1' }, aws('ValidationException')), 'Other');
});

Classify('throttling, 5xx and network failures are retryable (the store decides which are transient)', () => {
  for (const name of ['ThrottlingException', 'LimitExceededException', 'InternalServerError', 'TimeoutError'])
    assert.is(tagOf(getRecords, aws(name)), 'Retryable', name);
  assert.is(tagOf(getRecords, aws('SomethingNew', { $metadata: { httpStatusCode: 503 } })), 'Retryable');
  const reset = toStreamsError(getRecords)(aws('Error', { code: 'ECONNRESET' }));
  assert.is(reset._tag, 'Retryable');
  assert.is(reset.awsCode, 'ECONNRESET');
});

Classify('anything else is Other; never instanceof: plain objects and non-errors classify too', () => {
  assert.is(tagOf(getRecords, aws('AccessDeniedException', { $metadata: { httpStatusCode: 400 } })), 'Other');
  assert.is(tagOf(getRecords, { name: 'ExpiredIteratorException', message: 'plain object' }), 'ExpiredIterator');
  assert.is(tagOf(getRecords, 'a string'), 'Other');
  assert.is(tagOf(getRecords, null), 'Other');
});

Classify('the error keeps where it happened, the AWS name and the cause', () => {
  const thrown = aws('TrimmedDataAccessException');
  const e = toStreamsError(fromPosition)(thrown);
  assert.is(e.op, 'getShardIterator');
  assert.is(e.shardId, 's-1');
  assert.is(e.awsCode, 'TrimmedDataAccessException');
  assert.is(e.cause, thrown);
});

Classify('classifiedStreams: every rejection, even a synchronous throw, is a Left StreamsError', async () => {
  const port: StreamsPort = {
    describeStream: async () => {
      throw aws('ThrottlingException');
    },
    getShardIterator: () => {
      throw aws('ValidationException');
    },
    getRecords: async () => ({ Records: [], $metadata: {} }),
  };
  const streams = classifiedStreams(port);
  const d = await streams.describeStream({ StreamArn: 'arn' })();
  assert.ok(E.isLeft(d) && d.left._tag === 'Retryable');
  const it = await streams.getShardIterator({
    StreamArn: 'arn',
    ShardId: 's-1',
    ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
    SequenceNumber: '7',
  })();
  assert.ok(E.isLeft(it) && it.left._tag === 'TrimmedData' && it.left.shardId === 's-1');
  const r = await streams.getRecords({ ShardIterator: 'x' })();
  assert.ok(E.isRight(r));
});

Classify.run();
