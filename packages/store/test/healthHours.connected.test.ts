// The endpoint-hour roll-ups against DynamoDB Local: counted with the shards in the AUDIT
// step's transaction (a refused guard adds to neither), markers a max over the shards, the
// window read through the day items (whole hours, a day boundary, a filter, ranges and keys),
// a day without day items read from its shards (the fallback), replay's rewrite recomputing
// the roll-ups from every stored shard, and retention.
import { must as run } from '@delivery-history/testkit/must';
import type { HealthDelta, HealthHour } from '@delivery-history/core';
import type { AuditStep } from '../src/audit/auditStep.js';
import { TTL_ATTRIBUTE } from '@delivery-history/store/testing';
// the store's own test: its raw operations under the one door
import { type Env, makeEnv } from '../src/env.js';
import { healthHourKey } from '../src/keys.js';
import { indexItem, bucketPutAction } from '../src/health/healthActions.js';
import { batchPut } from '../src/ops/batchPut.js';
import { type HoursWindow, readHealthHours } from '../src/ops/readHealthHours.js';
import { writeAuditStep } from '../src/ops/writeAudit.js';
import { writeAuditSteps } from '../src/ops/writeAuditSteps.js';
import { putHealthBuckets, putHealthIndex, raiseHealthMarkers } from '../src/ops/writeEndpointHealth.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { auditEntry, auditStep } from './support/auditSteps.js';

type Ctx = { t: TestTable; env: Env };
const Hours = suite<Ctx>('store: endpoint-hour roll-ups');

Hours.before(async (ctx) => {
  ctx.t = await useTestTable('store-hours');
  ctx.env = makeEnv({ doc: ctx.t.doc, tableName: ctx.t.tableName });
});
Hours.after(async ({ t }) => {
  await t.drop();
});

const step = (from: number, to: number): AuditStep =>
  auditStep(
    from,
    Array.from({ length: to - from }, (_, i) => auditEntry(from + i + 1)),
  );

const delta = (endpoint: string, hour: string, n: number): HealthDelta => ({
  endpoint,
  hour,
  counters: { n, c_server_error: n, s_5xx: n },
  lastOk: null,
  lastFail: null,
});

const read = (env: Env, from: string, to: string, o: Partial<Pick<HoursWindow, 'keep' | 'rollupsOnly'>> = {}) =>
  run(readHealthHours(env, { since: new Date(from), until: new Date(to), ...o }));

const line = (h: HealthHour) => `${h.hour} ${h.endpoint} n=${h.counters.n ?? 0}`;
const lines = (hs: readonly HealthHour[]) => hs.map(line).sort();

Hours('the shards and their roll-up commit together; a refused guard adds to neither', async ({ env }) => {
  const hour = '2025-04-01T10';
  await run(
    putHealthIndex(
      env,
      [0, 1, 2].map((shard) => ({ endpoint: 'a.example', hour, shard })),
    ),
  );
  assert.is(
    await run(writeAuditStep(env, 'hh-1', step(0, 1), { shard: 0, deltas: [delta('a.example', hour, 2)] })),
    'written',
  );
  assert.is(
    await run(writeAuditStep(env, 'hh-1', step(0, 1), { shard: 0, deltas: [delta('a.example', hour, 2)] })),
    'moved',
    'the same step again',
  );
  const grouped = await writeAuditSteps(env, [
    { messageId: 'hh-2', step: step(0, 1), health: { shard: 1, deltas: [delta('a.example', hour, 3)] } },
    { messageId: 'hh-3', step: step(0, 1), health: { shard: 2, deltas: [delta('a.example', hour, 5)] } },
    { messageId: 'hh-1', step: step(0, 1), health: { shard: 0, deltas: [delta('a.example', hour, 2)] } },
  ])();
  assert.equal(
    grouped.map((r) => (r._tag === 'Right' ? r.right : r.left._tag)),
    ['written', 'written', 'moved'],
  );
  const [h] = await read(env, '2025-04-01T10:00:00Z', '2025-04-01T11:00:00Z');
  assert.equal(h?.counters, { n: 10, c_server_error: 10, s_5xx: 10 }, '2 + 3 + 5, the refused steps not at all');
});

Hours('markers: the roll-up keeps the max over every shard, whatever the order', async ({ env }) => {
  const hour = '2025-04-02T05';
  const m = (shard: number, at: string, kind: 'lastOk' | 'lastFail' = 'lastOk') => ({
    endpoint: 'm.example',
    hour,
    shard,
    kind,
    marker: `2025-04-02T05:${at}.000Z#s${shard}`,
  });
  await run(
    putHealthIndex(
      env,
      [0, 1].map((shard) => ({ endpoint: 'm.example', hour, shard })),
    ),
  );
  await run(raiseHealthMarkers(env, [m(1, '20:00'), m(0, '10:00', 'lastFail')]));
  await run(raiseHealthMarkers(env, [m(0, '30:00'), m(0, '05:00')]));
  await run(raiseHealthMarkers(env, [m(1, '25:00'), m(1, '40:00', 'lastFail')]));
  const [h] = await read(env, '2025-04-02T05:00:00Z', '2025-04-02T06:00:00Z');
  assert.is(h?.lastOk, '2025-04-02T05:30:00.000Z#s0');
  assert.is(h?.lastFail, '2025-04-02T05:40:00.000Z#s1');
});

Hours('the window read: whole hours, a day boundary, a filter; ranges and keys read the same', async ({ env }) => {
  const hourAt = (h: number) => new Date(Date.UTC(2025, 4, 1, 20) + h * 3_600_000).toISOString().slice(0, 13);
  const bucket = (endpoint: string, h: number, shard: number, n: number) => ({
    endpoint,
    hour: hourAt(h),
    shard,
    counters: { n },
    lastOk: null,
    lastFail: null,
  });
  // 30 hours over two day boundaries: busy has every hour on two shards (a range), quiet two
  const busy = Array.from({ length: 30 }, (_, h) => [bucket('busy.example', h, 0, 1), bucket('busy.example', h, 3, h)]);
  const quiet = [bucket('quiet.example:8443', 3, 1, 7), bucket('quiet.example:8443', 27, 2, 9)];
  await run(putHealthBuckets(env, [...busy.flat(), ...quiet]));
  const got = await read(env, `${hourAt(2)}:30:00Z`, `${hourAt(28)}:00:00Z`);
  const want = [
    ...Array.from({ length: 26 }, (_, i) => `${hourAt(i + 2)} busy.example n=${i + 3}`),
    `${hourAt(3)} quiet.example:8443 n=7`,
    `${hourAt(27)} quiet.example:8443 n=9`,
  ].sort();
  assert.equal(lines(got), want, 'every endpoint-hour of the window once, its shards summed');
  assert.equal(
    lines(await read(env, `${hourAt(2)}:30:00Z`, `${hourAt(28)}:00:00Z`, { keep: (e) => e.startsWith('quiet') })),
    want.filter((l) => l.includes('quiet')),
    'filtered',
  );
  assert.equal(
    lines(await read(env, `${hourAt(3)}:00:00Z`, `${hourAt(5)}:00:00Z`)),
    [`${hourAt(3)} busy.example n=4`, `${hourAt(3)} quiet.example:8443 n=7`, `${hourAt(4)} busy.example n=5`].sort(),
    'a short window: by key',
  );
});

Hours('a day without day items (counted before roll-ups existed) is read from its shards', async (ctx) => {
  const { env, t } = ctx;
  // what an older projector left: shard buckets and their window index, nothing else
  const old = [
    { endpoint: 'old.example', hour: '2025-05-10T01', shard: 0, counters: { n: 2 }, lastOk: null, lastFail: null },
    { endpoint: 'old.example', hour: '2025-05-10T01', shard: 3, counters: { n: 5 }, lastOk: null, lastFail: null },
  ];
  await run(
    batchPut(env, [
      ...old.map((b) => indexItem(b.hour, b.shard, b.endpoint, null)),
      ...old.map((b) => bucketPutAction(t.tableName, b, null).Put.Item ?? {}),
    ]),
  );
  // the next day has roll-ups
  await run(putHealthBuckets(env, [{ ...(old[0] as (typeof old)[0]), hour: '2025-05-11T01', counters: { n: 4 } }]));
  assert.equal(
    lines(await read(env, '2025-05-10T00:00:00Z', '2025-05-12T00:00:00Z')),
    ['2025-05-10T01 old.example n=7', '2025-05-11T01 old.example n=4'],
    'the old day summed from its shards, the new one from its roll-up',
  );
  assert.equal(
    lines(await read(env, '2025-05-10T00:00:00Z', '2025-05-12T00:00:00Z', { rollupsOnly: true })),
    ['2025-05-11T01 old.example n=4'],
    "replay's read: the roll-ups as stored",
  );
});

Hours("replay's rewrite of some shards recomputes their roll-ups from every stored shard", async ({ env }) => {
  const hour = '2025-05-20T08';
  const b = (shard: number, n: number, lastOk: string | null = null) => ({
    endpoint: 'r.example',
    hour,
    shard,
    counters: { n },
    lastOk,
    lastFail: null,
  });
  await run(putHealthBuckets(env, [b(0, 1), b(1, 2, `${hour}:10:00.000Z#x`), b(2, 4)]));
  // one shard rewritten (and one zeroed): the others stay in the sum
  await run(putHealthBuckets(env, [b(1, 20), b(2, 0)]));
  const [h] = await read(env, `${hour}:00:00Z`, '2025-05-20T09:00:00Z');
  assert.is(h?.counters.n, 21, 'shard 0 as stored + shard 1 as rewritten + shard 2 zeroed');
  assert.is(h?.lastOk, null, "the rewritten shard's marker is gone, so is the roll-up's");
});

Hours('retention: a roll-up carries its hour’s TTL, and past it is gone to the read', async (ctx) => {
  const now = { value: new Date('2025-06-02T00:30:00Z') };
  const env = makeEnv({ doc: ctx.t.doc, tableName: ctx.t.tableName, retentionDays: 1, clock: () => now.value });
  const hour = '2025-06-01T00';
  await run(putHealthIndex(env, [{ endpoint: 't.example', hour, shard: 0 }]));
  assert.is(
    await run(writeAuditStep(env, 'hh-ret', step(0, 1), { shard: 0, deltas: [delta('t.example', hour, 1)] })),
    'written',
  );
  const expected = Date.parse('2025-06-01T01:00:00Z') / 1000 + 86_400;
  const item = await ctx.t.doc.send(
    new GetCommand({ TableName: ctx.t.tableName, Key: healthHourKey('t.example', hour) }),
  );
  assert.is(item.Item?.[TTL_ATTRIBUTE], expected);
  const window = ['2025-06-01T00:00:00Z', '2025-06-01T01:00:00Z'] as const;
  assert.is((await read(env, ...window)).length, 1, 'before the TTL');
  now.value = new Date((expected + 1) * 1000);
  assert.equal(await read(env, ...window), [], 'past it: gone, though DynamoDB deleted nothing');
});

Hours.run();
