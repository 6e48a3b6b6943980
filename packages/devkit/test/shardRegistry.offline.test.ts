import type { DescribeStreamCommandInput, Shard } from '@aws-sdk/client-dynamodb-streams';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeShardRegistry } from '../src/poller/shardRegistry.js';
import { classifiedStreams } from '@delivery-history/store/testing';
import type { StreamsPort } from '@delivery-history/store';

// A DescribeStream that pages `perPage` shards at a time, over a list the test changes.

const describing = (shards: { current: Shard[] }, perPage = 100, calls: DescribeStreamCommandInput[] = []) =>
  classifiedStreams({
    describeStream: async (i) => {
      calls.push(i);
      const all = shards.current;
      const from =
        i.ExclusiveStartShardId === undefined ? 0 : all.findIndex((s) => s.ShardId === i.ExclusiveStartShardId) + 1;
      const page = all.slice(from, from + perPage);
      const more = from + perPage < all.length;
      return {
        StreamDescription: { Shards: page, ...(more ? { LastEvaluatedShardId: page[page.length - 1]?.ShardId } : {}) },
        $metadata: {},
      };
    },
    getShardIterator: async () => ({ $metadata: {} }),
    getRecords: async () => ({ $metadata: {} }),
  } satisfies StreamsPort);

const shard = (id: string, parent?: string, closed = false): Shard => ({
  ShardId: id,
  ...(parent !== undefined ? { ParentShardId: parent } : {}),
  SequenceNumberRange: { StartingSequenceNumber: '0', ...(closed ? { EndingSequenceNumber: '9' } : {}) },
});

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((ok) => setImmediate(ok));
  return done;
};

const Registry = suite('shardRegistry: discovery, parents before children, retired shards');

Registry('discovers every page of DescribeStream; each shard is registered once', async () => {
  const shards = { current: [shard('a'), shard('b'), shard('c')] };
  const calls: DescribeStreamCommandInput[] = [];
  const registry = makeShardRegistry(describing(shards, 2, calls), 'arn');
  const first = await registry.discover();
  assert.ok(E.isRight(first));
  assert.equal(
    first.right.map((e) => e.info.shardId),
    ['a', 'b', 'c'],
  );
  assert.equal(
    calls.map((c) => c.ExclusiveStartShardId),
    [undefined, 'b'],
  );
  shards.current = [...shards.current, shard('d', 'c')];
  const second = await registry.discover();
  assert.ok(E.isRight(second));
  assert.equal(
    second.right.map((e) => e.info.shardId),
    ['d'],
  );
});

Registry('a child waits for its parent to be retired, even when listed first', async () => {
  const registry = makeShardRegistry(
    describing({ current: [shard('child', 'parent'), shard('parent', undefined, true)] }),
    'arn',
  );
  const found = await registry.discover();
  assert.ok(E.isRight(found));
  const [child, parent] = found.right;
  if (child === undefined || parent === undefined) throw new Error('two shards expected');
  assert.is(child.info.parentShardId, 'parent');
  assert.is(parent.info.endingSequenceNumber, '9');
  const waiting = registry.parentRetired(child);
  assert.not.ok(await settled(waiting), 'parent not retired yet');
  assert.ok(await settled(registry.parentRetired(parent)), 'no parent: nothing to wait for');
  registry.retire('parent');
  assert.ok(await settled(waiting));
  assert.ok(await settled(parent.retired));
});

Registry('a parent no longer in the stream is not waited for', async () => {
  const registry = makeShardRegistry(describing({ current: [shard('orphan', 'trimmed-away')] }), 'arn');
  const found = await registry.discover();
  assert.ok(E.isRight(found));
  const orphan = found.right[0];
  if (orphan === undefined) throw new Error('one shard expected');
  assert.is(orphan.info.parentShardId, null);
  assert.ok(await settled(registry.parentRetired(orphan)));
});

Registry('a retired closed shard still listed is not registered again', async () => {
  const shards = { current: [shard('old', undefined, true)] };
  const registry = makeShardRegistry(describing(shards), 'arn');
  await registry.discover();
  registry.retire('old');
  const again = await registry.discover();
  assert.ok(E.isRight(again));
  assert.equal(again.right, []);
});

Registry('a failed DescribeStream is a Left StreamsError, and registers nothing', async () => {
  const port: StreamsPort = {
    describeStream: async () => {
      throw Object.assign(new Error('slow down'), { name: 'LimitExceededException' });
    },
    getShardIterator: async () => ({ $metadata: {} }),
    getRecords: async () => ({ $metadata: {} }),
  };
  const r = await makeShardRegistry(classifiedStreams(port), 'arn').discover();
  assert.ok(E.isLeft(r) && r.left._tag === 'Retryable' && r.left.op === 'describeStream');
});

Registry.run();
