import type { ChildProcess } from 'node:child_process';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AttemptItem, rebuildAuditTrail } from '@delivery-history/core';
import { checkpointKey, streamsPortOf } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { bareAttempt } from '@delivery-history/testkit/itemBuilders';
import { isBatch, killInFourthBatch, startPollerChild, writeInOrder } from './support/pollerChild.js';
import { compareTrail } from './support/workload.js';

// The local poller as its own process (pollerMain.ts, checkpoints in the table) is SIGKILLed
// while it works through a backlog, then started again: it resumes after its checkpoint (not
// from the start of the stream) and every trail ends equal to rebuildAuditTrail: no entry
// lost, none written twice.

const MESSAGES = 20;
const PER_MESSAGE = 12;

type Ctx = { t: TestTable; children: ChildProcess[] };
const Kill = suite<Ctx>('poller process killed mid-batch and restarted');

Kill.before(async (ctx) => {
  ctx.t = await useTestTable('projector-kill');
  ctx.children = [];
});
Kill.after(async ({ t, children }) => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await t.drop();
});

const attemptOf = (id: string, n: number): AttemptItem => {
  const last = n === PER_MESSAGE;
  return bareAttempt(id, n, new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(), {
    success: last,
    retryEligible: !last,
    category: last ? 'success' : 'timeout',
    statusCode: last ? 200 : null,
    responseTime: n,
  });
};

const startChild = (ctx: Ctx) => startPollerChild(ctx.t, ctx.children);

Kill('SIGKILL mid-batch, restart: resumes from the checkpoint and converges exactly', async (ctx) => {
  const { t } = ctx;
  const ids = Array.from({ length: MESSAGES }, (_, i) => `kill-${i}`);
  // round-robin, so every batch spans several messages
  const items = Array.from({ length: PER_MESSAGE }, (_, n) => ids.map((id) => attemptOf(id, n + 1))).flat();
  await writeInOrder(t, items);

  // first run: killed once the table shows the fourth batch being written (3 batches of 30
  // are checkpointed; entries past 90 belong to a batch not yet checkpointed)
  const first = startChild(ctx);
  assert.is(await killInFourthBatch(t, first, ids), 'SIGKILL');
  assert.not.ok(
    first.lines.some((l) => l.message === 'caught up'),
    'killed before it caught up',
  );

  const shardId = (await streamsPortOf(t.streams).describeStream({ StreamArn: t.streamArn ?? '' })).StreamDescription
    ?.Shards?.[0]?.ShardId;
  const cp = await t.doc.send(
    new GetCommand({
      TableName: t.tableName,
      Key: checkpointKey(t.streamArn ?? '', shardId ?? ''),
      ConsistentRead: true,
    }),
  );
  const saved = String(cp.Item?.sequenceNumber ?? '');
  assert.match(saved, /^\d+$/, 'a checkpoint was saved before the kill');

  // second run: resumes after the checkpoint and catches up
  const second = startChild(ctx);
  const caughtUp = await second.waitFor((l) => l.message === 'caught up', 90_000, 'caught up');
  const firstBatch = second.lines.find(isBatch);
  assert.ok(firstBatch !== undefined);
  assert.ok(BigInt(String(firstBatch?.first)) > BigInt(saved), 'the restart begins after the checkpoint');
  const attemptRecords = Number(caughtUp.records) - Number(caughtUp.ignored);
  assert.ok(attemptRecords < items.length, `it did not re-read the whole stream (${attemptRecords} attempt records)`);
  assert.is(caughtUp.skippedRecords, 0);
  assert.ok(Number(caughtUp.duplicates) > 0, 'the interrupted batch was read again and its written entries skipped');
  second.child.kill('SIGTERM');
  assert.is(await second.exited, '0', 'SIGTERM stops it cleanly');

  for (const id of ids) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, c.expected, `trail of ${id}`);
    assert.equal(
      c.trail.entries,
      rebuildAuditTrail(
        Array.from({ length: PER_MESSAGE }, (_, n) => attemptOf(id, n + 1)),
        [],
      ),
    );
  }
});

Kill.run();
