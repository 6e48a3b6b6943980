// The drain (issue 27) against DynamoDB Local: held messages go back on the queue oldest
// created first, at the rate cap (one sleep of 1/rate per message), each released after it is
// enqueued; a failed enqueue leaves the message HELD and listed for the next drain.
import { must as ok } from '@delivery-history/testkit/must';
import { drainHeld } from '@delivery-history/store';
import { expireHeld } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type DrainCtx, drainRequest, useDrainStore } from './support/drainRig.js';

type Ctx = DrainCtx;
const Drain = suite<Ctx>('drainHeld');

Drain.before((ctx) => useDrainStore(ctx, 'cli-drain'));
Drain.after(async ({ t }) => t.drop());

/** `n` messages created a second apart, then held in reverse order (holding order is not the drain's). */
const heldMessages = async (ctx: Ctx, host: string, n: number): Promise<string[]> => {
  const ids = Array.from({ length: n }, (_, i) => `${host}-${i}`);
  for (const id of ids) {
    ctx.now += 1000;
    await ok(ctx.store.createMessage(drainRequest(id, host)));
  }
  for (const id of [...ids].reverse()) {
    ctx.now += 1000;
    await ok(ctx.store.appendHold({ messageId: id, kind: 'held', mode: 'open', reason: 'down', by: 'breaker' }));
  }
  return ids;
};

Drain('oldest created first, at the rate cap, each released; the registry ends empty', async (ctx) => {
  const ids = await heldMessages(ctx, 'drain.example', 30);
  const sent: string[] = [];
  const sleeps: number[] = [];
  const report = await drainHeld(
    {
      store: ctx.store,
      queue: {
        send: async (r) => {
          // enqueued while still HELD: released only after the send
          const s = await ok(ctx.store.getState(r.messageId));
          assert.is(s.status, 'HELD');
          sent.push(r.messageId);
          return E.right(undefined);
        },
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    { endpoint: 'drain.example', ratePerSecond: 10, by: 'ops', reason: 'recovered' },
  );
  assert.equal(sent, ids, 'creation order');
  assert.equal(report.released, ids);
  assert.equal(report.failed, []);
  assert.equal(
    sleeps,
    ids.map(() => 100),
    '1/rate between sends',
  );
  assert.is(await ok(ctx.store.countHeld('drain.example')), 0);
  for (const id of ids) assert.is((await ok(ctx.store.getState(id))).status, 'PENDING');
  const h = await ok(ctx.store.getHistory(ids[0] ?? ''));
  assert.equal(
    h.holds.map((x) => [x.kind, x.by]),
    [
      ['held', 'breaker'],
      ['released', 'ops'],
    ],
  );
});

Drain('a failed enqueue leaves the message HELD and listed; the next drain finishes it', async (ctx) => {
  const ids = await heldMessages(ctx, 'flaky-queue.example', 3);
  let calls = 0;
  const first = await drainHeld(
    {
      store: ctx.store,
      queue: { send: async () => (++calls === 2 ? E.left('SQS unavailable') : E.right(undefined)) },
      sleep: async () => undefined,
    },
    { endpoint: 'flaky-queue.example', ratePerSecond: 1000, by: 'ops', reason: 'r' },
  );
  assert.is(first.released.length, 2);
  assert.equal(
    first.failed.map((f) => f.messageId),
    [ids[1]],
  );
  assert.is((await ok(ctx.store.getState(ids[1] ?? ''))).status, 'HELD');
  const second = await drainHeld(
    { store: ctx.store, queue: { send: async () => E.right(undefined) }, sleep: async () => undefined },
    { endpoint: 'flaky-queue.example', ratePerSecond: 1000, by: 'ops', reason: 'r' },
  );
  assert.equal(second.released, [ids[1]]);
  assert.is(await ok(ctx.store.countHeld('flaky-queue.example')), 0);
});

Drain('held past its limit: final held_expired (never dropped), the newer ones stay held', async (ctx) => {
  const ids = await heldMessages(ctx, 'gone.example', 4);
  // the first two were held 3 and 4 days before `now`, the others just now
  ctx.now += 4 * 86_400_000;
  const late = ids.slice(2);
  for (const id of late) {
    await ok(ctx.store.appendHold({ messageId: id, kind: 'released', mode: 'drain', reason: 'r', by: 'ops' }));
    await ok(ctx.store.appendHold({ messageId: id, kind: 'held', mode: 'paused', reason: 'again', by: 'ops' }));
  }
  const report = await expireHeld(ctx.store, {
    endpoint: 'gone.example',
    now: new Date(ctx.now),
    maxHeldMs: 2 * 86_400_000,
    by: 'retention',
  });
  assert.equal(report.expired, ids.slice(0, 2));
  assert.equal(report.failed, []);
  for (const id of ids.slice(0, 2)) {
    const s = await ok(ctx.store.getState(id));
    assert.equal([s.status, s.retryEligible, s.deliveryResult?.category], ['FAILED', false, 'held_expired']);
  }
  for (const id of late) assert.is((await ok(ctx.store.getState(id))).status, 'HELD');
  assert.is(await ok(ctx.store.countHeld('gone.example')), 2);
});

Drain.run();
