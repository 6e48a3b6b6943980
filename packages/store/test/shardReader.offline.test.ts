import type { _Record, GetShardIteratorCommandInput } from '@aws-sdk/client-dynamodb-streams';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeShardReader, type ShardRead, type ShardReaderOptions } from '../src/stream/shardReader.js';
import { classifiedStreams, type StreamsPort } from '../src/stream/streamsPort.js';

// A scripted shard: records with sequence numbers 1..n; iterators are `it:<index>`;
// `faults` are thrown (once each, in order) by the call they name.

type Fault = { readonly call: 'getShardIterator' | 'getRecords'; readonly name: string };
type Fake = {
  readonly port: StreamsPort;
  readonly opened: string[];
  readonly reads: string[];
};

const fakeShard = (o: { n: number; closed: boolean; faults?: Fault[]; limit?: number }): Fake => {
  const faults = [...(o.faults ?? [])];
  const opened: string[] = [];
  const reads: string[] = [];
  const fault = (call: Fault['call']): void => {
    if (faults[0]?.call !== call) return;
    const f = faults.shift();
    throw Object.assign(new Error(`${f?.name}`), { name: f?.name });
  };
  const openAt = (i: GetShardIteratorCommandInput): number => {
    if (i.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') return Number(i.SequenceNumber);
    return i.ShardIteratorType === 'LATEST' ? o.n : 0;
  };
  const port: StreamsPort = {
    describeStream: async () => ({ $metadata: {} }),
    getShardIterator: async (i) => {
      opened.push(`${i.ShardIteratorType}${i.SequenceNumber !== undefined ? `:${i.SequenceNumber}` : ''}`);
      fault('getShardIterator');
      return { ShardIterator: `it:${openAt(i)}`, $metadata: {} };
    },
    getRecords: async (i) => {
      reads.push(i.ShardIterator ?? '');
      fault('getRecords');
      const from = Number((i.ShardIterator ?? 'it:0').slice(3));
      const to = Math.min(o.n, from + (i.Limit ?? 1000));
      const records: _Record[] = [];
      for (let s = from + 1; s <= to; s++) records.push({ dynamodb: { SequenceNumber: String(s) } });
      const end = o.closed && to >= o.n;
      return { Records: records, ...(end ? {} : { NextShardIterator: `it:${to}` }), $metadata: {} };
    },
  };
  return { port, opened, reads };
};

const readerOf = (fake: Fake, extra: Partial<ShardReaderOptions> = {}) => {
  const events: string[] = [];
  const reader = makeShardReader({
    streams: classifiedStreams(fake.port),
    streamArn: 'arn',
    shardId: 's-1',
    after: null,
    startAt: 'TRIM_HORIZON',
    batchLimit: 2,
    onRenewed: () => events.push('renewed'),
    onTrimmed: (lost) => events.push(`trimmed:${lost}`),
    ...extra,
  });
  return { reader, events };
};

const seqs = (r: ShardRead): string[] | string =>
  r._tag === 'Records' ? r.records.map((x) => x.dynamodb?.SequenceNumber ?? '?') : r._tag;

const Reader = suite('shardReader: one shard iterator lifecycle');

Reader('opens at TRIM_HORIZON, reads batches, then Empty while open', async () => {
  const fake = fakeShard({ n: 3, closed: false });
  const { reader } = readerOf(fake);
  assert.equal(seqs(await reader.read()), ['1', '2']);
  assert.equal(seqs(await reader.read()), ['3']);
  assert.is(seqs(await reader.read()), 'Empty');
  assert.equal(fake.opened, ['TRIM_HORIZON'], 'one iterator, then NextShardIterator');
});

Reader('resumes AFTER_SEQUENCE_NUMBER from the checkpoint; a closed shard ends after its last batch', async () => {
  const fake = fakeShard({ n: 4, closed: true });
  const { reader } = readerOf(fake, { after: '2' });
  assert.equal(seqs(await reader.read()), ['3', '4']);
  assert.is(seqs(await reader.read()), 'Ended');
  assert.is(seqs(await reader.read()), 'Ended', 'and stays ended without another call');
  assert.equal(fake.opened, ['AFTER_SEQUENCE_NUMBER:2']);
  assert.is(fake.reads.length, 1);
});

Reader('LATEST for a shard without position', async () => {
  const fake = fakeShard({ n: 3, closed: false });
  const { reader } = readerOf(fake, { startAt: 'LATEST' });
  assert.is(seqs(await reader.read()), 'Empty');
  assert.equal(fake.opened, ['LATEST']);
});

Reader('an expired iterator is renewed after the last processed record, in the same read', async () => {
  const fake = fakeShard({ n: 4, closed: false, faults: [{ call: 'getRecords', name: 'ExpiredIteratorException' }] });
  const { reader, events } = readerOf(fake, { after: '1' });
  assert.equal(seqs(await reader.read()), ['2', '3']);
  assert.equal(fake.opened, ['AFTER_SEQUENCE_NUMBER:1', 'AFTER_SEQUENCE_NUMBER:1']);
  assert.equal(events, ['renewed']);
});

Reader('renewal uses the position advanced by the caller', async () => {
  const fake = fakeShard({ n: 5, closed: false });
  const { reader } = readerOf(fake);
  await reader.read();
  reader.advance('2');
  fake.port.getRecords = async () => {
    throw Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' });
  };
  const r = await reader.read();
  assert.is(r._tag, 'Failed', 'expiry that repeats is backed off by the caller, not spun on');
  assert.equal(fake.opened.slice(1), ['AFTER_SEQUENCE_NUMBER:2', 'AFTER_SEQUENCE_NUMBER:2']);
  assert.is(reader.position, '2');
});

Reader('a trimmed checkpoint restarts at TRIM_HORIZON (reported, position cleared)', async () => {
  const fake = fakeShard({
    n: 2,
    closed: false,
    faults: [{ call: 'getShardIterator', name: 'TrimmedDataAccessException' }],
  });
  const { reader, events } = readerOf(fake, { after: '7', startAt: 'LATEST' });
  assert.equal(seqs(await reader.read()), ['1', '2']);
  assert.equal(fake.opened, ['AFTER_SEQUENCE_NUMBER:7', 'TRIM_HORIZON']);
  assert.equal(events, ['trimmed:7']);
  assert.is(reader.position, null);
});

Reader('a sequence number not in the shard (ValidationException) counts as trimmed too', async () => {
  const fake = fakeShard({ n: 1, closed: false, faults: [{ call: 'getShardIterator', name: 'ValidationException' }] });
  const { reader, events } = readerOf(fake, { after: '9' });
  assert.equal(seqs(await reader.read()), ['1']);
  assert.equal(events, ['trimmed:9']);
});

Reader('trimmed data under a live iterator also resets to TRIM_HORIZON', async () => {
  const fake = fakeShard({ n: 1, closed: false, faults: [{ call: 'getRecords', name: 'TrimmedDataAccessException' }] });
  const { reader, events } = readerOf(fake, { after: '0' });
  assert.equal(seqs(await reader.read()), ['1']);
  assert.equal(fake.opened, ['AFTER_SEQUENCE_NUMBER:0', 'TRIM_HORIZON']);
  assert.equal(events, ['trimmed:0']);
});

Reader('a shard that is gone ends', async () => {
  const fake = fakeShard({ n: 1, closed: false, faults: [{ call: 'getRecords', name: 'ResourceNotFoundException' }] });
  const { reader } = readerOf(fake);
  assert.is(seqs(await reader.read()), 'Ended');
  assert.is(seqs(await reader.read()), 'Ended');
});

Reader('retryable: Failed, then the same iterator again; other: Failed, then a new iterator', async () => {
  const fake = fakeShard({
    n: 3,
    closed: false,
    faults: [
      { call: 'getRecords', name: 'ThrottlingException' },
      { call: 'getRecords', name: 'AccessDeniedException' },
    ],
  });
  const { reader } = readerOf(fake);
  const first = await reader.read();
  assert.ok(first._tag === 'Failed' && first.error._tag === 'Retryable');
  const second = await reader.read();
  assert.ok(second._tag === 'Failed' && second.error._tag === 'Other');
  assert.equal(seqs(await reader.read()), ['1', '2']);
  assert.equal(fake.reads, ['it:0', 'it:0', 'it:0']);
  assert.equal(fake.opened, ['TRIM_HORIZON', 'TRIM_HORIZON']);
});

Reader('rewind: what was read but not processed is read again', async () => {
  const fake = fakeShard({ n: 4, closed: false });
  const { reader } = readerOf(fake);
  assert.equal(seqs(await reader.read()), ['1', '2']);
  reader.advance('2');
  assert.equal(seqs(await reader.read()), ['3', '4']);
  reader.rewind();
  assert.equal(seqs(await reader.read()), ['3', '4']);
  assert.equal(fake.opened, ['TRIM_HORIZON', 'AFTER_SEQUENCE_NUMBER:2']);
});

Reader('rewind at the end of a closed shard reads its last batch again', async () => {
  const fake = fakeShard({ n: 2, closed: true });
  const { reader } = readerOf(fake);
  assert.equal(seqs(await reader.read()), ['1', '2']);
  reader.rewind();
  assert.equal(seqs(await reader.read()), ['1', '2']);
  assert.is(seqs(await reader.read()), 'Ended');
});

Reader.run();
