import type { ChildProcess } from 'node:child_process';
import type { AttemptItem } from '@delivery-history/core';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { streamsPortOf } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectedBuckets, storedBuckets } from '@delivery-history/testkit/healthBuckets';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { bareAttempt } from '@delivery-history/testkit/itemBuilders';
import { entriesWritten, killInFourthBatch, startPollerChild, writeInOrder } from './support/pollerChild.js';
import { readWholeStream } from './support/workload.js';

// Endpoint health when the poller process (pollerMain.ts) is SIGKILLed mid-batch: some
// messages of the batch have their trail step and counts committed (one transaction), others
// not, and the batch's success/failure markers are not raised yet. Restarted, it re-reads the
// batch from its checkpoint: the head guard keeps the committed counts from being added again,
// the rest are added once, and the markers are raised for every record (also the duplicates).
// The buckets end equal to a recomputation from the attempts.

const MESSAGES = 24;
const PER_MESSAGE = 10;
const SHARDS = 2;
const ENDPOINTS = ['a.example', 'b.example:8443', 'c.example'];
const START = Date.UTC(2026, 10, 30, 22, 30);

type Ctx = { t: TestTable; children: ChildProcess[] };
const Kill = suite<Ctx>('endpoint health: poller killed mid-batch and restarted');

Kill.before(async (ctx) => {
  ctx.t = await useTestTable('projector-health-kill');
  ctx.children = [];
});
Kill.after(async ({ t, children }) => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await t.drop();
});

/** Mixed outcomes over three endpoints and several hours (a day boundary too). */
const attemptOf = (i: number, n: number): AttemptItem => {
  const last = n === PER_MESSAGE;
  const ok = last && i % 3 !== 0;
  const code = ok ? 200 : n % 3 === 0 ? null : n % 2 === 0 ? 503 : 429;
  const at = new Date(START + (i * PER_MESSAGE + n) * 97_000).toISOString();
  return bareAttempt(
    `hk-${i}`,
    n,
    at,
    {
      success: ok,
      retryEligible: !last,
      category: ok ? 'success' : code === null ? 'timeout' : code === 503 ? 'server_error' : 'rate_limited',
      statusCode: code,
      responseTime: (n * 137 + i * 31) % 2500,
    },
    `https://${ENDPOINTS[i % 3]}/x`,
  );
};

const startChild = (ctx: Ctx) => startPollerChild(ctx.t, ctx.children, { DELIVERY_HEALTH_SHARDS: String(SHARDS) });

Kill('SIGKILL mid-batch, restart: the buckets equal a recomputation from the attempts', async (ctx) => {
  const { t } = ctx;
  const ids = Array.from({ length: MESSAGES }, (_, i) => `hk-${i}`);
  // round-robin, so every batch spans several messages
  const items = Array.from({ length: PER_MESSAGE }, (_, n) => ids.map((_, i) => attemptOf(i, n + 1))).flat();
  await writeInOrder(t, items);

  // killed while the fourth batch of 30 is being written (3 are checkpointed)
  const first = startChild(ctx);
  assert.is(await killInFourthBatch(t, first, ids), 'SIGKILL');
  const atKill = await entriesWritten(t, ids);
  assert.ok(atKill > 90 && atKill < items.length, `killed mid-way (${atKill} of ${items.length} applied)`);

  const second = startChild(ctx);
  const caughtUp = await second.waitFor((l) => l.message === 'caught up', 90_000, 'caught up');
  assert.ok(Number(caughtUp.duplicates) > 0, 'the interrupted batch was read again');
  second.child.kill('SIGTERM');
  assert.is(await second.exited, '0');

  const since = new Date(START - 3_600_000);
  const until = new Date(START + 2 * 86_400_000);
  const expected = expectedBuckets(items, SHARDS);
  assert.ok(new Set(expected.map((b) => b.hour)).size > 5, 'several hour buckets');
  assert.equal(await storedBuckets(t, since, until), expected, 'after the kill: every attempt counted once');

  // and the whole stream fed again on top changes nothing
  const deps = makeProjectorDeps(
    { doc: t.doc, tableName: t.tableName },
    { healthShards: SHARDS, driftCheckMaxAttempts: 0 },
  );
  const again = await projectMessages(deps, await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? ''));
  assert.equal(again.failedSequenceNumbers, []);
  assert.equal(await storedBuckets(t, since, until), expected, 'fed again: unchanged');
});

Kill.run();
