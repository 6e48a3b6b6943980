// The deployed entry point: `handler` from @delivery-history/worker, configured only through
// environment variables, against DynamoDB Local, real receivers and a stand-in SQS endpoint
// (AWS JSON protocol) that records ChangeMessageVisibility calls or hangs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore, type Store } from '@delivery-history/store';
import { handler } from '@delivery-history/worker/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { run, sqsEvent, sqsRecord, uniqueId } from './support/workerRig.js';

type SqsCall = { target: string; body: Record<string, unknown> };
type FakeSqs = { url: string; calls: SqsCall[]; hang: boolean; close(): Promise<void> };

const startFakeSqs = async (): Promise<FakeSqs> => {
  const calls: SqsCall[] = [];
  const state = { hang: false };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      calls.push({
        target: String(req.headers['x-amz-target'] ?? ''),
        body: JSON.parse(body || '{}') as Record<string, unknown>,
      });
      if (state.hang) return; // never answers
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fake' }).end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get hang() {
      return state.hang;
    },
    set hang(v: boolean) {
      state.hang = v;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

type Ctx = { t: TestTable; rx: Receivers; sqs: FakeSqs; store: Store };
const Lambda = suite<Ctx>('Lambda handler configured by environment');

Lambda.before(async (ctx) => {
  ctx.t = await useTestTable('worker-lambda');
  const { parseSigningSecrets } = await import('@delivery-history/core');
  const keys = parseSigningSecrets(SECRET);
  ctx.rx = await startReceivers(keys._tag === 'Right' ? { signingKeys: keys.right } : {});
  ctx.sqs = await startFakeSqs();
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  Object.assign(process.env, {
    DELIVERY_TABLE_NAME: ctx.t.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: ctx.t.endpoint,
    AWS_ENDPOINT_URL_SQS: ctx.sqs.url,
    AWS_REGION: 'local',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1',
    DELIVERY_TIMEOUT_MS: '1500',
    DELIVERY_BACKOFF_BASE_MS: '5000',
    DELIVERY_BACKOFF_MAX_MS: '5000',
    DELIVERY_SIGNING_SECRET: SECRET,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});
Lambda.after(async (ctx) => {
  await ctx.sqs.close();
  await ctx.rx.close();
  await ctx.t.drop();
});

Lambda(
  'signed delivery, scheduled retry via ChangeMessageVisibility, poison with visibility 0',
  async ({ rx, sqs, store }) => {
    const ok = uniqueId('lambda-ok');
    const retry = uniqueId('lambda-retry');
    const records = [
      sqsRecord({ messageId: ok, url: rx.url('/verify'), body: '{"signed":true}' }),
      sqsRecord({ messageId: retry, url: rx.url('/status/503') }),
      sqsRecord('not json'),
    ];
    const res = await handler(sqsEvent(records));
    assert.equal(
      res.batchItemFailures.map((f) => f.itemIdentifier).sort(),
      [records[1]?.messageId, records[2]?.messageId].sort(),
    );
    assert.is((await run(store.getState(ok))).status, 'SUCCESS', 'the receiver verified the signature');
    assert.is(
      rx.requests
        .find((r) => r.webhookId === ok)
        ?.headers['webhook-signature']?.toString()
        .startsWith('v1,'),
      true,
    );
    const retryState = await run(store.getState(retry));
    assert.is(retryState.status, 'FAILED');
    assert.ok(retryState.retryEligible);
    const byHandle = new Map(sqs.calls.map((c) => [c.body.ReceiptHandle, c]));
    const retryCall = byHandle.get(records[1]?.receiptHandle);
    assert.is(retryCall?.target, 'AmazonSQS.ChangeMessageVisibility');
    assert.is(retryCall?.body.QueueUrl, `${sqs.url}/000000000000/worker-test`, 'queue URL derived from the record ARN');
    // whole seconds up to nextAttemptAt (backoff cap 5 s, full jitter)
    const seconds = retryCall?.body.VisibilityTimeout;
    assert.ok(
      typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 && seconds <= 5,
      `visibility ${seconds} s`,
    );
    const dueIn = Date.parse(retryState.nextAttemptAt ?? '') - Date.parse(retryState.lastDeliveryAttempt ?? '');
    assert.ok(
      typeof seconds === 'number' && seconds <= Math.ceil(dueIn / 1000),
      `visibility ${seconds} s for a retry due in ${dueIn} ms`,
    );
    assert.is(
      byHandle.get(records[2]?.receiptHandle)?.body.VisibilityTimeout,
      0,
      'poison: visible again at once, towards the DLQ',
    );
  },
);

Lambda('a hanging SQS endpoint never holds the batch', async ({ rx, sqs, store }) => {
  sqs.hang = true;
  const messageId = uniqueId('lambda-hang');
  const record = sqsRecord({ messageId, url: rx.url('/status/500') });
  const t0 = Date.now();
  const res = await handler(sqsEvent([record]));
  const took = Date.now() - t0;
  assert.equal(res.batchItemFailures, [{ itemIdentifier: record.messageId }]);
  assert.ok(took < 6_000, `returned after ${took} ms`);
  assert.is((await run(store.getState(messageId))).attempts, 1);
  sqs.hang = false;
});

Lambda.run();
