// The store's endpoint-health operations against DynamoDB Local: the counts ride in the AUDIT
// step's transaction (a refused head guard adds nothing), markers are a max in any order, the
// window read finds buckets through the day index (hours widened, a day boundary, a filter),
// and replay's Put overwrites.
import { must as run } from '@delivery-history/testkit/must';
import type { HealthDelta } from '@delivery-history/core';
import type { AuditStep } from '../src/audit/auditStep.js';
import { TTL_ATTRIBUTE } from '@delivery-history/store/testing';
// the store's own test: its raw operations under the one door
import { type Env, makeEnv } from '../src/env.js';
import { readEndpointHealth } from '../src/ops/readEndpointHealth.js';
import { writeAuditStep } from '../src/ops/writeAudit.js';
import { writeAuditSteps } from '../src/ops/writeAuditSteps.js';
import { putHealthBuckets, putHealthIndex, raiseHealthMarkers } from '../src/ops/writeEndpointHealth.js';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { auditEntry, auditStep } from './support/auditSteps.js';

type Ctx = { t: TestTable; env: Env };
const Health = suite<Ctx>('store: endpoint health');

Health.before(async (ctx) => {
  ctx.t = await useTestTable('store-health');
  ctx.env = makeEnv({ doc: ctx.t.doc, tableName: ctx.t.tableName });
});
Health.after(async ({ t }) => {
  await t.drop();
});

/** The step that takes a trail from `from` entries to `to`. */
const step = (from: number, to: number): AuditStep =>
  auditStep(
    from,
    Array.from({ length: to - from }, (_, i) => auditEntry(from + i + 1)),
  );

const delta = (hour: string, n: number): HealthDelta => ({
  endpoint: 'h.example',
  hour,
  counters: { n, c_server_error: n, s_5xx: n },
  lastOk: null,
  lastFail: null,
});

const day = (from: string, to: string, ctx: Ctx, keep?: (e: string) => boolean) =>
  run(readEndpointHealth(ctx.env, { since: new Date(from), until: new Date(to), ...(keep ? { keep } : {}) }));

Health('counts commit with their step; a step the head guard refuses adds nothing', async (ctx) => {
  const { env } = ctx;
  await run(putHealthIndex(env, [{ endpoint: 'h.example', hour: '2025-01-01T00', shard: 1 }]));
  const health = { shard: 1, deltas: [delta('2025-01-01T00', 2)] };
  assert.is(await run(writeAuditStep(env, 'hs-1', step(0, 2), health)), 'written');
  assert.is(await run(writeAuditStep(env, 'hs-1', step(0, 2), health)), 'moved', 'the same step again');
  assert.is(await run(writeAuditStep(env, 'hs-1', step(1, 2), health)), 'moved', 'a stale position');
  assert.is(
    await run(writeAuditStep(env, 'hs-1', step(2, 3), { shard: 1, deltas: [delta('2025-01-01T00', 1)] })),
    'written',
  );
  const [b] = await day('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', ctx);
  assert.equal(b?.counters, { n: 3, c_server_error: 3, s_5xx: 3 }, 'each count once');
  // over DynamoDB's 100 actions: refused before anything is sent
  const many = {
    shard: 1,
    deltas: Array.from({ length: 100 }, (_, i) =>
      delta(`2025-02-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}`, 1),
    ),
  };
  const r = await writeAuditStep(env, 'hs-2', step(0, 1), many)();
  assert.ok(E.isLeft(r) && r.left._tag === 'TooLarge');
});

Health('markers keep the max whatever the order; a refused raise is success', async (ctx) => {
  const { env } = ctx;
  const b = { endpoint: 'm.example', hour: '2025-01-02T05', shard: 0 };
  const m = (at: string, id: string) => ({ ...b, kind: 'lastOk' as const, marker: `2025-01-02T05:${at}.000Z#${id}` });
  await run(putHealthIndex(env, [b]));
  await run(raiseHealthMarkers(env, [m('10:00', 'b')]));
  await run(raiseHealthMarkers(env, [m('05:00', 'a'), m('10:00', 'a')]));
  await run(raiseHealthMarkers(env, [m('30:00', 'c'), { ...m('01:00', 'z'), kind: 'lastFail' }]));
  await run(raiseHealthMarkers(env, [m('20:00', 'd')]));
  const [got] = await day('2025-01-02T05:00:00Z', '2025-01-02T06:00:00Z', ctx);
  assert.is(got?.lastOk, '2025-01-02T05:30:00.000Z#c');
  assert.is(got?.lastFail, '2025-01-02T05:01:00.000Z#z');
});

Health('the window read: whole hours, across a day boundary, filtered, then overwritten by replay', async (ctx) => {
  const { env } = ctx;
  const bucket = (endpoint: string, hour: string, shard: number, n: number) => ({
    endpoint,
    hour,
    shard,
    counters: { n },
    lastOk: null,
    lastFail: null,
  });
  await run(
    putHealthBuckets(env, [
      bucket('w.example', '2025-01-03T23', 0, 1),
      bucket('w.example', '2025-01-04T00', 2, 2),
      bucket('v.example:8443', '2025-01-04T00', 1, 4),
      bucket('w.example', '2025-01-04T02', 0, 8),
    ]),
  );
  const sum = (bs: readonly { counters: Readonly<Record<string, number>> }[]) =>
    bs.reduce((n, x) => n + (x.counters.n ?? 0), 0);
  assert.is(sum(await day('2025-01-03T23:30:00Z', '2025-01-04T00:10:00Z', ctx)), 7, 'both hours the window touches');
  assert.is(sum(await day('2025-01-03T23:30:00Z', '2025-01-04T02:00:00Z', ctx)), 7, 'until is exclusive');
  assert.is(sum(await day('2025-01-03T00:00:00Z', '2025-01-05T00:00:00Z', ctx, (e) => e === 'w.example')), 11);
  await run(putHealthBuckets(env, [bucket('w.example', '2025-01-04T02', 0, 3)]));
  assert.is(
    sum(await day('2025-01-04T02:00:00Z', '2025-01-04T03:00:00Z', ctx)),
    3,
    'a Put overwrites, it does not add',
  );
});

Health(
  'a long window: runs of hours read by range, scattered hours by key, the index names exactly what is read',
  async (ctx) => {
    const { env } = ctx;
    const hourAt = (h: number) => new Date(Date.UTC(2025, 1, 1, 20) + h * 3_600_000).toISOString().slice(0, 13);
    const bucket = (endpoint: string, h: number, shard: number) => ({
      endpoint,
      hour: hourAt(h),
      shard,
      counters: { n: h + 1 },
      lastOk: null,
      lastFail: null,
    });
    // 30 hours across two day boundaries: a shard with every hour (a range), one with two (by key)
    const busy = Array.from({ length: 30 }, (_, h) => bucket('busy.example', h, 1));
    const quiet = [bucket('quiet.example', 3, 0), bucket('quiet.example', 27, 0)];
    await run(putHealthBuckets(env, [...busy, ...quiet]));
    // an item inside the busy shard's key range that the index does not name is not read (as by key)
    await ctx.t.doc.send(
      new PutCommand({
        TableName: ctx.t.tableName,
        Item: {
          ...bucket('busy.example', 100, 1),
          hour: hourAt(10),
          pk: 'HEALTH#busy.example#1',
          sk: `HOUR#${hourAt(10)}x`,
        },
      }),
    );
    const read = await day(`${hourAt(2)}:30:00Z`, `${hourAt(28)}:00:00Z`, ctx);
    const seen = read.map((b) => `${b.endpoint} ${b.hour} ${b.counters.n}`).sort();
    const want = [...busy.slice(2, 28), quiet[0], quiet[1]]
      .map((b) => `${b?.endpoint} ${b?.hour} ${b?.counters.n}`)
      .sort();
    assert.equal(seen, want, 'every hour of the window once, whole hours, until exclusive');
  },
);

Health(
  'several messages in one transaction: a refused guard is moved, the others written, counts summed once',
  async (ctx) => {
    const { env } = ctx;
    const hour = '2025-01-07T00';
    const health = { shard: 2, deltas: [delta(hour, 1)] };
    await run(putHealthIndex(env, [{ endpoint: 'h.example', hour, shard: 2 }]));
    // hs-b's head is already at 1: its step from 0 is refused (it was applied before)
    assert.is(await run(writeAuditStep(env, 'hs-b', step(0, 1), health)), 'written');
    const results = await writeAuditSteps(env, [
      { messageId: 'hs-a', step: step(0, 1), health },
      { messageId: 'hs-b', step: step(0, 1), health },
      { messageId: 'hs-c', step: step(0, 1), health },
      { messageId: 'hs-d', step: step(0, 1), health: null },
    ])();
    assert.equal(
      results.map((r) => (E.isRight(r) ? r.right : r.left._tag)),
      ['written', 'moved', 'written', 'written'],
    );
    const [b] = await day('2025-01-07T00:00:00Z', '2025-01-07T01:00:00Z', ctx);
    // hs-b once (its own write) + hs-a + hs-c: the refused retry added nothing, the pair one ADD
    assert.equal(b?.counters, { n: 3, c_server_error: 3, s_5xx: 3 });
    // again: every guard refuses, nothing is added
    const again = await writeAuditSteps(env, [
      { messageId: 'hs-a', step: step(0, 1), health },
      { messageId: 'hs-c', step: step(0, 1), health },
    ])();
    assert.equal(
      again.map((r) => (E.isRight(r) ? r.right : r.left._tag)),
      ['moved', 'moved'],
    );
    const [after] = await day('2025-01-07T00:00:00Z', '2025-01-07T01:00:00Z', ctx);
    assert.equal(after?.counters, b?.counters);
  },
);

Health(
  'retention: every health item of an hour carries its TTL, and an hour past it is gone to the read',
  async (ctx) => {
    const now = { value: new Date('2025-01-06T00:30:00Z') };
    const env = makeEnv({ doc: ctx.t.doc, tableName: ctx.t.tableName, retentionDays: 1, clock: () => now.value });
    const hour = '2025-01-05T00';
    const b = { endpoint: 'r.example', hour, shard: 0 };
    await run(putHealthIndex(env, [b]));
    assert.is(await run(writeAuditStep(env, 'hs-ret', step(0, 1), { shard: 0, deltas: [delta(hour, 1)] })), 'written');
    await run(raiseHealthMarkers(env, [{ ...b, kind: 'lastFail', marker: `${hour}:05:00.000Z#hs-ret` }]));
    // one day after the hour ends (like the history it counts)
    const expected = Date.parse('2025-01-05T01:00:00Z') / 1000 + 86_400;
    const { items } = await run(scanHealthItems(ctx, 'r.example'));
    assert.is(items.length, 2, 'the bucket shard and its index row');
    for (const i of items) assert.is(i[TTL_ATTRIBUTE], expected, String(i.pk));
    const window = { since: new Date('2025-01-05T00:00:00Z'), until: new Date('2025-01-05T01:00:00Z') };
    assert.is((await run(readEndpointHealth(env, window))).length, 1, 'before the TTL');
    now.value = new Date((expected + 1) * 1000);
    assert.equal(await run(readEndpointHealth(env, window)), [], 'past it: gone, though DynamoDB deleted nothing');
    // replay's overwrite keeps the same TTL
    await run(
      putHealthBuckets(env, [
        { endpoint: 'r.example', hour, shard: 0, counters: { n: 1 }, lastOk: null, lastFail: null },
      ]),
    );
    for (const i of (await run(scanHealthItems(ctx, 'r.example'))).items) assert.is(i[TTL_ATTRIBUTE], expected);
  },
);

/** The health items (bucket shards and index rows) of one endpoint, raw. */
const scanHealthItems =
  (ctx: Ctx, endpoint: string) =>
  async (): Promise<E.Either<{ message: string }, { items: Record<string, unknown>[] }>> => {
    const out = await ctx.t.doc.send(
      new ScanCommand({
        TableName: ctx.t.tableName,
        FilterExpression: 'endpoint = :e',
        ExpressionAttributeValues: { ':e': endpoint },
      }),
    );
    return E.right({ items: (out.Items ?? []) as Record<string, unknown>[] });
  };

Health.run();
