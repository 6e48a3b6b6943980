// Receiver control `webhook-delivery: abort-message` (issue 27) through the real worker handler,
// DynamoDB Local, a receiver on 127.0.0.1 and `dh history`: with DELIVERY_RECEIVER_CONTROL=on a
// failed response carrying it makes that message final at once (no retry, no breaker needed),
// the response and its header kept as evidence; with the setting off (the default) the same
// answer is an ordinary retryable failure.
import { main, memoryIo } from '@delivery-history/cli/testing';
import type { Store } from '@delivery-history/store';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness, run, sqsEvent, sqsRecord, testStore, uniqueId } from '../../worker/test/support/workerRig.js';
import { dhEnv } from './support/runDh.js';

type Rx = { url: string; hits: () => number; close: () => Promise<void> };
type Ctx = { t: TestTable; store: Store; env: NodeJS.ProcessEnv; rx: Rx };
const Abort = suite<Ctx>('receiver control: webhook-delivery: abort-message');

/** Answers every request 503 with `webhook-delivery: abort-message` (or 200 with it on /ok). */
const abortingReceiver = async (): Promise<Rx> => {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits += 1;
      const ok = req.url === '/ok';
      res
        .writeHead(ok ? 200 : 503, { 'webhook-delivery': 'Abort-Message', 'content-type': 'text/plain' })
        .end(ok ? 'fine' : 'stop sending this one');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
};

Abort.before(async (ctx) => {
  ctx.t = await useTestTable('cli-receiver-abort');
  ctx.store = testStore(ctx.t);
  ctx.rx = await abortingReceiver();
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
});
Abort.after(async (ctx) => {
  await ctx.rx.close();
  await ctx.t.drop();
});

type HistoryDoc = {
  state: {
    status: string;
    attempts: number;
    retryEligible: boolean;
    deliveryResult: { errorDetails: { message: string } };
  };
  attempts: { response: { headers: Record<string, string> } | null; deliveryResult: { statusCode: number } }[];
};

const history = async (ctx: Ctx, id: string): Promise<HistoryDoc> => {
  const io = memoryIo(ctx.env);
  const code = await main(['history', id, '--json'], io);
  assert.is(code, 0, io.err());
  return JSON.parse(io.out()) as HistoryDoc;
};

const deliver = async (ctx: Ctx, receiverControl: boolean, path: string): Promise<string> => {
  const h = harness(ctx.store, { receiverControl });
  const id = uniqueId(`abort-${receiverControl ? 'on' : 'off'}`);
  const res = await h.handler(sqsEvent([sqsRecord({ messageId: id, url: `${ctx.rx.url}${path}`, body: '{}' })]));
  await h.http.close();
  // final: the record is done; retryable: it comes back after its delay
  assert.is(res.batchItemFailures.length, receiverControl ? 0 : 1);
  return id;
};

Abort(
  'abort-message (setting on): that message is final after one attempt, the response kept as evidence',
  async (ctx) => {
    const id = await deliver(ctx, true, '/in');
    const s = await run(ctx.store.getState(id));
    assert.equal([s.status, s.attempts, s.retryEligible, s.nextAttemptAt], ['FAILED', 1, false, null]);
    const doc = await history(ctx, id);
    assert.equal([doc.state.status, doc.state.attempts, doc.state.retryEligible], ['FAILED', 1, false]);
    assert.match(doc.state.deliveryResult.errorDetails.message, /HTTP 503 .*abort-message; not retried/);
    const attempt = doc.attempts[0];
    assert.is(attempt?.deliveryResult.statusCode, 503);
    assert.is(attempt?.response?.headers['webhook-delivery'], 'Abort-Message', 'the header is stored as evidence');
  },
);

Abort('abort-message is ignored when receiver control is off (the default): an ordinary retry', async (ctx) => {
  const id = await deliver(ctx, false, '/in');
  const s = await run(ctx.store.getState(id));
  assert.equal([s.status, s.attempts, s.retryEligible], ['FAILED', 1, true]);
  assert.ok(s.nextAttemptAt !== null, 'a retry is scheduled');
  assert.not.match(s.deliveryResult?.errorDetails?.message ?? '', /abort-message/);
});

Abort('abort-message on a success changes nothing: delivered', async (ctx) => {
  const id = await deliver(ctx, true, '/ok');
  const s = await run(ctx.store.getState(id));
  assert.equal([s.status, s.attempts], ['SUCCESS', 1]);
});

Abort.run();
