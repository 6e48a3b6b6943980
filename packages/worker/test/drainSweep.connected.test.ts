// The automatic drain's sweep (issue 27) against DynamoDB Local, with the handler the drain
// function and `dh local` run: a closed breaker's held messages go back on the queue once the
// workers' caches cannot still say otherwise; an open or paused one's stay held, but those held
// past the limit become final held_expired in every mode; a message another drain released is
// skipped, not sent twice; the function's time budget stops a sweep between messages.
import { must as ok } from '@delivery-history/testkit/must';
import { type BreakerState, breaker as rules, memoryLogger } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { createDrainHandler } from '@delivery-history/worker';
import { drainLambdaHandler, memoryMetrics } from '@delivery-history/worker/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type DrainCtx, drainRequest, useDrainStore } from './support/drainRig.js';

type Ctx = DrainCtx;
const Sweep = suite<Ctx>('drain sweep (the drain function)');

Sweep.before((ctx) => useDrainStore(ctx, 'worker-drain-sweep'));
Sweep.after(async ({ t }) => t.drop());

const held = async (ctx: Ctx, host: string, n: number): Promise<string[]> => {
  const ids = Array.from({ length: n }, (_, i) => `${host}-${i}`);
  for (const id of ids) {
    ctx.now += 1000;
    await ok(ctx.store.createMessage(drainRequest(id, host)));
    await ok(ctx.store.appendHold({ messageId: id, kind: 'held', mode: 'open', reason: 'down', by: 'breaker' }));
  }
  return ids;
};

/** Writes `host`'s breaker in `mode` (closed: resumed by an operator), since now. */
const breaker = async (ctx: Ctx, host: string, mode: 'closed' | 'paused'): Promise<BreakerState> => {
  const at = new Date(ctx.now).toISOString();
  const before = (await ok(ctx.store.readBreaker(host, true))) ?? rules.initial(host, at);
  const move =
    mode === 'paused' ? rules.pause(before, 'maintenance', 'ops', at) : rules.resume(before, 'back', 'ops', at);
  return ok(ctx.store.writeBreaker(move.state, before.version));
};

const handlerOf = (ctx: Ctx, sent: string[], settings?: { remaining?: () => number }) => {
  const metrics = memoryMetrics();
  const handler = createDrainHandler(
    {
      store: ctx.store,
      queue: {
        send: async (r) => {
          sent.push(r.messageId);
          return E.right(undefined);
        },
      },
      logger: memoryLogger(),
      metrics,
      now: () => new Date(ctx.now),
      sleep: async () => undefined,
    },
    { drainRatePerSecond: 1000, maxHeldMs: 3 * 86_400_000, breakerStaleMs: 5_000 },
  );
  const remaining = settings?.remaining;
  return {
    metrics,
    run: () => handler({}, remaining === undefined ? undefined : { getRemainingTimeInMillis: remaining }),
  };
};

Sweep('closed (after the settle time): drained in creation order; paused: kept', async (ctx) => {
  const back = await held(ctx, 'back.example', 4);
  const down = await held(ctx, 'down.example', 2);
  await breaker(ctx, 'back.example', 'paused');
  await breaker(ctx, 'down.example', 'paused');
  ctx.now += 1000;
  await breaker(ctx, 'back.example', 'closed');
  const sent: string[] = [];
  const h = handlerOf(ctx, sent);
  ctx.now += 1000; // closed 1 s ago: a worker's cache (5 s) may still say paused
  assert.equal(await h.run(), { released: 0, expired: 0, failed: 0 });
  assert.equal(sent, []);
  ctx.now += 5000;
  assert.equal(await h.run(), { released: 4, expired: 0, failed: 0 });
  assert.equal(sent, back, 'oldest created first');
  assert.is(await ok(ctx.store.countHeld('back.example')), 0);
  assert.is(await ok(ctx.store.countHeld('down.example')), 2);
  for (const id of down) assert.is((await ok(ctx.store.getState(id))).status, 'HELD');
  const last = (await ok(ctx.store.getHistory(back[3] ?? ''))).holds.at(-1);
  assert.equal([last?.kind, last?.by], ['released', 'drain']);
  assert.ok(last?.reason.includes('resumed by ops'), last?.reason);
  assert.ok(h.metrics.entries.some((m) => m.name === 'HeldReleased' && m.value === 4));
  // an operator resumes the other one: the next sweep after the settle time drains it
  await breaker(ctx, 'down.example', 'closed');
  ctx.now += 6000;
  assert.equal(await h.run(), { released: 2, expired: 0, failed: 0 });
  assert.equal(sent, [...back, ...down]);
});

Sweep(
  'open past its cool-off with no probe out: the oldest held message alone goes (the probe); in cool-off none',
  async (ctx) => {
    const ids = await held(ctx, 'probe.example', 3);
    const at = new Date(ctx.now).toISOString();
    const openUntil = new Date(ctx.now + 30_000).toISOString();
    await ok(
      ctx.store.writeBreaker(
        { ...rules.initial('probe.example', at), mode: 'open', reason: 'tripped', since: at, version: 1, openUntil },
        0,
      ),
    );
    const sent: string[] = [];
    const h = handlerOf(ctx, sent);
    ctx.now += 10_000;
    await h.run();
    assert.equal(sent, [], 'in its cool-off: nothing');
    ctx.now += 30_000;
    await h.run();
    assert.equal(sent, [ids[0]], 'the oldest, alone');
    assert.is(await ok(ctx.store.countHeld('probe.example')), 2);
    const last = (await ok(ctx.store.getHistory(ids[0] ?? ''))).holds.at(-1);
    assert.ok(last?.reason.startsWith('probe:'), last?.reason);
    // a probe out (taken by a worker): no second one
    const b = await ok(ctx.store.readBreaker('probe.example', true));
    const until = new Date(ctx.now + 60_000).toISOString();
    if (b === null) throw new Error('no breaker');
    await ok(
      ctx.store.writeBreaker(
        { ...b, mode: 'half_open', probe: { messageId: ids[0] ?? '', until }, version: b.version + 1 },
        b.version,
      ),
    );
    await h.run();
    assert.equal(sent, [ids[0]]);
    // its probe succeeded (the projector closed it): the rest follow once the caches caught up
    await breaker(ctx, 'probe.example', 'closed');
    ctx.now += 6000;
    assert.equal(await h.run(), { released: 2, expired: 0, failed: 0 });
    assert.equal(sent, ids);
  },
);

Sweep('held past the limit in any mode: final held_expired, never dropped', async (ctx) => {
  const ids = await held(ctx, 'gone.example', 2);
  await breaker(ctx, 'gone.example', 'paused');
  ctx.now += 3 * 86_400_000 + 10_000;
  const sent: string[] = [];
  const h = handlerOf(ctx, sent);
  assert.equal(await h.run(), { released: 0, expired: 2, failed: 0 });
  assert.equal(sent, []);
  for (const id of ids) {
    const s = await ok(ctx.store.getState(id));
    assert.equal([s.status, s.retryEligible, s.deliveryResult?.category], ['FAILED', false, 'held_expired']);
  }
  assert.is(await ok(ctx.store.countHeld('gone.example')), 0);
});

Sweep('a message another drain released meanwhile is skipped, not sent again', async (ctx) => {
  const ids = await held(ctx, 'race.example', 3);
  await breaker(ctx, 'race.example', 'closed');
  ctx.now += 10_000;
  // the other drain released the second one between our listing and our visit: simulate by
  // releasing it now (the listing comes first in the sweep, the read of STATE per message after)
  const store = ctx.store;
  let calls = 0;
  const racing: Store = {
    ...store,
    listHeld: (endpoint, limit) => async () => {
      const page = await store.listHeld(endpoint, limit)();
      // the race endpoint's second listing is the drain's (the first is the expiry's)
      if (endpoint === 'race.example' && ++calls === 2)
        await ok(
          store.appendHold({ messageId: ids[1] ?? '', kind: 'released', mode: 'drain', reason: 'r', by: 'other' }),
        );
      return page;
    },
  };
  const sent: string[] = [];
  const handler = createDrainHandler(
    {
      store: racing,
      queue: {
        send: async (r) => {
          sent.push(r.messageId);
          return E.right(undefined);
        },
      },
      logger: memoryLogger(),
      metrics: memoryMetrics(),
      now: () => new Date(ctx.now),
      sleep: async () => undefined,
    },
    { drainRatePerSecond: 1000, maxHeldMs: 3 * 86_400_000, breakerStaleMs: 5_000 },
  );
  assert.equal(await handler({}), { released: 2, expired: 0, failed: 0 });
  assert.equal(sent, [ids[0], ids[2]]);
});

Sweep("the function's time budget stops the sweep between messages; the next one finishes", async (ctx) => {
  const ids = await held(ctx, 'slow.example', 5);
  await breaker(ctx, 'slow.example', 'closed');
  ctx.now += 10_000;
  const sent: string[] = [];
  // each message sent "costs" a second of a 13 s budget; the margin is 10 s: 4 go, then it stops
  const first = handlerOf(ctx, sent, { remaining: () => 13_000 - sent.length * 1000 });
  const r1 = await first.run();
  assert.is(r1.released, 4, 'stopped by the budget');
  const second = handlerOf(ctx, sent);
  const r2 = await second.run();
  assert.is(r1.released + r2.released, 5);
  assert.equal(sent, ids, 'each sent once, in creation order');
});

Sweep('the deployed entry without its queue: one line naming the variable, no sweep', async () => {
  const saved = process.env.DELIVERY_QUEUE_URL;
  delete process.env.DELIVERY_QUEUE_URL;
  try {
    await drainLambdaHandler({});
    assert.unreachable('it needs the queue');
  } catch (e) {
    assert.is((e as Error).message, 'drain configuration: DELIVERY_QUEUE_URL is required');
  } finally {
    if (saved !== undefined) process.env.DELIVERY_QUEUE_URL = saved;
  }
});

Sweep.run();
