// The input edge (issue 23) through the real worker handler against DynamoDB Local: a
// correlationId with control, bidi or zero-width characters (or only whitespace) is poison,
// like a bad messageId; a request header value HTTP cannot carry is refused before sending
// and stored [REDACTED], never verbatim.
import { redaction } from '@delivery-history/core';
import * as assert from 'uvu/assert';
import { scanTable } from '../../../test/secrets/secretsRig.js';
import { harness, run, sqsEvent, sqsRecord, uniqueId, workerSuite } from './support/workerRig.js';

const Edge = workerSuite('worker: the input edge', 'worker-input-edge');

const HOSTILE_IDS = [
  'order-42\u001b]0;pwned\u0007',
  'order-42\u001b[2J',
  'abc\u202Edcba',
  'iso\u2066late\u2069',
  'zero\u200Bwidth',
  'csi\u009b31m',
  'nul\u0000',
  'line\nbreak',
  '   ',
];

Edge(
  'a correlationId with control, bidi or zero-width characters (or only blanks) is poison: nothing stored',
  async (ctx) => {
    const h = harness(ctx.store);
    const ids = HOSTILE_IDS.map(() => uniqueId('edge-corr'));
    const records = HOSTILE_IDS.map((correlationId, i) =>
      sqsRecord({ messageId: ids[i], url: ctx.rx.url('/ok'), body: '{}', correlationId }),
    );
    const res = await h.handler(sqsEvent(records));
    assert.equal(
      res.batchItemFailures.map((f) => f.itemIdentifier).sort(),
      records.map((r) => r.messageId).sort(),
      'every record reported',
    );
    assert.equal(
      h.visibility.calls.map((c) => c.delayMs),
      records.map(() => 0),
      'visible again at once, towards the DLQ',
    );
    assert.is(h.metrics.sum('PoisonRecords'), HOSTILE_IDS.length);
    assert.is(ctx.rx.count('/ok'), 0, 'no request sent');
    const stored = (await scanTable(ctx.t)).filter((i) => ids.some((id) => String(i.pk).endsWith(id)));
    assert.equal(stored, [], 'no item written');
    const reasons = h.logger.entries
      .filter((e) => e.message.startsWith('undecodable SQS body'))
      .map((e) => JSON.stringify(e.attributes));
    assert.is(reasons.length, HOSTILE_IDS.length);
    for (const r of reasons)
      assert.match(r, /correlationId: expected correlation id (without control|that is not only)/);
  },
);

Edge(
  'a header value undici refuses to send (ESC, U+202E) is refused before sending and stored [REDACTED]',
  async (ctx) => {
    const h = harness(ctx.store);
    const messageId = uniqueId('edge-header');
    const headers = { 'x-title': 'esc\u001b]0;pwned\u0007', 'x-bidi': 'abc\u202eevil', 'x-plain': 'kept' };
    await h.handler(sqsEvent([sqsRecord({ messageId, url: ctx.rx.url('/ok'), body: '{}', headers, maxAttempts: 1 })]));
    assert.is(ctx.rx.count('/ok'), 0, 'nothing sent');
    const history = await run(ctx.store.getHistory(messageId));
    const attempt = history.attempts[0];
    assert.is(attempt?.deliveryResult.errorDetails?.code, 'INVALID_URL');
    assert.match(attempt?.deliveryResult.errorDetails?.message ?? '', /header x-title \(U\+001B at index 3\)/);
    for (const request of [history.state.request, attempt?.request]) {
      assert.is(request?.headers['x-title'], redaction.REDACTED);
      assert.is(request?.headers['x-bidi'], redaction.REDACTED);
      assert.is(request?.headers['x-plain'], 'kept');
    }
    const stored = JSON.stringify(await scanTable(ctx.t));
    assert.not.ok(/\\u001b|\u202e|pwned|evil/.test(stored), 'no refused value stored');
  },
);

Edge.run();
