// Operator events of issue 27 end to end, against DynamoDB Local's real stream: `dh endpoints
// pause` and `resume` (audited as MOVE# items), a receiver's `webhook-delivery: disable` through
// the real worker, and a held message made final by expireHeld (HOLD# expired), each published
// by the projector's poller to the devkit sink with its payload; the whole stream fed again
// publishes the same ids (idempotent).
import { startTestPoller } from '@delivery-history/testkit/testPoller';
import { expireHeld } from '@delivery-history/store/testing';
import { endpointOf, type OperatorEvent, type breaker } from '@delivery-history/core';
import { isDeliveryEvent } from '@delivery-history/core/testing';
import { memoryEventSink } from '@delivery-history/devkit';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { streamsPortOf } from '@delivery-history/store/testing';
import * as assert from 'uvu/assert';
import { suiteWith } from '@delivery-history/testkit/suiteWith';
import { readWholeStream } from '../../projector/test/support/workload.js';
import { run, sqsEvent, sqsRecord, uniqueId } from '../../worker/test/support/workerRig.js';
import { dhIn, disablingReceiver, gatedWorker, type OperatorRig, startOperatorRig } from './support/operatorRig.js';

type Ctx = { rig: OperatorRig };
const Events = suiteWith(
  'operator events: pause, resume, receiver disable, held expired',
  'rig',
  () => startOperatorRig('cli-endpoint-events'),
  (rig) => rig.close(),
);

const dh = async (ctx: Ctx, ...args: string[]) => {
  const r = await dhIn(ctx.rig.env, args);
  assert.is(r.code, 0, r.err);
  return r.out;
};

type EndpointEvent = ReturnType<typeof breaker.eventsOf>[number];

const endpointEvents = (events: readonly OperatorEvent[], endpoint: string): EndpointEvent[] =>
  events.filter((e): e is EndpointEvent => !isDeliveryEvent(e) && e.detail.endpoint === endpoint);

Events('each is published once per id with its payload; a replayed stream gives the same ids', async (ctx) => {
  const sink = memoryEventSink();
  const poller = startTestPoller(ctx.rig.t, { deps: { events: sink } });
  const h = gatedWorker(ctx.rig.store, true);
  const rx = await disablingReceiver();
  const url = ctx.rig.rx.url('/ok');
  const endpoint = endpointOf(url);
  const expiring = uniqueId('expiring');
  try {
    await dh(ctx, 'endpoints', 'pause', endpoint, '--reason', 'INC-77 maintenance');
    // two held messages: one expires (final, held_expired), one is drained by the resume
    await h.handler(sqsEvent([sqsRecord({ messageId: expiring, url, body: '{}' })]));
    // expire what was held before this instant: the first message only
    const cutoff = new Date();
    while (Date.now() <= cutoff.getTime()) await new Promise((ok) => setImmediate(ok));
    await h.handler(sqsEvent([sqsRecord({ messageId: uniqueId('drained'), url, body: '{}' })]));
    const expired = await expireHeld(ctx.rig.store, { endpoint, now: cutoff, maxHeldMs: 0, by: 'ops@example.com' });
    assert.equal(expired.expired, [expiring]);
    await dh(ctx, 'endpoints', 'resume', endpoint, '--rate', '50', '--reason', 'INC-77 over');
    // the receiver asks to be disabled: the worker pauses its endpoint, as `receiver`
    await h.handler(sqsEvent([sqsRecord({ messageId: uniqueId('asks'), url: rx.url, body: '{}' })]));
    await poller.caughtUp();
  } finally {
    await poller.stop();
    await h.http.close();
    await rx.close();
  }
  const mine = endpointEvents(sink.unique(), endpoint);
  assert.equal(
    mine.map((e) => [e.detailType, e.detail.from, e.detail.to, e.detail.by, e.detail.reason]),
    [
      ['endpoint.paused', 'closed', 'paused', 'ops@example.com', 'INC-77 maintenance'],
      ['endpoint.resumed', 'paused', 'closed', 'ops@example.com', 'INC-77 over'],
    ],
  );
  const breaker = await run(ctx.rig.store.readBreaker(endpoint, true));
  assert.is(mine[1]?.detail.time, breaker?.since, 'the resume event carries the time the breaker records');
  const receiver = endpointEvents(sink.unique(), endpointOf(rx.url));
  assert.equal(
    receiver.map((e) => [e.detailType, e.detail.by]),
    [['endpoint.paused', 'receiver']],
  );
  assert.match(receiver[0]?.detail.reason ?? '', /webhook-delivery: disable \(HTTP 410/);
  const final = sink
    .unique()
    .filter(isDeliveryEvent)
    .filter((e) => e.detailType === 'delivery.held_expired');
  assert.is(final.length, 1);
  const d = final[0]?.detail;
  assert.equal(
    [d?.messageId, d?.endpoint, d?.category, d?.errorCode, d?.attempts, d?.correlationId],
    [expiring, endpoint, 'held_expired', 'HELD_EXPIRED', 0, expiring], // correlationId defaults to the messageId
  );
  assert.equal(d?.hold, { mode: 'paused', reason: 'INC-77 maintenance', by: 'ops@example.com' });
  // the whole stream again (a replayed batch, a restarted consumer): the same ids, nothing new
  const ids = () =>
    sink
      .unique()
      .map((e) => e.detail.eventId)
      .sort();
  const before = ids();
  const live = sink.events.length;
  const records = await readWholeStream(streamsPortOf(ctx.rig.t.streams), ctx.rig.t.streamArn ?? '');
  const deps = makeProjectorDeps(
    { doc: ctx.rig.t.doc, tableName: ctx.rig.t.tableName },
    { events: sink, driftCheckMaxAttempts: 0 },
  );
  await projectMessages(deps, records);
  const again = sink.events.slice(live).map((e) => e.detail.eventId);
  for (const id of again) assert.ok(before.includes(id), `republished ${id} was published before`);
  assert.ok(again.length >= 4, 'the replay republished the moves and the expiry');
  assert.equal(ids(), before, 'after dedupe by id: one per event');
});

Events.run();
