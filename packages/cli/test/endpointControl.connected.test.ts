// `dh endpoints pause` and `dh endpoints resume` (issue 27) in-process against DynamoDB Local,
// with the real worker handler and a receiver on 127.0.0.1: a paused endpoint's deliveries are
// held by the worker (nothing sent); resume releases them, oldest created first, and the
// worker's local driver delivers every one; who, why and when are on the breaker and the holds.
import { main, memoryIo } from '@delivery-history/cli/testing';
import { endpointOf } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { endpointGateOf, loadConfig } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { type TestTable, useTestTable } from '@delivery-history/testkit';
import { harness, sqsEvent, sqsRecord, uniqueId } from '../../worker/test/support/workerRig.js';
import { dhEnv } from './support/runDh.js';

type Ctx = { t: TestTable; rx: Receivers; store: Store; env: NodeJS.ProcessEnv };
const Control = suite<Ctx>('dh endpoints pause / resume');

Control.before(async (ctx) => {
  ctx.t = await useTestTable('cli-endpoint-control');
  ctx.rx = await startReceivers();
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName, retry: { baseMs: 5, maxMs: 50 } });
  ctx.env = dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: { DELIVERY_ALLOW_TARGETS: '127.0.0.1', DELIVERY_TIMEOUT_MS: '2000', DH_OPERATOR: 'ops@example.com' },
  });
});
Control.after(async (ctx) => {
  await ctx.rx.close();
  await ctx.t.drop();
});

const dh = async (ctx: Ctx, ...args: string[]) => {
  const io = memoryIo(ctx.env);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
};

const state = async (store: Store, id: string) => {
  const r = await store.getState(id)();
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

Control("pause holds the worker's deliveries; resume drains them in creation order; all delivered", async (ctx) => {
  const url = ctx.rx.url('/ok');
  const endpoint = endpointOf(url);
  const paused = await dh(ctx, 'endpoints', 'pause', endpoint, '--reason', 'INC-42 receiver maintenance');
  assert.is(paused.code, 0, paused.err);
  assert.match(paused.out, /closed -> paused by ops@example.com/);

  const gate = endpointGateOf({ ...loadConfig({}), breaker: true, breakerStaleMs: 0 }, ctx.store, systemClock);
  if (gate === undefined) throw new Error('gate');
  const h = harness(ctx.store, { gate });
  const ids = Array.from({ length: 6 }, (_, i) => uniqueId(`paused-${i}`));
  for (const messageId of ids) {
    const res = await h.handler(sqsEvent([sqsRecord({ messageId, url, body: `{"id":"${messageId}"}` })]));
    assert.equal(res.batchItemFailures, [], 'held records are done (deleted)');
  }
  assert.is(ctx.rx.count('/ok'), 0, 'nothing sent while paused');
  for (const id of ids) assert.is((await state(ctx.store, id)).status, 'HELD');
  const held = await ctx.store.getHistory(ids[0] ?? '')();
  assert.ok(E.isRight(held) && held.right.holds[0]?.reason === 'INC-42 receiver maintenance');

  const resumed = await dh(ctx, 'endpoints', 'resume', endpoint, '--rate', '50', '--json');
  assert.is(resumed.code, 0, resumed.err);
  const doc = JSON.parse(resumed.out) as { from: string; to: string; by: string; held: number; drained: unknown };
  assert.equal([doc.from, doc.to, doc.by, doc.held], ['paused', 'closed', 'ops@example.com', 0]);
  assert.equal(doc.drained, { released: 6, failed: 0 });
  const finals = await Promise.all(ids.map((id) => state(ctx.store, id)));
  assert.equal(
    finals.map((s) => [s.status, s.attempts]),
    ids.map(() => ['SUCCESS', 1]),
    'each delivered with one attempt: the hold spent none',
  );
  assert.is(ctx.rx.count('/ok'), 6);
  // released (and so enqueued) in creation order
  const releases = await Promise.all(
    ids.map(async (id) => {
      const hist = await ctx.store.getHistory(id)();
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
