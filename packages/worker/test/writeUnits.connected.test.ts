// Issue 29: write units per delivery, through the real handler against DynamoDB Local, counted
// by the bench's meter (ReturnConsumedCapacity INDEXES on every request; transactions at 2x
// per item at least). A successful first delivery costs at most 10 WCU.
import { randomBytes } from 'node:crypto';
import { size, sealing } from '@delivery-history/core';
import { benchRequest } from '../../../test/bench/support/benchFixtures.js';
import * as assert from 'uvu/assert';
import { meterRequests, type RequestMeter } from '../../../test/bench/support/requestMeter.js';
import { harness, run, sqsEvent, sqsRecord, uniqueId, workerSuite } from './support/workerRig.js';

const WriteUnits = workerSuite<{ meter: RequestMeter }>('worker write units per delivery', 'worker-write-units');
WriteUnits.before(async (ctx) => {
  ctx.meter = meterRequests(ctx.t.client);
});
WriteUnits.after(async (ctx) => {
  ctx.meter.uninstall();
});

WriteUnits('a successful first delivery: at most 10 WCU; the index rows are written once, at creation', async (ctx) => {
  // the bench's request: ~350-byte body, a bearer token (sealed), so STATE is over 1 KB
  const sealer = sealing.createSealer(sealing.rawAesKeyProvider([{ id: 'k1', key: randomBytes(32) }]));
  const h = harness(ctx.store, { sealer });
  try {
    const messageId = uniqueId('wcu-first');
    ctx.meter.reset();
    await h.handler(sqsEvent([sqsRecord(benchRequest(messageId, ctx.rx.url('/ok')))]));
    const byOp = ctx.meter.snapshot();
    const total = ctx.meter.totals();
    const state = await run(ctx.store.getState(messageId));
    assert.is(state.status, 'SUCCESS');
    assert.ok(size.item(state) > 1024, 'STATE over 1 KB: 2 WCU a write, as in the bench');
    assert.ok(total.wcu <= 10, `first delivery took ${total.wcu} WCU: ${JSON.stringify(byOp)}`);
    // byEndpoint and byCorrelation: one put each by the upsert; the append's transaction none
    assert.is(byOp.UpdateItem?.indexUnits, 2);
    assert.is(byOp.TransactWriteItems?.indexUnits, 0);
    // the KEYS_ONLY indexes still list it with its current status (read from STATE)
    const byCorr = await run(ctx.store.queryByCorrelation({ correlationId: `corr-${messageId}` }));
    assert.equal(
      byCorr.items.map((s) => [s.messageId, s.status]),
      [[messageId, 'SUCCESS']],
    );
    const byEndpoint = await run(ctx.store.queryByEndpoint({ endpoint: new URL(ctx.rx.url('/ok')).host }));
    assert.ok(byEndpoint.items.some((s) => s.messageId === messageId && s.status === 'SUCCESS'));
  } finally {
    await h.http.close();
  }
});

WriteUnits.run();
