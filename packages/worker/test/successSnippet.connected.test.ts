// Issue 28: a bounded response snippet on success, behind DELIVERY_SUCCESS_SNIPPET (off by
// default), through the real handler against DynamoDB Local; expunge removes it.
import { loadConfig } from '@delivery-history/worker';
import * as assert from 'uvu/assert';
import { harness, run, sqsEvent, sqsRecord, uniqueId, workerSuite, type WorkerCtx } from './support/workerRig.js';

const Snippet = workerSuite('success snippet setting', 'worker-success-snippet');

const deliver = async (ctx: WorkerCtx, path: string, keepSuccessSnippet: boolean | undefined) => {
  const h = harness(ctx.store, keepSuccessSnippet === undefined ? {} : { keepSuccessSnippet });
  try {
    const messageId = uniqueId('snippet');
    await h.handler(sqsEvent([sqsRecord({ messageId, url: ctx.rx.url(path), correlationId: 'snippet' })]));
    return { messageId, history: await run(ctx.store.getHistory(messageId)) };
  } finally {
    await h.http.close();
  }
};

Snippet('off by default: the variable reads off, and a success keeps no body', async (ctx) => {
  assert.is(loadConfig({}).successSnippet, false);
  assert.is(loadConfig({ DELIVERY_SUCCESS_SNIPPET: 'on' }).successSnippet, true);
  const { history } = await deliver(ctx, '/ok', undefined);
  assert.is(history.state.status, 'SUCCESS');
  assert.is(history.attempts[0]?.response?.snippet, undefined);
});

Snippet('on: the success keeps the receiver body; a failure keeps its snippet where it always did', async (ctx) => {
  const ok = await deliver(ctx, '/ok', true);
  assert.is(ok.history.attempts[0]?.response?.snippet, JSON.stringify({ status: 200 }));
  const failed = await deliver(ctx, '/status/404', true);
  assert.is(failed.history.attempts[0]?.response?.snippet, undefined);
  assert.is(failed.history.attempts[0]?.deliveryResult.errorDetails?.responseSnippet, JSON.stringify({ status: 404 }));
});

Snippet('expunge removes it (it is content)', async (ctx) => {
  const { messageId } = await deliver(ctx, '/ok', true);
  await run(ctx.store.expungeMessage({ messageId, scope: 'content', requestedBy: 'test', reason: 'snippet' }));
  const history = await run(ctx.store.getHistory(messageId));
  assert.is(history.attempts[0]?.response?.snippet, undefined);
});

Snippet.run();
