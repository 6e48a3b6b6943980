// Re-drive's STATE write comes from core's transition (like an attempt's), and its refusal
// from core's redriveRefusal: an expunge that wins the race with a re-drive gives the true
// reason (content expunged), and the message stays final. Against DynamoDB Local; the race
// is forced by running the expunge just before the re-drive's transaction is sent.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nextRedrive, type StateItem, transition } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { isInvalid } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { deliver, err404, left, request, right, useStore } from './support/storeFixtures.js';

type Ctx = { t: TestTable; store: Store };
const Write = suite<Ctx>('re-drive write');

Write.before(async (ctx) => {
  const f = await useStore('redrive-write');
  ctx.t = f.t;
  ctx.store = f.store;
});
Write.after(async ({ t }) => t.drop());

const finalFailed = async (store: Store, id: string): Promise<StateItem> => {
  const req = request(id, { maxAttempts: 2 });
  await right(store.createMessage(req));
  await deliver(store, req, err404);
  const s = await right(store.getState(id));
  assert.is(s.status, 'FAILED');
  assert.is(s.retryEligible, false);
  return s;
};

Write('STATE after a re-drive is transition(before, redrive), every field, as stored', async ({ store }) => {
  const before = await finalFailed(store, 'rw-1');
  const at = new Date(Date.parse(before.lastUpdatedAt) + 1_000);
  const { redrive, state } = await right(
    store.appendRedrive({ messageId: 'rw-1', requestedBy: 'ops', reason: 'fixed', maxAttempts: 4, at }),
  );
  const expected = transition(
    before,
    nextRedrive(before, { requestedBy: 'ops', reason: 'fixed', maxAttempts: 4, at: at.toISOString() }),
  );
  assert.ok(E.isRight(expected));
  if (E.isLeft(expected)) return;
  assert.equal(redrive.afterAttempt, 1);
  assert.equal(state, expected.right);
  assert.equal(await right(store.getState('rw-1')), expected.right);
  // and what the re-drive means, spelled out (not only "same as transition")
  assert.equal(expected.right, {
    ...before,
    status: 'PENDING',
    retryEligible: true,
    nextAttemptAt: null,
    maxAttempts: 4,
    redrives: 1,
    lastUpdatedAt: at.toISOString(),
    lease: null,
  });
});

Write(
  'an expunge that wins the race: refused as expunged (not "over its budget"), still final',
  async ({ t, store }) => {
    await finalFailed(store, 'rw-race');
    let expunged = false;
    // the expunge lands after the re-drive read STATE and before its transaction
    const racing = new Proxy(t.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: unknown) => {
          if (command instanceof TransactWriteCommand && !expunged) {
            expunged = true;
            await right(store.expungeMessage({ messageId: 'rw-race', requestedBy: 'dpo', reason: 'erasure request' }));
          }
          return target.send(command as never);
        };
      },
    });
    const raced = createStore({ doc: racing, tableName: t.tableName, retry: { baseMs: 5, maxMs: 50 } });
    const e = await left(
      raced.appendRedrive({ messageId: 'rw-race', requestedBy: 'ops', reason: 'fixed', maxAttempts: 4 }),
    );
    assert.ok(expunged, 'the race was forced');
    assert.ok(isInvalid(e), e._tag);
    assert.match(e.message, /content was expunged \(EXPUNGE#1\)/);
    assert.not.match(e.message, /budget/);
    const after = await right(store.getState('rw-race'));
    assert.is(after.status, 'FAILED');
    assert.is(after.redrives, 0, 'not reopened');
    assert.is((await right(store.getHistory('rw-race'))).redrives.length, 0, 'no REDRIVE item');
    // asked again, the same reason, now from the read
    const again = await left(
      store.appendRedrive({ messageId: 'rw-race', requestedBy: 'ops', reason: 'x', maxAttempts: 4 }),
    );
    assert.match(again.message, /content was expunged \(EXPUNGE#1\)/);
  },
);

Write.run();
