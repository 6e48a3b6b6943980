import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { _Record, GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import { type Poller, startPoller } from '@delivery-history/devkit';
import { memoryCheckpoint } from '@delivery-history/devkit/testing';
import { memoryTelemetry, sortSequenceNumbers } from '@delivery-history/projector/testing';
import { checkpointKey, streamsPortOf } from '@delivery-history/store/testing';
import type { StreamsPort } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { compareTrail } from '@delivery-history/testkit/trails';
import {
  attempt,
  attemptKeyed,
  attemptRecord,
  attempts,
  redrive,
  redriveKeyed,
} from '../../projector/test/support/projectorFixtures.js';

type Ctx = { t: TestTable; arn: string };
const Poll = suite<Ctx>('local poller on the real stream');

Poll.before(async (ctx) => {
  ctx.t = await useTestTable('projector-poller');
  if (ctx.t.streamArn === undefined) throw new Error('test table has no stream');
  ctx.arn = ctx.t.streamArn;
});
Poll.after(async ({ t }) => {
  await t.drop();
});

const withTimeout = <A>(p: Promise<A>, ms: number, what: string): Promise<A> =>
  Promise.race([
    p,
    new Promise<A>((_, fail) => setTimeout(() => fail(new Error(`${what}: no result in ${ms} ms`)), ms)),
  ]);

type PollerOptions = Parameters<typeof startPoller>[0];
/** The poller on the test table's stream, idle back-off 20 to 200 ms; `o` replaces any option. */
const pollerOn = (t: TestTable, arn: string, o: Partial<PollerOptions> = {}): Poller =>
  startPoller({ clients: t, tableName: t.tableName, streamArn: arn, idleBackoffMs: 20, maxIdleBackoffMs: 200, ...o });

const converges = async (t: TestTable, ids: readonly string[]) => {
  for (const id of ids) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, c.expected, `trail of ${id}`);
  }
};

Poll(
  'converges; malformed record logged and skipped with its sequence number; checkpoint in the table',
  async ({ t, arn }) => {
    const telemetry = memoryTelemetry();
    await writeItems(t.doc, t.tableName, [
      ...attempts('p-1', 3).map(attemptKeyed),
      ...attempts('p-2', 4, 'final').map(attemptKeyed),
      redriveKeyed(redrive('p-2', 1, 4, 6)),
      attemptKeyed(attempt('p-2', 5, 'success')),
    ]);
    await t.doc.send(
      new PutCommand({ TableName: t.tableName, Item: { pk: 'MSG#p-bad', sk: 'ATTEMPT#000001', type: 'ATTEMPT' } }),
    );
    await writeItems(t.doc, t.tableName, attempts('p-3', 2).map(attemptKeyed));
    const batches: string[] = [];
    const poller = pollerOn(t, arn, {
      deps: { telemetry },
      onBatch: (b) => {
        batches.push(b.lastSequenceNumber);
      },
    });
    try {
      await withTimeout(poller.caughtUp(), 30_000, 'caughtUp');
      await converges(t, ['p-1', 'p-2', 'p-3']);
      const s = poller.stats;
      assert.is(s.malformed, 1);
      assert.is(s.skippedRecords, 1);
      const logged = telemetry.entries.find((e) => e.message === 'malformed stream record skipped');
      assert.match(String(logged?.attributes.sequenceNumber), /^\d+$/);
      assert.match(String(logged?.attributes.reason), /AttemptItem/);
      assert.ok(s.checkpoints >= 1);
    } finally {
      await poller.stop();
    }
    const shards = await t.streams.send(
      new (await import('@aws-sdk/client-dynamodb-streams')).DescribeStreamCommand({ StreamArn: arn }),
    );
    const shardId = shards.StreamDescription?.Shards?.[0]?.ShardId ?? '';
    const cp = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: checkpointKey(arn, shardId), ConsistentRead: true }),
    );
    assert.is(cp.Item?.type, 'CHECKPOINT');
    assert.ok(batches.includes(String(cp.Item?.sequenceNumber)), 'the checkpoint is the end of a processed batch');
  },
);

Poll('a restarted poller resumes at its checkpoint and sees only new records', async ({ t, arn }) => {
  // the previous test's poller left a checkpoint in the table
  await writeItems(t.doc, t.tableName, attempts('p-4', 3).map(attemptKeyed));
  const firsts: string[] = [];
  const poller = pollerOn(t, arn, {
    onBatch: (b) => {
      firsts.push(b.firstSequenceNumber);
    },
  });
  try {
    await withTimeout(poller.caughtUp(), 30_000, 'caughtUp');
    await converges(t, ['p-1', 'p-2', 'p-3', 'p-4']);
    const s = poller.stats;
    assert.is(s.duplicates, 0, 'nothing before the checkpoint was read again');
    assert.is(s.appended, 3);
    assert.is(s.malformed, 0);
  } finally {
    await poller.stop();
  }
});

/** Wraps the real stream: one expired iterator and one trimmed checkpoint, then normal. */
const flakyPort = (real: StreamsPort, counts: { getRecords: number }): StreamsPort => {
  let expired = false;
  let trimmed = false;
  return {
    describeStream: (i) => real.describeStream(i),
    getShardIterator: async (i) => {
      if (!trimmed && i.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
        trimmed = true;
        throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
      }
      return real.getShardIterator(i);
    },
    getRecords: async (i) => {
      counts.getRecords += 1;
      if (!expired) {
        expired = true;
        throw Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' });
      }
      return real.getRecords(i);
    },
  };
};

Poll(
  'iterator expiry is renewed; a trimmed checkpoint restarts at TRIM_HORIZON and still converges',
  async ({ t, arn }) => {
    await writeItems(t.doc, t.tableName, attempts('p-5', 2).map(attemptKeyed));
    const counts = { getRecords: 0 };
    const cps = memoryCheckpoint();
    const shardId = (await streamsPortOf(t.streams).describeStream({ StreamArn: arn })).StreamDescription?.Shards?.[0]
      ?.ShardId;
    await cps.save(shardId ?? '', { sequenceNumber: '1', ended: false });
    const poller = pollerOn(t, arn, {
      clients: { doc: t.doc, streams: flakyPort(streamsPortOf(t.streams), counts) },
      checkpoint: cps,
    });
    try {
      await withTimeout(poller.caughtUp(), 30_000, 'caughtUp');
      await converges(t, ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
      assert.is(poller.stats.trimmedResets, 1);
      assert.is(poller.stats.iteratorRenewals, 1);
      assert.ok(poller.stats.duplicates > 0, 'from TRIM_HORIZON again: earlier attempts are duplicates');
    } finally {
      await poller.stop();
    }
  },
);

Poll('an idle shard is polled with exponential back-off', async ({ t, arn }) => {
  const counts = { getRecords: 0 };
  const real = streamsPortOf(t.streams);
  const counting: StreamsPort = {
    ...real,
    getRecords: (i) => {
      counts.getRecords += 1;
      return real.getRecords(i);
    },
  };
  const poller = startPoller({
    clients: { doc: t.doc, streams: counting },
    tableName: t.tableName,
    streamArn: arn,
    checkpoint: memoryCheckpoint(),
    startAt: 'LATEST',
    idleBackoffMs: 25,
    maxIdleBackoffMs: 400,
  });
  try {
    await new Promise((ok) => setTimeout(ok, 2000));
    // without back-off: 2000/25 = 80 reads; with it: 25+50+...+400 then 400 ms each: ~9
    assert.ok(counts.getRecords <= 14, `${counts.getRecords} GetRecords in 2 s`);
    assert.ok(counts.getRecords >= 4);
  } finally {
    await poller.stop();
  }
});

Poll.run();

// ---------------------------------------------------------------------------
// shard lineage, on a scripted stream (DynamoDB Local never splits shards)
// ---------------------------------------------------------------------------

const Lineage = suite<Ctx>('shard discovery and child shards');

Lineage.before(async (ctx) => {
  ctx.t = await useTestTable('projector-lineage');
  ctx.arn = 'arn:scripted';
});
Lineage.after(async ({ t }) => {
  await t.drop();
});

type Script = { readonly [shardId: string]: { parent: string | null; closed: boolean; records: _Record[] } };

const scriptedPort = (script: Script, log: string[]): StreamsPort => ({
  // the child is listed first: the poller must still read the parent first
  describeStream: async () =>
    ({
      StreamDescription: {
        Shards: Object.entries(script)
          .reverse()
          .map(([id, s]) => ({
            ShardId: id,
            ...(s.parent !== null ? { ParentShardId: s.parent } : {}),
            SequenceNumberRange: { StartingSequenceNumber: '0', ...(s.closed ? { EndingSequenceNumber: '999' } : {}) },
          })),
      },
    }) as never,
  getShardIterator: async (i) => {
    const recs = script[i.ShardId ?? '']?.records ?? [];
    const at =
      i.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
        ? recs.findIndex((r) => r.dynamodb?.SequenceNumber === i.SequenceNumber) + 1
        : 0;
    return { ShardIterator: `${i.ShardId}|${at}` } as never;
  },
  getRecords: async (i): Promise<GetRecordsCommandOutput> => {
    const [id = '', at = '0'] = (i.ShardIterator ?? '').split('|');
    const s = script[id];
    const from = Number(at);
    const recs = (s?.records ?? []).slice(from, from + (i.Limit ?? 1000));
    if (recs.length > 0) log.push(`${id}:${recs.length}`);
    const next = from + recs.length;
    const end = s?.closed === true && next >= (s?.records.length ?? 0);
    return { Records: recs, ...(end ? {} : { NextShardIterator: `${id}|${next}` }), $metadata: {} };
  },
});

Lineage(
  'children are read after their parent is read to its end; closed shards are checkpointed as ended',
  async ({ t, arn }) => {
    const a = attempts('l-1', 8);
    await writeItems(t.doc, t.tableName, a.map(attemptKeyed));
    const rec = (n: number, seq: string) =>
      attemptRecord(a[n - 1] ?? attempt('x', 1, 'retry'), seq) as unknown as _Record;
    const script: Script = {
      'shard-parent': { parent: null, closed: true, records: [rec(1, '11'), rec(2, '12'), rec(3, '13'), rec(4, '14')] },
      'shard-child': {
        parent: 'shard-parent',
        closed: false,
        records: [rec(5, '21'), rec(6, '22'), rec(7, '23'), rec(8, '24')],
      },
    };
    const log: string[] = [];
    const cps = memoryCheckpoint();
    const poller: Poller = startPoller({
      clients: { doc: t.doc, streams: scriptedPort(script, log) },
      tableName: t.tableName,
      streamArn: arn,
      checkpoint: cps,
      batchLimit: 2,
      idleBackoffMs: 10,
      maxIdleBackoffMs: 50,
    });
    try {
      await withTimeout(poller.caughtUp(), 20_000, 'caughtUp');
      assert.equal(log, ['shard-parent:2', 'shard-parent:2', 'shard-child:2', 'shard-child:2']);
      assert.is(poller.stats.healed, 0, 'no gap: the child did not run ahead');
      assert.equal(cps.positions.get('shard-parent'), { sequenceNumber: '14', ended: true });
      assert.equal(cps.positions.get('shard-child'), { sequenceNumber: '24', ended: false });
      assert.is(poller.stats.shardsDone, 1);
      const c = await compareTrail(t.doc, t.tableName, 'l-1');
      assert.equal(c.trail.entries, c.expected);
    } finally {
      await poller.stop();
    }
    assert.equal(sortSequenceNumbers(['100', '99', '1000', '99']), ['99', '100', '1000']);
  },
);

Lineage.run();
