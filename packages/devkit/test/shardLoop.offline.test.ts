import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { memoryLogger } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectionReport } from '@delivery-history/projector';
import { makeCaughtUp } from '../src/poller/caughtUp.js';
import { memoryCheckpoint } from '../src/poller/checkpoint.js';
import { emptyStats } from '../src/poller/pollerStats.js';
import { type BatchInfo, runShard, type ShardLoopDeps } from '../src/poller/shardLoop.js';
import { makeShardRegistry, type ShardEntry } from '../src/poller/shardRegistry.js';
import { classifiedStreams } from '@delivery-history/store/testing';
import type { StreamsPort } from '@delivery-history/store';

// One shard of `n` records (sequence numbers 1..n), closed or open; the fake sleep records
// its delays and, for an open shard, stops the loop once it has slept `sleepsBeforeStop` times.

const shardPort = (n: number, closed: boolean): StreamsPort => ({
  describeStream: async () => ({
    StreamDescription: { Shards: [{ ShardId: 's-1', SequenceNumberRange: { StartingSequenceNumber: '1' } }] },
    $metadata: {},
  }),
  getShardIterator: async (i) => ({
    ShardIterator: `it:${i.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? i.SequenceNumber : 0}`,
    $metadata: {},
  }),
  getRecords: async (i) => {
    const from = Number((i.ShardIterator ?? 'it:0').slice(3));
    const to = Math.min(n, from + (i.Limit ?? 1000));
    const records: _Record[] = [];
    for (let s = from + 1; s <= to; s++) records.push({ dynamodb: { SequenceNumber: String(s) } });
    return { Records: records, ...(closed && to >= n ? {} : { NextShardIterator: `it:${to}` }), $metadata: {} };
  },
});

const report = (records: number, ignored = 0): ProjectionReport => ({
  records,
  ignored,
  malformed: [],
  messages: [],
  failed: [],
  failedSequenceNumbers: [],
  events: { published: 0, failed: 0 },
  breakers: { transitions: [], warnings: [], failed: 0 },
});

type Rig = {
  readonly deps: ShardLoopDeps;
  readonly entry: ShardEntry;
  readonly checkpoints: ReturnType<typeof memoryCheckpoint>;
  readonly batches: BatchInfo[];
  readonly slept: number[];
};

const rig = async (o: {
  n: number;
  closed: boolean;
  sleepsBeforeStop?: number;
  project?: ShardLoopDeps['projectBatch'];
}): Promise<Rig> => {
  const streams = classifiedStreams(shardPort(o.n, o.closed));
  const registry = makeShardRegistry(streams, 'arn');
  const found = await registry.discover();
  const entry = found._tag === 'Right' ? found.right[0] : undefined;
  if (entry === undefined) throw new Error('no shard');
  const checkpoints = memoryCheckpoint();
  const batches: BatchInfo[] = [];
  const slept: number[] = [];
  let stopped = false;
  const deps: ShardLoopDeps = {
    streams,
    streamArn: 'arn',
    startAt: 'TRIM_HORIZON',
    batchLimit: 2,
    checkpoint: checkpoints,
    projectBatch: o.project ?? (async (rs) => ({ report: report(rs.length), skipped: [] })),
    registry,
    progress: makeCaughtUp(),
    stats: emptyStats(),
    logger: memoryLogger(),
    sleep: async (ms) => {
      slept.push(ms);
      if (slept.length >= (o.sleepsBeforeStop ?? 1_000)) stopped = true;
    },
    random: () => 0,
    idle: { baseMs: 10, maxMs: 40 },
    checkpointAfterIgnored: 3,
    onBatch: (b) => {
      batches.push(b);
    },
    isStopped: () => stopped,
  };
  return { deps, entry, checkpoints, batches, slept };
};

const Loop = suite('shardLoop: one shard from its checkpoint to its end');

Loop('a closed shard is read in batches, checkpointed after each, then checkpointed as ended', async () => {
  const r = await rig({ n: 3, closed: true });
  await runShard(r.deps)(r.entry);
  assert.equal(
    r.batches.map((b) => [b.firstSequenceNumber, b.lastSequenceNumber, b.checkpointed]),
    [
      ['1', '2', true],
      ['3', '3', true],
    ],
  );
  assert.equal(r.checkpoints.positions.get('s-1'), { sequenceNumber: '3', ended: true });
  assert.is(r.deps.stats.shardsDone, 1);
  assert.is(r.deps.stats.checkpoints, 3);
  assert.is(r.deps.stats.records, 3);
});

Loop('a shard checkpointed as ended is not read again', async () => {
  const r = await rig({ n: 3, closed: true });
  await r.checkpoints.save('s-1', { sequenceNumber: '3', ended: true });
  await runShard(r.deps)(r.entry);
  assert.equal(r.batches, []);
  assert.is(r.deps.stats.shardsDone, 1);
});

Loop('resumes after the checkpoint', async () => {
  const r = await rig({ n: 5, closed: true });
  await r.checkpoints.save('s-1', { sequenceNumber: '3', ended: false });
  await runShard(r.deps)(r.entry);
  assert.equal(
    r.batches.map((b) => b.firstSequenceNumber),
    ['4'],
  );
});

Loop('ignored-only batches move the checkpoint only after checkpointAfterIgnored records', async () => {
  const r = await rig({
    n: 6,
    closed: false,
    sleepsBeforeStop: 1,
    project: async (rs) => ({ report: report(rs.length, rs.length), skipped: [] }),
  });
  await runShard(r.deps)(r.entry);
  assert.equal(
    r.batches.map((b) => b.checkpointed),
    [false, true, false],
  );
  assert.equal(r.checkpoints.positions.get('s-1'), { sequenceNumber: '4', ended: false });
});

Loop('an idle shard backs off by the capped doubling, without jitter', async () => {
  const r = await rig({ n: 0, closed: false, sleepsBeforeStop: 5 });
  await runShard(r.deps)(r.entry);
  assert.equal(r.slept, [10, 20, 40, 40, 40]);
  assert.is(r.checkpoints.positions.get('s-1'), undefined, 'stopped, not ended: no checkpoint');
  assert.is(r.deps.stats.shardsDone, 0);
});

Loop('a batch whose projection throws is read again after a back-off', async () => {
  let throws = 1;
  const r = await rig({
    n: 2,
    closed: true,
    project: async (rs) => {
      if (throws-- > 0) throw new Error('boom');
      return { report: report(rs.length), skipped: [] };
    },
  });
  await runShard(r.deps)(r.entry);
  assert.equal(
    r.batches.map((b) => b.lastSequenceNumber),
    ['2'],
  );
  assert.is(r.deps.stats.errors, 1);
  assert.equal(r.slept, [0], 'jittered by the injected random');
  assert.equal(r.checkpoints.positions.get('s-1'), { sequenceNumber: '2', ended: true });
});

Loop('a child starts only once its parent is retired', async () => {
  const r = await rig({ n: 1, closed: true });
  const child: ShardEntry = {
    info: { shardId: 'child', parentShardId: 's-1', endingSequenceNumber: null },
    retired: Promise.resolve(),
  };
  const loads: string[] = [];
  const checkpoint = {
    ...r.checkpoints,
    load: async (id: string) => {
      loads.push(id);
      return { sequenceNumber: null, ended: true };
    },
  };
  const loop = runShard({ ...r.deps, checkpoint })(child);
  await new Promise((ok) => setImmediate(ok));
  assert.equal(loads, [], 'waiting for the parent');
  r.deps.registry.retire('s-1');
  await loop;
  assert.equal(loads, ['child']);
});

Loop.run();
