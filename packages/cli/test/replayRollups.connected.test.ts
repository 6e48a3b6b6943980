// The endpoint-hour roll-ups `dh endpoints` reads, end to end: deliveries projected by the real
// poller; then a table as an older projector left it (shards only: every roll-up and day item
// removed) still reads the same through the shards, and `dh replay endpoints` finds the missing
// roll-ups, writes them, and repairs a drifted one; the numbers never change.
import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sumShards } from '@delivery-history/core';
import { createStore } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeHours, storedHours } from '@delivery-history/testkit/healthBuckets';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const Rollups = suite<Ctx>('dh endpoints over roll-ups, and their rebuild');

const SINCE = new Date('2025-03-01T00:00:00Z');
const UNTIL = new Date('2025-03-02T00:00:00Z');
const WINDOW = ['--since', SINCE.toISOString(), '--until', UNTIL.toISOString()];

Rollups.before(async (ctx) => {
  ctx.t = await useTestTable('cli-rollups');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date('2025-03-01T10:00:00.000Z'));
  for (let i = 1; i <= 3; i++) await s.deliver({ messageId: `ok-${i}`, url: 'https://healthy.example/in' }, ['ok']);
  await s.deliver({ messageId: 'fl-1', url: 'https://flaky.example/in', maxAttempts: 5 }, ['503', '503', 'ok']);
  s.clock.set(new Date('2025-03-01T23:30:00.000Z'));
  await s.deliver({ messageId: 'br-1', url: 'https://broken.example:8443/in' }, ['503', '503', '503']);
  await projectAll(ctx.t);
});

Rollups.after(async (ctx) => {
  await ctx.t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

type Rebuild = { differences: unknown[]; rollups: { hours: number; differences: unknown[]; written: number } };

/** The shards of the window summed per endpoint-hour: what every roll-up must hold. */
const shardSums = async (t: TestTable) => {
  const r = await createStore({ doc: t.doc, tableName: t.tableName }).readEndpointHealth({
    since: SINCE,
    until: UNTIL,
  })();
  if (E.isLeft(r)) throw new Error(r.left.message);
  return normalizeHours(sumShards(r.right));
};

Rollups('shards only: read through the shards; replay writes the roll-ups and repairs a drifted one', async (ctx) => {
  const { t, env } = ctx;
  const before = await runDh(['endpoints', ...WINDOW, '--json'], env);
  ok(before);
  assert.equal(await storedHours(t, SINCE, UNTIL), await shardSums(t), 'the projector kept them: the shards summed');
  ok(await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run'], env));

  // as an older projector left the table: no roll-up, no day item
  const rollups = await t.doc.send(
    new ScanCommand({
      TableName: t.tableName,
      FilterExpression: '#t IN (:h, :d)',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':h': 'HEALTH_HOUR', ':d': 'HEALTH_DAY' },
    }),
  );
  const gone = rollups.Items ?? [];
  assert.ok(gone.length >= 4, 'roll-ups and day items were there');
  for (const i of gone) await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: i.pk, sk: i.sk } }));
  assert.equal(await storedHours(t, SINCE, UNTIL), [], 'none left');
  const fallback = await runDh(['endpoints', ...WINDOW, '--json'], env);
  ok(fallback);
  assert.equal(jsonOf(fallback), jsonOf(before), 'a day without roll-ups reads the same, from its shards');

  const dry = await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run', '--json'], env);
  ok(dry, 1);
  const report = jsonOf<Rebuild>(dry);
  assert.equal(report.differences, [], 'the shards are right');
  assert.is(report.rollups.differences.length, report.rollups.hours, 'every roll-up missing');
  const fix = await runDh(['replay', 'endpoints', ...WINDOW], env);
  ok(fix);
  assert.match(fix.stdout, new RegExp(`\\nrewrote ${report.rollups.hours} of ${report.rollups.hours} endpoint-hour`));
  assert.equal(await storedHours(t, SINCE, UNTIL), await shardSums(t), 'rebuilt: the shards summed');
  assert.equal(jsonOf(await runDh(['endpoints', ...WINDOW, '--json'], env)), jsonOf(before));

  // a drifted roll-up is what the faces show, until replay rewrites it
  await t.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      // the roll-up's key (store keys.ts healthHourKey)
      Key: { pk: 'HEALTH#broken.example:8443#sum', sk: 'HOUR#2025-03-01T23' },
      UpdateExpression: 'ADD n :five',
      ExpressionAttributeValues: { ':five': 5 },
    }),
  );
  const drifted = jsonOf<{ endpoints: Array<{ endpoint: string; deliveries: number }> }>(
    await runDh(['endpoints', ...WINDOW, '--json'], env),
  );
  assert.is(drifted.endpoints.find((e) => e.endpoint === 'broken.example:8443')?.deliveries, 3 + 5);
  const again = await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run', '--json'], env);
  ok(again, 1);
  assert.is(jsonOf<Rebuild>(again).rollups.differences.length, 1);
  ok(await runDh(['replay', 'endpoints', ...WINDOW], env));
  ok(await runDh(['replay', 'endpoints', ...WINDOW, '--dry-run'], env));
  assert.equal(jsonOf(await runDh(['endpoints', ...WINDOW, '--json'], env)), jsonOf(before));
});

Rollups.run();
