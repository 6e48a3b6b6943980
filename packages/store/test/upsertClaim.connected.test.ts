// Upsert-and-claim (issue 17): ONE conditional UpdateItem that creates STATE when absent and
// claims it when due. Each guarantee of createMessage + claim against DynamoDB Local (new id,
// leased, conflict, final, not due, due retry, expired lease -> takeover records `lost`), and
// the item it leaves identical, attribute for attribute in DynamoDB's own encoding, to what
// createMessage + claim leave (for a first delivery and for a due retry).
import { type AttributeValue, DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createStore, isFingerprintConflict, type Store } from '@delivery-history/store';
import {
  isAlreadyFinal,
  isConflict,
  isLeased,
  isNotDue,
  type Leased,
  type NotDue,
} from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendObserved } from '@delivery-history/testkit/storeSteps';
import { err503, left, ok200, policy, request, right, useStore, type Fixture } from './support/storeFixtures.js';

type Ctx = Fixture & { now: number; ids: number; clocked: Store };
const Upsert = suite<Ctx>('upsert-and-claim (createAndClaim)');

const T0 = Date.parse('2026-06-01T10:00:00.000Z');

Upsert.before(async (ctx) => {
  Object.assign(ctx, await useStore('store-upsert-claim'));
  ctx.now = T0;
  ctx.ids = 0;
  // a clock and ids the test controls: both paths see the same instants and lease ids
  ctx.clocked = createStore({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    retry: { baseMs: 5, maxMs: 50 },
    leaseMs: 1_000,
    clock: () => new Date(ctx.now),
    newId: () => `lease-${++ctx.ids}`,
    // core's outcome with jitter, so a retry lands in the future
    retryPolicy: policy,
    random: () => 0.9,
  });
});
Upsert.after(async ({ t }) => t.drop());

const key = (id: string): Record<string, AttributeValue> => ({ pk: { S: `MSG#${id}` }, sk: { S: 'STATE' } });

/** STATE as DynamoDB stores it (marshalled AttributeValues: types and number strings included). */
const rawState = async (ctx: Ctx, id: string): Promise<Record<string, AttributeValue>> => {
  const out = await ctx.t.client.send(
    new GetItemCommand({ TableName: ctx.t.tableName, Key: key(id), ConsistentRead: true }),
  );
  if (out.Item === undefined) throw new Error(`no STATE for ${id}`);
  return out.Item;
};

const putRaw = (ctx: Ctx, item: Record<string, AttributeValue>) =>
  ctx.t.client.send(new PutItemCommand({ TableName: ctx.t.tableName, Item: item }));

const deleteRaw = (ctx: Ctx, id: string) =>
  ctx.t.client.send(new DeleteItemCommand({ TableName: ctx.t.tableName, Key: key(id) }));

/** Field by field, then as a whole (same attribute set, same encoded values). */
const assertSameItem = (upserted: Record<string, AttributeValue>, reference: Record<string, AttributeValue>) => {
  assert.equal(Object.keys(upserted).sort(), Object.keys(reference).sort(), 'same attributes');
  for (const k of Object.keys(reference)) assert.equal(upserted[k], reference[k], `attribute ${k}`);
  assert.is(JSON.stringify(sorted(upserted)), JSON.stringify(sorted(reference)), 'same bytes');
};

const sorted = (o: unknown): unknown =>
  Array.isArray(o)
    ? o.map(sorted)
    : o !== null && typeof o === 'object'
      ? Object.fromEntries(
          Object.entries(o)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : o;

Upsert('a new id is created and claimed in one call (attempt 1, PROCESSING, no FAILED index keys)', async (ctx) => {
  const req = request('up-new');
  const c = await right(ctx.store.createAndClaim(req));
  assert.is(c.created, true);
  assert.is(c.state.status, 'PROCESSING');
  assert.is(c.state.attempts, 0);
  assert.is(c.ticket.attemptNumber, 1);
  assert.is(c.ticket.leaseId, c.lease.leaseId);
  assert.is(c.state.lease?.leaseId, c.lease.leaseId);
  assert.is(c.state.request.headers.authorization === 'Bearer top-secret', false, 'redacted at create');
  const raw = await rawState(ctx, req.messageId);
  assert.is(raw.gsi1pk, undefined);
  assert.ok(raw.gsi2pk?.S?.startsWith('EP#'));
  assert.ok(raw.gsi3pk?.S?.startsWith('CORR#'));
  assert.is(raw.expiresAt, undefined, 'a created STATE has no TTL');
  // and the claimed message appends as usual
  const r = await right(appendObserved(ctx.store, c, ok200));
  assert.is(r.status, 'SUCCESS');
});

Upsert('the item is identical to createMessage + claim, for a first delivery and for a due retry', async (ctx) => {
  const s = ctx.clocked;
  const req = request('up-bytes', { body: JSON.stringify({ big: 'x'.repeat(2_000), n: 1.5 }), maxAttempts: 3 });
  // first delivery: createMessage + claim ...
  ctx.now = T0;
  ctx.ids = 0;
  await right(s.createMessage(req));
  const viaClaim = await right(s.claim(req.messageId));
  const reference = await rawState(ctx, req.messageId);
  await deleteRaw(ctx, req.messageId);
  // ... versus the upsert, same instant, same lease id
  ctx.ids = 0;
  const viaUpsert = await right(s.createAndClaim(req));
  assertSameItem(await rawState(ctx, req.messageId), reference);
  assert.equal(viaUpsert.ticket, viaClaim.ticket);
  assert.equal(viaUpsert.state, viaClaim.state);

  // a due retry: FAILED (retry-eligible, with FAILED index keys), then claimed either way
  const failed = await right(
    s.appendAttempt({
      claimed: viaUpsert,
      startedAt: new Date(ctx.now),
      completedAt: new Date(ctx.now + 5),
      responseHeaders: {},
      observation: err503,
    }),
  );
  assert.is(failed.status, 'FAILED');
  const before = await rawState(ctx, req.messageId);
  assert.ok(before.gsi1pk !== undefined, 'FAILED index keys before the retry');
  ctx.now = Date.parse(failed.nextAttemptAt ?? '') + 1;
  ctx.ids = 10;
  const retryClaim = await right(s.claim(req.messageId));
  const retryReference = await rawState(ctx, req.messageId);
  await putRaw(ctx, before);
  ctx.ids = 10;
  const retryUpsert = await right(s.createAndClaim(req));
  assert.is(retryUpsert.created, false);
  assert.is(retryUpsert.ticket.attemptNumber, 2);
  assertSameItem(await rawState(ctx, req.messageId), retryReference);
  assert.equal(retryUpsert.ticket, retryClaim.ticket);
  assert.is((await rawState(ctx, req.messageId)).gsi1pk, undefined, 'FAILED index keys removed');
});

Upsert('identical item for large requests too: a 100 KB body kept, a 200 KB body dropped (truncated)', async (ctx) => {
  const s = ctx.clocked;
  for (const [label, bytes] of [
    ['kept', 100_000],
    ['dropped', 200_000],
  ] as const) {
    const req = request(`up-large-${label}`, { body: 'b'.repeat(bytes) });
    ctx.now = T0 + 30_000;
    ctx.ids = 50;
    await right(s.createMessage(req));
    await right(s.claim(req.messageId));
    const reference = await rawState(ctx, req.messageId);
    await deleteRaw(ctx, req.messageId);
    ctx.ids = 50;
    const c = await right(s.createAndClaim(req));
    assertSameItem(await rawState(ctx, req.messageId), reference);
    assert.is(c.state.request.body === null, label === 'dropped', `body ${label}`);
  }
});

Upsert('same request while leased -> Leased (with expiresAt); nothing changes', async (ctx) => {
  const req = request('up-leased');
  const first = await right(ctx.store.createAndClaim(req));
  const before = await rawState(ctx, req.messageId);
  const refused = await left(ctx.store.createAndClaim(req));
  assert.ok(isLeased(refused), refused._tag);
  assert.is((refused as Leased).expiresAt, first.lease.expiresAt);
  assert.equal(await rawState(ctx, req.messageId), before);
});

Upsert('a different request under the id -> Conflict, pending or leased; nothing overwritten', async (ctx) => {
  const req = request('up-conflict');
  await right(ctx.store.createMessage(req));
  const other = { ...req, body: JSON.stringify({ another: 'payload' }) };
  const onPending = await left(ctx.store.createAndClaim(other));
  assert.ok(isConflict(onPending), onPending._tag);
  assert.is((await right(ctx.store.getState(req.messageId))).status, 'PENDING', 'not claimed');
  await right(ctx.store.claim(req.messageId));
  const before = await rawState(ctx, req.messageId);
  const onLeased = await left(ctx.store.createAndClaim(other));
  assert.ok(isConflict(onLeased), `Conflict before Leased: ${onLeased._tag}`);
  assert.ok(isFingerprintConflict(onLeased) && isFingerprintConflict(onPending), 'the fingerprint conflict');
  assert.equal(await rawState(ctx, req.messageId), before);
});

Upsert('a final message -> AlreadyFinal', async (ctx) => {
  const req = request('up-final');
  const c = await right(ctx.store.createAndClaim(req));
  await right(appendObserved(ctx.store, c, ok200));
  const refused = await left(ctx.store.createAndClaim(req));
  assert.ok(isAlreadyFinal(refused), refused._tag);
  assert.is((await right(ctx.store.getState(req.messageId))).status, 'SUCCESS');
});

Upsert('a retry not due yet -> NotDue (with nextAttemptAt); once due it is claimed as attempt 2', async (ctx) => {
  const s = ctx.clocked;
  ctx.now = T0 + 60_000;
  const req = request('up-notdue');
  const c = await right(s.createAndClaim(req));
  const failed = await right(
    s.appendAttempt({
      claimed: c,
      startedAt: new Date(ctx.now),
      completedAt: new Date(ctx.now + 5),
      responseHeaders: {},
      observation: err503,
    }),
  );
  assert.ok(failed.nextAttemptAt !== null && Date.parse(failed.nextAttemptAt) > ctx.now, 'a retry in the future');
  const early = await left(s.createAndClaim(req));
  assert.ok(isNotDue(early), early._tag);
  assert.is((early as NotDue).nextAttemptAt, failed.nextAttemptAt);
  ctx.now = Date.parse(failed.nextAttemptAt ?? '');
  const due = await right(s.createAndClaim(req));
  assert.is(due.created, false);
  assert.is(due.ticket.attemptNumber, 2);
  assert.is(due.state.status, 'PROCESSING');
});

Upsert('an expired lease -> the takeover records the dead claim as lost and claims the next number', async (ctx) => {
  const s = ctx.clocked;
  ctx.now = T0 + 120_000;
  const req = request('up-expired');
  const dead = await right(s.createAndClaim(req));
  ctx.now += 2_000; // the 1 s lease ran out without an attempt
  const next = await right(s.createAndClaim(req));
  assert.is(next.created, false);
  assert.is(next.ticket.attemptNumber, 2);
  assert.is(next.state.attempts, 1);
  assert.ok(next.lease.leaseId !== dead.lease.leaseId);
  const h = await right(s.getHistory(req.messageId));
  assert.is(h.attempts.length, 1);
  const lost = h.attempts[0];
  assert.is(lost?.deliveryResult.category, 'lost');
  assert.is(lost?.leaseId, dead.lease.leaseId);
  assert.is(h.state.status, 'PROCESSING');
  assert.is(h.state.lease?.leaseId, next.lease.leaseId);
});

Upsert('our own committed claim (a lost reply, the same input resent) is a success', async (ctx) => {
  const s = ctx.clocked;
  ctx.now = T0 + 180_000;
  const req = request('up-own');
  ctx.ids = 100;
  const first = await right(s.createAndClaim(req));
  ctx.ids = 100; // the resend carries the identical lease
  const again = await right(s.createAndClaim(req));
  assert.equal(again.ticket, first.ticket);
});

Upsert.run();
