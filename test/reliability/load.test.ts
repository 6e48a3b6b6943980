import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '@delivery-history/store';
import { performance } from 'node:perf_hooks';
import { makeRetryPolicy } from '@delivery-history/core';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendObserved, responseOf } from '@delivery-history/testkit/storeSteps';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { seededRandom, seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { accountingOf, checkLedger, requestsById, type Expectation, sample } from './support/ledger.js';
import { requestTo, type Rig, settle, startRig, verifyTable, warmUp } from './support/rig.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Sustained load for a fixed time: SQS records at a steady rate through the worker (HTTP to
// local receivers: ok, flaky-once, permanent 404) while racing writers append directly to
// a shared pool of messages, and the projector follows the stream. Afterwards: `dh verify`
// passes, every message is final with the expected status and attempt count, every HTTP
// request is exactly one attempt, every acknowledged direct append is in the table.

type Ctx = { t: TestTable; receivers: Receivers; rig: Rig };
const Load = suite<Ctx>('reliability: sustained load');

const DURATION_MS = scaled(20) * 1000;
const RECORDS_PER_SEC = 15;
const WRITERS = 4;
const POOL = 3;
const DIRECT_MAX_ATTEMPTS = 5;

Load.before(async (ctx) => {
  ctx.t = await useTestTable('rel-load');
  ctx.receivers = await startReceivers();
  // generous HTTP deadlines: the point here is volume, not timeouts (see faultsReceivers)
  ctx.rig = startRig({
    table: ctx.t,
    config: { timeoutMs: 10_000, responseTimeoutMs: 8_000, connectTimeoutMs: 5_000 },
  });
});
Load.after(async (ctx) => {
  await ctx.rig.close();
  await ctx.receivers.close();
  await ctx.t.drop();
});

const route = (k: number): { path: string; want: Expectation } => {
  const m = k % 10;
  if (m <= 6) return { path: '/ok', want: { status: 'SUCCESS', attempts: 1 } };
  if (m <= 8) return { path: '/flaky/1', want: { status: 'SUCCESS', attempts: 2 } };
  return { path: '/status/404', want: { status: 'FAILED', attempts: 1 } };
};

/** Racing writers: claim + append (retryable 500, due at once) until each message is final. */
const directWriters = async (ctx: Ctx, stopAt: number, random: () => number) => {
  // the rig's table, with a policy whose retries are due at once
  const store = createStore({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    retryPolicy: makeRetryPolicy({ maxAttempts: ctx.rig.worker.config.maxAttempts, baseMs: 0, maxMs: 0 }),
    random,
  });
  const acknowledged = new Map<string, number>();
  let created = 0;
  let refusals = 0;
  const pool: string[] = [];
  const fresh = async (): Promise<string> => {
    const id = `direct-${created++}`;
    const r = await store.createMessage(requestTo(id, 'http://127.0.0.1:9/direct', DIRECT_MAX_ATTEMPTS))();
    if (E.isLeft(r)) throw new Error(`createMessage: ${r.left.message}`);
    acknowledged.set(id, 0);
    return id;
  };
  for (let i = 0; i < POOL; i++) pool.push(await fresh());
  // one replacement per finished message, whoever notices first (the slot is '' meanwhile)
  const replace = async (slot: number, id: string) => {
    if (pool[slot] !== id) return;
    pool[slot] = '';
    pool[slot] = await fresh();
  };
  const writer = async () => {
    while (performance.now() < stopAt) {
      // 4 writers on 3 messages: they collide all the time (Leased, lost conditions)
      const slot = Math.floor(random() * POOL);
      const id = pool[slot] as string;
      if (id === '') {
        // being replaced by another writer: yield (a bare `continue` would spin the event loop)
        await sleep(5);
        continue;
      }
      const claimed = await store.claim(id, { leaseMs: 5_000 })();
      if (E.isLeft(claimed)) {
        refusals++;
        if (claimed.left._tag === 'AlreadyFinal') await replace(slot, id);
        continue;
      }
      const r = await appendObserved(store, claimed.right, responseOf(500, 1))();
      if (E.isLeft(r)) {
        refusals++;
        continue;
      }
      acknowledged.set(id, (acknowledged.get(id) ?? 0) + 1);
      if (r.right.final) await replace(slot, id);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  // finish what is left in the pool so every direct message ends final
  for (const id of pool) {
    for (let n = 0; n < DIRECT_MAX_ATTEMPTS + 2; n++) {
      const claimed = await store.claim(id)();
      if (E.isLeft(claimed)) break;
      const r = await appendObserved(store, claimed.right, responseOf(500, 1))();
      if (E.isRight(r)) acknowledged.set(id, (acknowledged.get(id) ?? 0) + 1);
    }
  }
  return { acknowledged, refusals };
};

Load('steady deliveries and racing appends: nothing lost, nothing double-counted, verify passes', async (ctx) => {
  const { rig, receivers } = ctx;
  const expected = new Map<string, Expectation>();
  await warmUp(rig, receivers.url('/ok'));
  const started = performance.now();
  const stopAt = started + DURATION_MS;
  rig.worker.driver.start({ concurrency: 8, batchSize: 5 });
  const sender = (async () => {
    for (let k = 0; performance.now() < stopAt; k++) {
      const wait = started + (k * 1000) / RECORDS_PER_SEC - performance.now();
      if (wait > 0) await sleep(wait);
      const id = `load-${k}`;
      const { path, want } = route(k);
      expected.set(id, want);
      rig.worker.driver.send(requestTo(id, receivers.url(path)));
    }
  })();
  const seed = seedFromEnv();
  const [, direct] = await Promise.all([sender, directWriters(ctx, stopAt, seededRandom(seed))]);
  await settle(rig);
  const elapsed = performance.now() - started;

  const ledger = await checkLedger(rig.store, expected, requestsById(receivers.requests), rig.unrecorded);
  // direct messages: every acknowledged append is stored, and nothing else is
  const directExpected = new Map<string, Expectation>(
    [...direct.acknowledged.keys()].map((id) => [id, { status: 'FAILED', attempts: DIRECT_MAX_ATTEMPTS, exact: true }]),
  );
  const directLedger = await checkLedger(
    rig.store,
    directExpected,
    (id) => direct.acknowledged.get(id) ?? 0,
    () => 0,
  );
  const verify = await verifyTable(ctx.t);
  const stats = rig.worker.driver.stats();
  const directAppends = [...direct.acknowledged.values()].reduce((a, b) => a + b, 0);

  printSummary({
    file: 'load',
    operationsSent: expected.size + directAppends,
    faultsInjected: 0,
    inputsTried: 0,
    lost: ledger.lost.length + directLedger.lost.length,
    doubleCounted: ledger.doubleCounted.length + directLedger.doubleCounted.length,
    // the worker's deliveries; the direct appends have no HTTP request behind them
    accounting: accountingOf(ledger, rig.recovered()),
    details: {
      seed,
      'duration s': Math.round(elapsed / 100) / 10,
      'SQS records': expected.size,
      timeouts: ledger.timeouts,
      'direct appends': directAppends,
      'direct messages': direct.acknowledged.size,
      'claim/append refusals (races lost)': direct.refusals,
      poller: rig.poller?.stats,
      DLQ: stats.counts.deadLetters,
      verify: { ok: verify.report.ok, messages: verify.report.messages, items: verify.report.items },
    },
  });

  assert.ok(expected.size >= (DURATION_MS / 1000) * RECORDS_PER_SEC * 0.8, `sent ${expected.size} records`);
  assert.equal(ledger.lost, [], `lost: ${sample(ledger, ledger.lost)}`);
  assert.equal(ledger.doubleCounted, [], `double-counted: ${sample(ledger, ledger.doubleCounted)}`);
  assert.equal(ledger.unaccounted, [], `requests not matched by attempts: ${sample(ledger, ledger.unaccounted)}`);
  assert.equal(ledger.wrongAttempts, [], `wrong attempt counts: ${sample(ledger, ledger.wrongAttempts)}`);
  assert.equal(directLedger.lost, [], `direct lost: ${sample(directLedger, directLedger.lost)}`);
  assert.equal(
    directLedger.unaccounted,
    [],
    `direct appends not matched: ${sample(directLedger, directLedger.unaccounted)}`,
  );
  assert.is(
    stats.counts.deadLetters,
    0,
    `nothing in the DLQ: ${JSON.stringify(rig.worker.queue.deadLetters.slice(0, 3))}`,
  );
  assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.code, 0);
  assert.is(
    verify.report.messages,
    expected.size + direct.acknowledged.size + 1,
    'verify saw every message (and the warm-up)',
  );
});

Load.run();
