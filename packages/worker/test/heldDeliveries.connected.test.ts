// Issue 27 through the real worker handler, DynamoDB Local and a receiver on 127.0.0.1: a
// message for a paused or open endpoint is held (HOLD#k, STATE HELD, the record deleted, no
// request sent); after the cool-off exactly one delivery goes as the half-open probe; with a
// warm cache the happy path still costs 2 round trips.
import { endpointOf, breaker } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { endpointGateOf, loadConfig } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { type CallCounter, countCalls } from '@delivery-history/testkit/callCounter';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { harness, run, sqsEvent, sqsRecord, uniqueId, workerSuite } from './support/workerRig.js';

const Held = workerSuite<{ calls: CallCounter }>('worker: held deliveries (endpoint breaker)', 'worker-held');
Held.before(async (ctx) => {
  ctx.calls = countCalls(ctx.t.client);
});
Held.after(async (ctx) => {
  ctx.calls.uninstall();
});
Held.before.each(({ rx }) => rx.clear());

/** Receivers on a port of their own: each test's endpoint (host:port) has its own breaker. */
const ownEndpoint = async <A>(work: (rx: Receivers) => Promise<A>): Promise<A> => {
  const rx = await startReceivers();
  try {
    return await work(rx);
  } finally {
    await rx.close();
  }
};

const config = { ...loadConfig({}), breaker: true, breakerStaleMs: 60_000 };
const gated = (store: Store) => {
  const gate = endpointGateOf(config, store, systemClock);
  if (gate === undefined) throw new Error('breaker is on');
  return harness(store, { gate });
};

/** A breaker that tripped a minute ago (its 30 s cool-off is over). */
const trippedBreaker = (endpoint: string) => {
  const t0 = Date.now() - 60_000;
  const at = (i: number) => new Date(t0 + i).toISOString();
  return breaker.observe(
    breaker.initial(endpoint, at(0)),
    [1, 2, 3, 4, 5].map((i) => ({
      endpoint,
      messageId: `x-${i}`,
      at: at(i),
      marker: `${at(i)}#x-${i}#000001`,
      verdict: 'fail' as const,
    })),
    breaker.DEFAULT_SETTINGS,
  ).state;
};

Held('paused: held with its reason, the record deleted, nothing sent; a duplicate copy is done too', async (ctx) => {
  ctx.calls.reset();
  const endpoint = endpointOf(ctx.rx.url('/p'));
  const paused = breaker.pause(
    breaker.initial(endpoint, new Date().toISOString()),
    'INC-7',
    'ops',
    new Date().toISOString(),
  );
  await run(ctx.store.writeBreaker(paused.state, 0));
  const h = gated(ctx.store);
  const messageId = uniqueId('held-paused');
  const record = sqsRecord({ messageId, url: ctx.rx.url('/p'), body: '{}' });
  const res = await h.handler(sqsEvent([record]));
  assert.equal(res.batchItemFailures, [], 'done: SQS deletes the record (no receive count towards the DLQ)');
  assert.is(ctx.rx.count('/p'), 0);
  const history = await run(ctx.store.getHistory(messageId));
  assert.is(history.state.status, 'HELD');
  assert.is(history.state.attempts, 0);
  assert.equal(
    history.holds.map((x) => [x.kind, x.mode, x.reason]),
    [['held', 'paused', 'INC-7']],
  );
  assert.is(h.metrics.sum('DeliveriesHeld'), 1);
  // the cost of a held message (worker README): the breaker read (cold cache; warm: none),
  // create STATE (PutItem), one transaction (HOLD#1, STATE, registry) on the STATE just created
  assert.equal(
    [ctx.calls.calls('GetItem'), ctx.calls.calls('PutItem'), ctx.calls.calls('TransactWriteItems')],
    [1, 2, 1],
    'breaker read; breaker Put (test setup) + STATE create; the hold transaction',
  );
  const again = await h.handler(sqsEvent([{ ...record, receiptHandle: 'rh-2' }]));
  assert.equal(again.batchItemFailures, []);
  assert.is((await run(ctx.store.getHistory(messageId))).holds.length, 1, 'one hold event');
  await h.http.close();
});

Held('open past its cool-off: exactly one probe is sent, the next message is held', (ctx) =>
  ownEndpoint(async (rx) => {
    const endpoint = endpointOf(rx.url('/ok'));
    await run(ctx.store.writeBreaker(trippedBreaker(endpoint), 0));
    const h = gated(ctx.store);
    const first = uniqueId('probe');
    const second = uniqueId('behind-probe');
    await h.handler(sqsEvent([sqsRecord({ messageId: first, url: rx.url('/ok'), body: '{}' })]));
    await h.handler(sqsEvent([sqsRecord({ messageId: second, url: rx.url('/ok'), body: '{}' })]));
    assert.is(rx.count('/ok'), 1, 'only the probe went out');
    assert.is((await run(ctx.store.getState(first))).status, 'SUCCESS');
    assert.is((await run(ctx.store.getState(second))).status, 'HELD');
    const b = await run(ctx.store.readBreaker(endpoint, true));
    assert.is(b?.mode, 'half_open');
    assert.is(b?.probe?.messageId, first);
    assert.is(h.metrics.sum('BreakerProbes'), 1);
    await h.http.close();
  }),
);

Held('a hold is never decided on a view older than the cache bound: resumed meanwhile, the next message goes', (ctx) =>
  ownEndpoint(async (rx) => {
    const endpoint = endpointOf(rx.url('/ok'));
    const now = () => new Date().toISOString();
    const paused = breaker.pause(breaker.initial(endpoint, now()), 'INC-9', 'ops', now());
    await run(ctx.store.writeBreaker(paused.state, 0));
    const gate = endpointGateOf({ ...config, breakerStaleMs: 50 }, ctx.store, systemClock);
    if (gate === undefined) throw new Error('breaker is on');
    const h = harness(ctx.store, { gate });
    const first = uniqueId('stale-held');
    await h.handler(sqsEvent([sqsRecord({ messageId: first, url: rx.url('/ok'), body: '{}' })]));
    assert.is((await run(ctx.store.getState(first))).status, 'HELD', 'held while paused (the cache now says paused)');
    // resumed by an operator; this container's cache has not looked since
    const resumed = breaker.resume(paused.state, 'done', 'ops', now());
    await run(ctx.store.writeBreaker(resumed.state, paused.state.version, resumed.transition));
    await new Promise((r) => setTimeout(r, 100));
    const second = uniqueId('after-resume');
    await h.handler(sqsEvent([sqsRecord({ messageId: second, url: rx.url('/ok'), body: '{}' })]));
    assert.is(
      (await run(ctx.store.getState(second))).status,
      'SUCCESS',
      'delivered: the stale paused view was re-read',
    );
    assert.is(rx.count('/ok'), 1);
    await h.http.close();
  }),
);

Held('closed: with a warm cache a delivery costs 2 round trips, as without the breaker', (ctx) =>
  ownEndpoint(async (rx) => {
    const h = gated(ctx.store);
    const url = rx.url('/ok');
    await h.handler(sqsEvent([sqsRecord({ messageId: uniqueId('warm'), url, body: '{}' })]));
    ctx.calls.reset();
    for (let i = 0; i < 5; i++) await h.handler(sqsEvent([sqsRecord({ messageId: uniqueId('hot'), url, body: '{}' })]));
    assert.is(ctx.calls.total(), 10, `5 deliveries: ${ctx.calls.total()} calls`);
    assert.is(ctx.calls.calls('GetItem'), 0, 'no breaker read on the happy path');
    assert.is(rx.count('/ok'), 6);
    await h.http.close();
  }),
);

/** A receiver that answers every request with `webhook-delivery: disable` (410 Gone). */
const disablingReceiver = async () => {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits += 1;
      res.writeHead(410, { 'webhook-delivery': 'disable', 'content-type': 'text/plain' }).end('gone');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/in`,
    hits: () => hits,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
};

for (const control of [true, false]) {
  Held(
    `receiver header webhook-delivery: disable ${control ? 'pauses the endpoint (audited)' : 'is ignored when the setting is off (default)'}`,
    async (ctx) => {
      const rx = await disablingReceiver();
      try {
        const gate = endpointGateOf(config, ctx.store, systemClock);
        if (gate === undefined) throw new Error('breaker is on');
        const h = harness(ctx.store, { gate, receiverControl: control });
        const first = uniqueId('asks-disable');
        await h.handler(sqsEvent([sqsRecord({ messageId: first, url: rx.url, body: '{}' })]));
        const b = await run(ctx.store.readBreaker(endpointOf(rx.url), true));
        if (!control) {
          assert.is(b, null, 'no breaker written');
          await h.http.close();
          return;
        }
        assert.is(b?.mode, 'paused');
        assert.is(b?.by, 'receiver');
        assert.match(b?.reason ?? '', new RegExp(`HTTP 410 to message ${first}, attempt 1`));
        const second = uniqueId('after-disable');
        await h.handler(sqsEvent([sqsRecord({ messageId: second, url: rx.url, body: '{}' })]));
        assert.is(rx.hits(), 1, 'the next message is held, not sent');
        assert.is((await run(ctx.store.getState(second))).status, 'HELD');
        await h.http.close();
      } finally {
        await rx.close();
      }
    },
  );
}

Held.run();
