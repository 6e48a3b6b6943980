// `dh endpoints pause` and `dh endpoints resume` (issue 27) in-process against DynamoDB Local,
// with the real worker handler and a receiver on 127.0.0.1: a paused endpoint's deliveries are
// held by the worker (nothing sent); resume releases them, oldest created first, and the
// worker's local driver delivers every one; who, why and when are on the breaker and the holds.
import { endpointOf } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import * as assert from 'uvu/assert';
import { suiteWith } from '@delivery-history/testkit/suiteWith';
import { sqsEvent, sqsRecord, uniqueId } from '../../worker/test/support/workerRig.js';
import { dhIn, gatedWorker, type OperatorRig, startOperatorRig } from './support/operatorRig.js';

type Ctx = { rig: OperatorRig };
const Control = suiteWith(
  'dh endpoints pause / resume',
  'rig',
  () => startOperatorRig('cli-endpoint-control'),
  (rig) => rig.close(),
);

const dh = (ctx: Ctx, ...args: string[]) => dhIn(ctx.rig.env, args);

const state = async (store: Store, id: string) => {
  const r = await store.getState(id)();
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

Control("pause holds the worker's deliveries; resume drains them in creation order; all delivered", async (ctx) => {
  const url = ctx.rig.rx.url('/ok');
  const endpoint = endpointOf(url);
  const paused = await dh(ctx, 'endpoints', 'pause', endpoint, '--reason', 'INC-42 receiver maintenance');
  assert.is(paused.code, 0, paused.err);
  assert.match(paused.out, /closed -> paused by ops@example.com/);

  const h = gatedWorker(ctx.rig.store);
  const ids = Array.from({ length: 6 }, (_, i) => uniqueId(`paused-${i}`));
  for (const messageId of ids) {
    const res = await h.handler(sqsEvent([sqsRecord({ messageId, url, body: `{"id":"${messageId}"}` })]));
    assert.equal(res.batchItemFailures, [], 'held records are done (deleted)');
  }
  assert.is(ctx.rig.rx.count('/ok'), 0, 'nothing sent while paused');
  for (const id of ids) assert.is((await state(ctx.rig.store, id)).status, 'HELD');
  const held = await ctx.rig.store.getHistory(ids[0] ?? '')();
  assert.ok(E.isRight(held) && held.right.holds[0]?.reason === 'INC-42 receiver maintenance');

  const resumed = await dh(ctx, 'endpoints', 'resume', endpoint, '--rate', '50', '--json');
  assert.is(resumed.code, 0, resumed.err);
  const doc = JSON.parse(resumed.out) as { from: string; to: string; by: string; held: number; drained: unknown };
  assert.equal([doc.from, doc.to, doc.by, doc.held], ['paused', 'closed', 'ops@example.com', 0]);
  assert.equal(doc.drained, { released: 6, failed: 0 });
  const finals = await Promise.all(ids.map((id) => state(ctx.rig.store, id)));
  assert.equal(
    finals.map((s) => [s.status, s.attempts]),
    ids.map(() => ['SUCCESS', 1]),
    'each delivered with one attempt: the hold spent none',
  );
  assert.is(ctx.rig.rx.count('/ok'), 6);
  // released (and so enqueued) in creation order
  const releases = await Promise.all(
    ids.map(async (id) => {
      const hist = await ctx.rig.store.getHistory(id)();
      return E.isRight(hist) ? (hist.right.holds.find((x) => x.kind === 'released')?.at ?? '') : '';
    }),
  );
  assert.equal([...releases].sort(), releases);
  await h.http.close();
});

Control('pause without --reason is a usage error (exit 2): the change is audited', async (ctx) => {
  const r = await dh(ctx, 'endpoints', 'pause', 'x.example');
  assert.is(r.code, 2);
  assert.match(r.err, /--reason/);
});

Control.run();
