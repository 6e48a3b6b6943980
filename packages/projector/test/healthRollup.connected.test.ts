// The endpoint-hour roll-ups (what `dh endpoints` and the console read) against DynamoDB Local:
// after concurrent projector invocations over overlapping batches, duplicated records and a
// whole second feed, every roll-up is exactly the sum of its stored shards and of a
// recomputation from the attempts, across a day boundary, and its markers are the shards' max.
import { type AttemptItem, sumShards } from '@delivery-history/core';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  expectedBuckets,
  expectedHours,
  normalizeHours,
  storedBuckets,
  storedHours,
} from '@delivery-history/testkit/healthBuckets';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { attempt, attemptKeyed, attemptRecord, type Outcome, shuffle } from './support/projectorFixtures.js';

const SHARDS = 4;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 22:00 on one day: the attempts run into the next (two days of roll-ups). */
const BASE = Date.UTC(2025, 2, 9, 22);

type Ctx = { t: TestTable };
const Rollup = suite<Ctx>('projector: endpoint-hour roll-ups');

Rollup.before(async (ctx) => {
  ctx.t = await useTestTable('projector-rollup');
});
Rollup.after(async ({ t }) => {
  await t.drop();
});

/** Message i: 1-3 attempts to one of three endpoints, spread over 22:00-01:30. */
const messageOf = (i: number): AttemptItem[] => {
  const id = `rollup-${String(i).padStart(3, '0')}`;
  const count = 1 + (i % 3);
  const last: Outcome = i % 4 === 0 ? 'final' : 'success';
  const t0 = BASE + ((i * 7) % 210) * MINUTE;
  return Array.from({ length: count }, (_, k) => {
    const a = attempt(id, k + 1, k + 1 === count ? last : 'retry', { t0: t0 + k * 17 * MINUTE });
    return { ...a, request: { ...a.request, url: `https://hooks-${i % 3}.example.com/in` } };
  });
};

Rollup('roll-ups equal the sum of the shards after concurrent, overlapping and repeated batches', async ({ t }) => {
  const all = Array.from({ length: 60 }, (_, i) => messageOf(i)).flat();
  await writeItems(t.doc, t.tableName, all.map(attemptKeyed));
  const records = all.map((a) => attemptRecord(a));
  // three invocations at once (separate processes: each its own index memory), each over a
  // shuffled two-thirds of the records: every record arrives twice, some three times
  const deps = () => makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { healthShards: SHARDS });
  const batches = [1, 2, 3].map((seed) => shuffle(records, seed).slice(0, Math.ceil((records.length * 2) / 3)));
  const firsts = await Promise.all(
    batches.map((b, k) => projectMessages(deps(), [...b, ...(k === 0 ? b.slice(0, 20) : [])])),
  );
  // whatever a lost race left (a conflict retried out) comes back, as Lambda redelivers it; then all again
  const failed = new Set(firsts.flatMap((r) => r.failedSequenceNumbers));
  const again = await projectMessages(
    deps(),
    records.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? '')),
  );
  assert.equal(again.failedSequenceNumbers, []);
  const whole = await projectMessages(deps(), records);
  assert.equal(whole.failedSequenceNumbers, [], 'the whole stream once more');

  const window = [new Date(BASE - HOUR), new Date(BASE + 6 * HOUR)] as const;
  const shards = await storedBuckets(t, ...window);
  assert.equal(shards, expectedBuckets(all, SHARDS), 'the shards: every attempt once');
  const hours = await storedHours(t, ...window);
  assert.equal(hours, expectedHours(shards), 'each roll-up: the sum of its stored shards');
  assert.equal(hours, normalizeHours(sumShards(expectedBuckets(all, SHARDS))), 'and of the attempts');
  assert.equal(new Set(hours.map((h) => h.hour.slice(0, 10))).size, 2, 'two days of roll-ups');
  assert.ok(
    hours.some((h) => h.lastOk !== null) && hours.some((h) => h.lastFail !== null),
    'markers raised on the roll-ups too',
  );
  assert.is(
    hours.reduce((n, h) => n + (h.counters.n ?? 0), 0),
    all.length,
    'every attempt counted once in the roll-ups',
  );
});

Rollup.run();
