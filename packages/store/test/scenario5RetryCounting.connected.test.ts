// Seed scenario 5: counts increment only per real attempt; the max-attempt limit turns the
// message final; a redrive reopens it with a new limit.
import { isAlreadyFinal, isInvalid, isLeased, isNotRedrivable } from '@delivery-history/store/testing';
import * as assert from 'uvu/assert';
import { deliver, err503, foldMismatch, left, ok200, request, right, storeSuite } from './support/storeFixtures.js';

const Counting = storeSuite('scenario 5: retry count management', 's5-counting');

Counting('the max-attempt limit makes the message final (FAILED, not retry-eligible)', async ({ store }) => {
  const req = request('s5-max', { maxAttempts: 3 });
  await right(store.createMessage(req));
  const results = [];
  for (let i = 0; i < 3; i++) results.push((await deliver(store, req, err503)).result);
  assert.equal(
    results.map((r) => [r.attemptNumber, r.retryEligible, r.final]),
    [
      [1, true, false],
      [2, true, false],
      [3, false, true],
    ],
  );
  const state = await right(store.getState(req.messageId));
  assert.is(state.status, 'FAILED');
  assert.is(state.retryEligible, false);
  assert.is(state.attempts, 3);
  assert.ok(state.deliveryResult?.errorDetails?.message.includes('retries exhausted'));
  const refused = await left(store.claim(req.messageId));
  assert.ok(isAlreadyFinal(refused), refused._tag);
  assert.equal(await foldMismatch(store, req.messageId), []);
});

Counting('refused claims and repeated appends do not count', async ({ store }) => {
  const req = request('s5-nocount');
  await right(store.createMessage(req));
  const claimed = await right(store.claim(req.messageId));
  for (let i = 0; i < 3; i++) {
    const refused = await left(store.claim(req.messageId));
    assert.ok(isLeased(refused), refused._tag);
  }
  const input = {
    claimed,
    attemptId: 's5-once',
    startedAt: new Date(),
    completedAt: new Date(),
    responseHeaders: {},
    observation: err503,
  };
  await right(store.appendAttempt(input));
  // the same attempt (same attemptId) recorded again later, as an SQS redelivery would: a
  // byte-identical repeat would be DynamoDB's own idempotent replay of the token, which cannot
  // be told from the first write; a repeat that differs is recognised by its attemptId
  const again = await right(store.appendAttempt({ ...input, completedAt: new Date(input.completedAt.getTime() + 1) }));
  assert.is(again.duplicate, true);
  const state = await right(store.getState(req.messageId));
  assert.is(state.attempts, 1);
});

Counting('a redrive reopens a final FAILED message with a new limit; numbering continues', async ({ store }) => {
  const req = request('s5-redrive', { maxAttempts: 1 });
  await right(store.createMessage(req));
  await deliver(store, req, err503);
  const bad = await left(
    store.appendRedrive({ messageId: req.messageId, requestedBy: 'ops', reason: 'x', maxAttempts: 1 }),
  );
  assert.ok(isInvalid(bad), bad._tag);
  const { redrive, state } = await right(
    store.appendRedrive({
      messageId: req.messageId,
      requestedBy: 'ops@example.com',
      reason: 'receiver fixed',
      maxAttempts: 3,
    }),
  );
  assert.is(redrive.redriveNumber, 1);
  assert.is(redrive.afterAttempt, 1);
  assert.is(state.status, 'PENDING');
  assert.is(state.maxAttempts, 3);
  const stored = await right(store.getState(req.messageId));
  assert.is(stored.status, 'PENDING');
  assert.is(stored.redrives, 1);
  const { claimed, result } = await deliver(store, req, ok200);
  assert.is(claimed.ticket.attemptNumber, 2);
  assert.is(result.status, 'SUCCESS');
  const h = await right(store.getHistory(req.messageId));
  assert.is(h.redrives.length, 1);
  assert.equal(await foldMismatch(store, req.messageId), []);
  const refused = await left(
    store.appendRedrive({ messageId: req.messageId, requestedBy: 'ops', reason: 'again', maxAttempts: 9 }),
  );
  assert.ok(isNotRedrivable(refused), refused._tag);
});

Counting('a non-final message cannot be redriven', async ({ store }) => {
  const req = request('s5-open');
  await right(store.createMessage(req));
  await deliver(store, req, err503);
  const refused = await left(
    store.appendRedrive({ messageId: req.messageId, requestedBy: 'ops', reason: 'x', maxAttempts: 9 }),
  );
  assert.ok(isNotRedrivable(refused), refused._tag);
});

Counting.run();
