// Seed scenario 2: a failed delivery ends FAILED with retry eligibility, categorized error
// details, and an incremented attempt count; a permanent failure is final.
import { createStore } from '@delivery-history/store';
import { isAlreadyFinal, isNotDue } from '@delivery-history/store/testing';
import * as assert from 'uvu/assert';
import {
  deliver,
  err404,
  err503,
  foldMismatch,
  left,
  outcomeOf,
  policy,
  request,
  right,
  storeSuite,
} from './support/storeFixtures.js';
import { determineDeliveryOutcome, makeRetryPolicy } from '@delivery-history/core';

const Failure = storeSuite('scenario 2: failure status update', 's2-failure');

Failure('a 503 makes the message FAILED, retry-eligible, with categorized error details', async ({ store }) => {
  const req = request('s2-503');
  await right(store.createMessage(req));
  const { result } = await deliver(store, req, err503);
  assert.is(result.status, 'FAILED');
  assert.is(result.retryEligible, true);
  assert.is(result.final, false);
  const state = await right(store.getState(req.messageId));
  assert.is(state.status, 'FAILED');
  assert.is(state.retryEligible, true);
  assert.is(state.attempts, 1);
  assert.ok(state.nextAttemptAt !== null);
  assert.equal(state.deliveryResult?.errorDetails, {
    code: 'HTTP_503',
    message: 'HTTP 503 Service Unavailable',
    category: 'server_error',
    responseSnippet: 'upstream down',
  });
  assert.is(state.deliveryResult?.category, 'server_error');
  assert.is(state.deliveryResult?.statusCode, 503);
  assert.is(state.deliveryResult?.retryEligible, true);
  assert.equal(await foldMismatch(store, req.messageId), []);
});

Failure('the next attempt increments the count and is numbered 2', async ({ store }) => {
  const req = request('s2-twice');
  await right(store.createMessage(req));
  await deliver(store, req, err503);
  const { claimed, result } = await deliver(store, req, err503);
  assert.is(claimed.ticket.attemptNumber, 2);
  assert.is(result.attemptNumber, 2);
  const h = await right(store.getHistory(req.messageId));
  assert.is(h.state.attempts, 2);
  assert.equal(
    h.attempts.map((a) => a.attemptNumber),
    [1, 2],
  );
  assert.equal(await foldMismatch(store, req.messageId), []);
});

Failure('a retry-eligible message is not claimable before nextAttemptAt (NotDue)', async ({ t, store }) => {
  const req = request('s2-notdue');
  await right(store.createMessage(req));
  // a backoff of about a minute (random 0.99: near its cap): not due yet however busy the machine
  const slow = makeRetryPolicy({ ...policy, baseMs: 60_000, maxMs: 60_000 });
  const jittered = createStore({ doc: t.doc, tableName: t.tableName, retryPolicy: slow, random: () => 0.99 });
  const claimed = await right(jittered.claim(req.messageId));
  const completedAt = new Date();
  const outcome = determineDeliveryOutcome(err503, {
    now: completedAt,
    correlationId: req.correlationId,
    attemptNumber: 1,
    maxAttempts: 5,
    policy: slow,
    random: () => 0.99,
  });
  await right(
    jittered.appendAttempt({ claimed, startedAt: completedAt, completedAt, responseHeaders: {}, observation: err503 }),
  );
  const refused = await left(store.claim(req.messageId));
  assert.ok(isNotDue(refused), refused._tag);
  if (isNotDue(refused)) assert.is(refused.nextAttemptAt, outcome.nextAttemptAt);
  const state = await right(store.getState(req.messageId));
  assert.is(state.attempts, 1, 'a refused claim does not count');
});

Failure('a 404 is a permanent failure: FAILED, not retry-eligible, final', async ({ store }) => {
  const req = request('s2-404');
  await right(store.createMessage(req));
  const { result } = await deliver(store, req, err404);
  assert.is(result.final, true);
  assert.is(result.retryEligible, false);
  assert.is(result.nextAttemptAt, null);
  const state = await right(store.getState(req.messageId));
  assert.is(state.status, 'FAILED');
  assert.is(state.retryEligible, false);
  assert.is(state.deliveryResult?.errorDetails?.code, 'HTTP_404');
  assert.is(state.deliveryResult?.errorDetails?.category, 'client_error');
  const refused = await left(store.claim(req.messageId));
  assert.ok(isAlreadyFinal(refused), refused._tag);
  assert.equal(await foldMismatch(store, req.messageId), []);
  // a plain outcome works too (the worker may pass core's Outcome directly)
  assert.is(outcomeOf(err404)({ attemptNumber: 1, maxAttempts: 5 }).status, 'FAILED');
});

Failure.run();
