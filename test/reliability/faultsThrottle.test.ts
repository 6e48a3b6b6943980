import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fault, type FaultController, installFaults } from '@delivery-history/testkit/faults';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { pick, seededRandom, seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { accountingOf, assertBooks, checkLedger, requestsById, type Expectation } from './support/ledger.js';
import { requestTo, type Rig, settle, startRig, verifyTable, warmUp } from './support/rig.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Throttling storms: while the worker delivers and the projector follows the stream, bursts
// of DynamoDB faults hit every call of the shared client (throttling, 5xx, connection
// resets, timeouts after a commit, cancelled transactions). Storms outlast the store's own
// retries, so records go back to the queue and come again. Afterwards every message is
// final as its receiver implies, each HTTP request is one attempt (or logged as not
// recorded), nothing is in the DLQ and `dh verify` passes.

type Ctx = { t: TestTable; receivers: Receivers; rig: Rig; faults: FaultController };
const Storms = suite<Ctx>('reliability: throttling storms');

const MESSAGES = scaled(120);
const STORMS = scaled(6);
const ANY_CALL: ReadonlyArray<Fault> = [
  'throttle',
  'provisioned',
  'internal',
  'unavailable',
  'reset',
  'timeoutAfterCommit',
];
const TRANSACTION: ReadonlyArray<Fault> = ['txThrottle', 'txConflict', 'throttle', 'timeoutAfterCommit', 'reset'];

Storms.before(async (ctx) => {
  ctx.t = await useTestTable('rel-throttle');
  ctx.receivers = await startReceivers();
  ctx.faults = installFaults(ctx.t.client);
  ctx.rig = startRig({
    table: ctx.t,
    // a short lease: an attempt whose append failed is retried soon (not after 2 minutes)
    config: { leaseMs: 4_000, timeoutMs: 2_000 },
    visibilityTimeoutMs: 3_000,
    // storms must not push records into the DLQ: that would be a loss by configuration
    maxReceiveCount: 200,
    // the projector's calls are in the storms too: let it retry through them
    pollerRetryMs: 300_000,
  });
});
Storms.after(async (ctx) => {
  ctx.faults.uninstall();
  await ctx.rig.close();
  await ctx.receivers.close();
  await ctx.t.drop();
});

const route = (k: number): { path: string; want: Expectation } => {
  const m = k % 10;
  if (m <= 5) return { path: '/ok', want: { status: 'SUCCESS', attempts: 1 } };
  if (m <= 7) return { path: '/flaky/1', want: { status: 'SUCCESS', attempts: 2 } };
  if (m === 8) return { path: '/status/404', want: { status: 'FAILED', attempts: 1 } };
  return { path: '/status/503', want: { status: 'FAILED', attempts: 3 } };
};

Storms('bursts of DynamoDB faults: every delivery converges, none lost or double-counted', async (ctx) => {
  const { rig, receivers, faults } = ctx;
  await warmUp(rig, receivers.url('/ok'));
  const seed = seedFromEnv();
  const random = seededRandom(seed);
  const expected = new Map<string, Expectation>();
  for (let k = 0; k < MESSAGES; k++) {
    const id = `storm-${k}`;
    const { path, want } = route(k);
    expected.set(id, want);
    rig.worker.driver.send(requestTo(id, receivers.url(path)));
  }
  const started = performance.now();
  rig.worker.driver.start({ concurrency: 6, batchSize: 5 });
  const storms: Array<{ at: number; any: number; tx: number }> = [];
  for (let s = 0; s < STORMS; s++) {
    await sleep(600 + random() * 900);
    const any = 10 + Math.floor(random() * 30);
    const tx = 5 + Math.floor(random() * 15);
    faults.plan(
      '*',
      Array.from({ length: any }, () => pick(random, ANY_CALL)),
    );
    faults.plan(
      'TransactWriteItems',
      Array.from({ length: tx }, () => pick(random, TRANSACTION)),
    );
    storms.push({ at: Math.round(performance.now() - started), any, tx });
  }
  // let the last storm blow itself out, then stop injecting before anything is counted
  const calm = performance.now() + 30_000;
  while (faults.pending() > 0 && performance.now() < calm) await sleep(100);
  const leftover = faults.pending();
  const injected = [...faults.injected];
  faults.clear();
  await settle(rig, 180_000);
  const elapsed = performance.now() - started;

  const ledger = await checkLedger(rig.store, expected, requestsById(receivers.requests), rig.unrecorded);
  const verify = await verifyTable(ctx.t);
  const stats = rig.worker.driver.stats();
  const byKind: Record<string, number> = {};
  for (const f of injected) byKind[f.fault] = (byKind[f.fault] ?? 0) + 1;

  printSummary({
    file: 'faultsThrottle',
    operationsSent: expected.size,
    faultsInjected: injected.length,
    inputsTried: 0,
    lost: ledger.lost.length,
    doubleCounted: ledger.doubleCounted.length,
    accounting: accountingOf(ledger, rig.recovered()),
    details: {
      seed,
      'duration s': Math.round(elapsed / 100) / 10,
      storms,
      'faults by kind': byKind,
      'not injected (storm outlived the run)': leftover,
      'sent, not recorded (logged)': ledger.totalUnrecorded,
      timeouts: ledger.timeouts,
      'SQS receives': stats.queue.received,
      'batch item failures': stats.batchItemFailures,
      DLQ: stats.counts.deadLetters,
      poller: rig.poller?.stats,
      verify: { ok: verify.report.ok, messages: verify.report.messages },
    },
  });

  assert.ok(injected.length > 0, 'faults were injected');
  assertBooks(ledger, (ids) => rig.trace(ids, receivers.requests));
  assert.is(stats.counts.deadLetters, 0, 'nothing in the DLQ');
  assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.report.messages, expected.size + 1, 'verify saw every message (and the warm-up)');
});

Storms.run();
