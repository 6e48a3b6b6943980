// Invariant 11 against DynamoDB Local: a hold event and its STATE change are one transaction;
// a held message is not claimable (neither path), spends no attempt, and folds; racing holds
// produce exactly one event.
import { makeRetryPolicy } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import * as assert from 'uvu/assert';
import { deliver, err503, foldMismatch, left, ok200, request, right, storeSuite } from './support/storeFixtures.js';

const Hold = storeSuite('appendHold (HOLD#k + STATE in one transaction)', 'store-append-hold');

const held = (store: Store, messageId: string, kind: 'held' | 'released' | 'expired' = 'held') =>
  store.appendHold({ messageId, kind, mode: 'open', reason: 'breaker open: 5 consecutive failures', by: 'breaker' });

Hold('a held message is HELD with its event, folds, and neither claim path takes it', async ({ store }) => {
  const req = request('h-1');
  await right(store.createMessage(req));
  const h = await right(held(store, 'h-1'));
  assert.is(h.state.status, 'HELD');
  assert.is(h.hold?.holdNumber, 1);
  const dup = await right(held(store, 'h-1'));
  assert.is(dup.hold, null, 'already held (a duplicate SQS copy): nothing written, not an error');
  const stored = await right(store.getState('h-1'));
  assert.is(stored.status, 'HELD');
  assert.is(stored.holds, 1);
  assert.is(stored.attempts, 0);
  // not due: a drain enqueues before it releases, so the record is looked at again soon
  const claim = await left(store.claim('h-1'));
  assert.is(claim._tag, 'NotDue', claim.message);
  const upsert = await left(store.createAndClaim(req));
  assert.is(upsert._tag, 'NotDue', upsert.message);
  assert.is((await right(store.getState('h-1'))).status, 'HELD', 'neither claim moved it');
  assert.is(await right(store.countHeld('hooks.example.com')), 1, 'listed in the held registry');
  const history = await right(store.getHistory('h-1'));
  assert.equal(
    history.holds.map((x) => [x.kind, x.reason]),
    [['held', 'breaker open: 5 consecutive failures']],
  );
  assert.equal(await foldMismatch(store, 'h-1'), []);
});

Hold('held after a retry, released, delivered: the same attempts as without the hold', async ({ store }) => {
  const req = request('h-2', { maxAttempts: 3 });
  await right(store.createMessage(req));
  await deliver(store, req, err503);
  const before = await right(store.getState('h-2'));
  const h = await right(held(store, 'h-2'));
  assert.is(h.state.attempts, 1);
  assert.equal(h.state.deliveryResult, before.deliveryResult, 'the last result stays');
  const r = await right(held(store, 'h-2', 'released'));
  assert.is(r.state.status, 'PENDING');
  assert.not.ok(
    (await right(store.listHeld('hooks.example.com', 100))).some((e) => e.messageId === 'h-2'),
    'unlisted by the release',
  );
  await deliver(store, req, ok200);
  const done = await right(store.getState('h-2'));
  assert.is(done.status, 'SUCCESS');
  assert.is(done.attempts, 2);
  assert.is(done.holds, 2);
  assert.equal(await foldMismatch(store, 'h-2'), []);
  const history = await right(store.getHistory('h-2'));
  // no attempt was recorded while it was held
  const [hold, release] = history.holds;
  assert.ok(hold !== undefined && release !== undefined);
  assert.not.ok(history.attempts.some((a) => a.startedAt > hold.at && a.startedAt < release.at));
});

Hold('held past retention: expired makes it final (held_expired) and a redrive can reopen it', async ({ store }) => {
  await right(store.createMessage(request('h-3')));
  await right(held(store, 'h-3'));
  const x = await right(held(store, 'h-3', 'expired'));
  assert.is(x.state.status, 'FAILED');
  assert.is(x.state.retryEligible, false);
  assert.is(x.state.deliveryResult?.category, 'held_expired');
  assert.equal(await foldMismatch(store, 'h-3'), []);
  const failed = await right(
    store.queryFailed({ since: new Date(Date.now() - 60_000), until: new Date(Date.now() + 60_000) }),
  );
  assert.ok(
    failed.items.some((s) => s.messageId === 'h-3'),
    'in the failed index like any final failure',
  );
  const re = await right(store.appendRedrive({ messageId: 'h-3', requestedBy: 'ops', reason: 'back', maxAttempts: 2 }));
  assert.is(re.state.status, 'PENDING');
});

Hold(
  'refusals: a leased message (Leased), a final one (AlreadyFinal), a release of a pending one',
  async ({ store }) => {
    const req = request('h-4');
    await right(store.createMessage(req));
    await right(store.claim('h-4'));
    assert.is((await left(held(store, 'h-4')))._tag, 'Leased');
    await right(store.createMessage(request('h-5')));
    await deliver(store, request('h-5'), ok200);
    assert.is((await left(held(store, 'h-5')))._tag, 'AlreadyFinal');
    await right(store.createMessage(request('h-6')));
    assert.is((await left(held(store, 'h-6', 'released')))._tag, 'Conflict');
  },
);

Hold(
  'a record back before its retry is due is not held: NotDue, as its claim answers, nothing written',
  async ({ t }) => {
    // a retry a minute away (the jitter at its top)
    const store = createStore({
      doc: t.doc,
      tableName: t.tableName,
      retryPolicy: makeRetryPolicy({ baseMs: 60_000, maxMs: 60_000 }),
      random: () => 0.999,
    });
    const req = request('h-8', { maxAttempts: 3 });
    await right(store.createMessage(req));
    await deliver(store, req, err503);
    const before = await right(store.getState('h-8'));
    assert.is(before.status, 'FAILED');
    const refused = await left(held(store, 'h-8'));
    assert.is(refused._tag, 'NotDue', refused.message);
    assert.is((await left(store.claim('h-8')))._tag, 'NotDue', 'the claim says the same');
    const after = await right(store.getState('h-8'));
    assert.equal(after, before, 'STATE unchanged');
    assert.is((await right(store.getHistory('h-8'))).holds.length, 0);
    assert.not.ok((await right(store.listHeld('hooks.example.com', 100))).some((e) => e.messageId === 'h-8'));
  },
);

Hold('racing holds (8 workers, one message): exactly one event, the others refused', async ({ store }) => {
  await right(store.createMessage(request('h-7')));
  const results = await Promise.all(Array.from({ length: 8 }, () => held(store, 'h-7')()));
  const wins = results.filter((r) => E.isRight(r) && r.right.hold !== null);
  const outcome = results.map((r) => (E.isLeft(r) ? r.left._tag : r.right.hold === null ? 'already' : 'won'));
  assert.is(wins.length, 1, outcome.join(','));
  assert.ok(
    outcome.every((o) => o === 'won' || o === 'already' || o === 'Conflict'),
    outcome.join(','),
  );
  const history = await right(store.getHistory('h-7'));
  assert.is(history.holds.length, 1);
  assert.equal(await foldMismatch(store, 'h-7'), []);
});

Hold.run();
