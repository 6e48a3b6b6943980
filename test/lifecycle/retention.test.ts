// Retention (DELIVERY_RETENTION_DAYS) against DynamoDB Local with a controllable clock: a
// final message's items carry one TTL, its partition is hidden as a whole once it passes
// (history, queries, verify), and a re-drive before expiry keeps it.
import { type DeliveryRequest, epochSeconds, type OutcomeInput } from '@delivery-history/core';
import { projectorTrailOf, tableReader, verifyTable } from '@delivery-history/cli/testing';
import { createStore, type Store } from '@delivery-history/store';
import { TTL_ATTRIBUTE } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { err404, err503, request, right } from '../../packages/store/test/support/storeFixtures.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';

const DAY_MS = 86_400_000;
type Ctx = { t: TestTable; store: Store; now: { value: Date } };

const Retention = suite<Ctx>('retention: one TTL per partition, expired partitions are gone as a whole');

Retention.before(async (ctx) => {
  const t = await useTestTable('lifecycle-retention');
  // the deliveries happened 10 days ago: a 1-day retention has passed by the real clock too
  const now = { value: new Date(Date.now() - 10 * DAY_MS) };
  const store = createStore({
    doc: t.doc,
    tableName: t.tableName,
    clock: () => now.value,
    retentionDays: 1,
    retry: { baseMs: 5, maxMs: 50 },
  });
  Object.assign(ctx, { t, store, now });
});
Retention.after(async ({ t }) => t.drop());

const later = (ctx: Ctx, ms: number) => {
  ctx.now.value = new Date(ctx.now.value.getTime() + ms);
};

const attempt = async (ctx: Ctx, req: DeliveryRequest, input: OutcomeInput) => {
  const claimed = await right(ctx.store.claim(req.messageId));
  return right(
    ctx.store.appendAttempt({
      claimed,
      startedAt: ctx.now.value,
      completedAt: ctx.now.value,
      responseHeaders: {},
      observation: input,
    }),
  );
};

const raw = (ctx: Ctx, id: string) =>
  right(createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName }).readPartition(id));

const verify = async (ctx: Ctx, ids: string[], at: Date) => {
  const r = await verifyTable(
    { reader: tableReader(ctx.t.doc, ctx.t.tableName), trailOf: projectorTrailOf, clock: () => at.getTime() },
    { segments: 1, itemBudgetBytes: 350_000, messageIds: ids, allowLag: true, stalledAfterMs: 100 * DAY_MS },
  )();
  if (E.isLeft(r)) throw new Error(String(r.left));
  return r.right;
};

Retention('the final transaction and its sync give every item the same TTL', async (ctx) => {
  const req = request('ret-final', { maxAttempts: 2 });
  await right(ctx.store.createMessage(req));
  await attempt(ctx, req, err503);
  assert.ok(
    (await raw(ctx, req.messageId)).every((i) => i[TTL_ATTRIBUTE] === undefined),
    'not final: no TTL',
  );
  later(ctx, 60_000);
  const final = await attempt(ctx, req, err404);
  assert.is(final.final, true);
  const expected = epochSeconds(ctx.now.value) + 86_400;
  const items = await raw(ctx, req.messageId);
  assert.is(items.length, 3);
  for (const i of items) assert.is(i[TTL_ATTRIBUTE], expected, String(i.sk));
});

Retention('before its TTL the message is shown; after it, history, queries and verify see it gone', async (ctx) => {
  const id = 'ret-final';
  ctx.now.value = new Date(ctx.now.value.getTime() + DAY_MS - 5_000);
  const h = await right(ctx.store.getHistory(id));
  assert.is(h.attempts.length, 2);
  const page = await right(ctx.store.queryByCorrelation({ correlationId: `corr-${id}` }));
  assert.equal(
    page.items.map((s) => s.messageId),
    [id],
  );
  const before = await verify(ctx, [id], ctx.now.value);
  assert.ok(before.ok, JSON.stringify(before.violations));

  later(ctx, 10_000); // past the TTL; DynamoDB Local has deleted nothing
  assert.is((await raw(ctx, id)).length, 3, 'still stored');
  const gone = await ctx.store.getHistory(id)();
  assert.ok(E.isLeft(gone) && gone.left._tag === 'NotFound', 'history: gone');
  const none = await right(ctx.store.queryByCorrelation({ correlationId: `corr-${id}` }));
  assert.is(none.items.length, 0, 'queries: gone');
  const after = await verify(ctx, [id], ctx.now.value);
  assert.ok(after.ok, JSON.stringify(after.violations));
});

Retention('a partition that TTL deletion has half removed is still gone as a whole, and verify passes', async (ctx) => {
  const id = 'ret-final';
  // DynamoDB deletes item by item: drop ATTEMPT#000002 as TTL would
  const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
  await ctx.t.doc.send(
    new DeleteCommand({ TableName: ctx.t.tableName, Key: { pk: `MSG#${id}`, sk: 'ATTEMPT#000002' } }),
  );
  const gone = await ctx.store.getHistory(id)();
  assert.ok(E.isLeft(gone) && gone.left._tag === 'NotFound');
  const report = await verify(ctx, [id], ctx.now.value);
  assert.ok(report.ok, JSON.stringify(report.violations));
  // by the real clock too (the deliveries were 10 days ago)
  assert.ok((await verify(ctx, [id], new Date())).ok);
});

Retention('a re-drive before expiry clears the TTL of every item: the message is kept', async (ctx) => {
  ctx.now.value = new Date(Date.now() - 10 * DAY_MS);
  const req = request('ret-redrive', { maxAttempts: 1 });
  await right(ctx.store.createMessage(req));
  const final = await attempt(ctx, req, err404);
  assert.is(final.final, true);
  assert.ok((await raw(ctx, req.messageId)).every((i) => typeof i[TTL_ATTRIBUTE] === 'number'));
  later(ctx, 60 * 60_000);
  await right(
    ctx.store.appendRedrive({ messageId: req.messageId, requestedBy: 'test', reason: 'retry', maxAttempts: 3 }),
  );
  const items = await raw(ctx, req.messageId);
  assert.is(items.length, 3);
  for (const i of items) assert.is(i[TTL_ATTRIBUTE], undefined, String(i.sk));
  later(ctx, 5 * DAY_MS);
  const h = await right(ctx.store.getHistory(req.messageId));
  assert.is(h.state.status, 'PENDING');
  assert.is(h.redrives.length, 1);
  assert.ok((await verify(ctx, [req.messageId], ctx.now.value)).ok);
  assert.ok((await verify(ctx, [req.messageId], new Date())).ok);
});

Retention('a lost attempt that exhausts the message gives every item its TTL (takeover, then sync)', async (ctx) => {
  ctx.now.value = new Date(Date.now() - 10 * DAY_MS);
  const req = request('ret-lost', { maxAttempts: 2 });
  await right(ctx.store.createMessage(req));
  await attempt(ctx, req, err503);
  later(ctx, 60_000);
  // the second claim's writer dies: its lease expires without an attempt
  await right(ctx.store.claim(req.messageId, { leaseMs: 1_000 }));
  later(ctx, 5_000);
  const refused = await ctx.store.claim(req.messageId)();
  assert.ok(E.isLeft(refused) && refused.left._tag === 'AlreadyFinal', 'the lost attempt exhausted it');
  const expected = epochSeconds(ctx.now.value) + 86_400;
  const items = await raw(ctx, req.messageId);
  assert.equal(items.map((i) => String(i.sk)).sort(), ['ATTEMPT#000001', 'ATTEMPT#000002', 'STATE']);
  for (const i of items) assert.is(i[TTL_ATTRIBUTE], expected, String(i.sk));
  assert.ok((await verify(ctx, [req.messageId], ctx.now.value)).ok);
});

Retention('with retention off nothing carries a TTL', async (ctx) => {
  const store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  const req = request('ret-off', { maxAttempts: 1 });
  await right(store.createMessage(req));
  const claimed = await right(store.claim(req.messageId));
  await right(
    store.appendAttempt({
      claimed,
      startedAt: new Date(),
      completedAt: new Date(),
      responseHeaders: {},
      observation: err404,
    }),
  );
  assert.ok((await raw(ctx, req.messageId)).every((i) => i[TTL_ATTRIBUTE] === undefined));
});

Retention.run();
