import { performance } from 'node:perf_hooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { accountingOf, assertBooks, checkLedger, type Expectation } from './support/ledger.js';
import { type Misbehaving, startMisbehavingReceiver } from './support/misbehavingReceiver.js';
import { requestTo, type Rig, settle, startRig, verifyTable, warmUp } from './support/rig.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Receivers that hang (before headers, mid-body), reset (before or during the response) or
// just close, some only once, mixed with healthy ones in the same batches. Every request
// that reached a receiver is exactly one recorded attempt with a timeout/network category,
// retried until the receiver recovers or attempts run out; healthy deliveries are not held
// up by hanging ones; `dh verify` passes.

type Ctx = { t: TestTable; receiver: Misbehaving; rig: Rig };
const Receivers = suite<Ctx>('reliability: hanging and resetting receivers');

const PER_KIND = scaled(6);
const MAX_ATTEMPTS = 3;
// `categories`: what each attempt may be classified as. A timeout is allowed everywhere (the
// receiver shares this process's event loop; on a loaded machine even /ok can miss 700 ms),
// but every kind must show its own characteristic category at least once.
type Kind = Expectation & { categories: ReadonlyArray<string>; characteristic: string; maxAttempts?: number };
const fails = (categories: ReadonlyArray<string>): Kind => ({
  status: 'FAILED',
  attempts: MAX_ATTEMPTS,
  exact: true,
  categories: [...categories, 'timeout'],
  characteristic: categories[0] ?? 'timeout',
});
const KINDS: Record<string, Kind> = {
  // recovering receivers get room for a load-induced timeout or two before attempts run out
  '/ok': {
    status: 'SUCCESS',
    attempts: 1,
    categories: ['success', 'timeout'],
    characteristic: 'success',
    maxAttempts: 5,
  },
  '/hang-headers': fails(['timeout']),
  '/hang-body': fails(['timeout']),
  '/reset': fails(['network']),
  '/reset-mid-body': fails(['network', 'timeout']),
  '/close': fails(['network']),
  '/reset-once': {
    status: 'SUCCESS',
    attempts: 2,
    categories: ['network', 'success', 'timeout'],
    characteristic: 'network',
    maxAttempts: 5,
  },
  // the hang is a timeout too, so the count of non-timeout attempts is just the success
  '/hang-once': {
    status: 'SUCCESS',
    attempts: 1,
    categories: ['timeout', 'success'],
    characteristic: 'timeout',
    maxAttempts: 5,
  },
};

Receivers.before(async (ctx) => {
  ctx.t = await useTestTable('rel-receivers');
  ctx.receiver = await startMisbehavingReceiver();
  ctx.rig = startRig({
    table: ctx.t,
    config: {
      maxAttempts: MAX_ATTEMPTS,
      timeoutMs: 2_000,
      responseTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
      leaseMs: 10_000,
    },
    visibilityTimeoutMs: 5_000,
    maxReceiveCount: 50,
  });
});
Receivers.after(async (ctx) => {
  await ctx.rig.close();
  await ctx.receiver.close();
  await ctx.t.drop();
});

Receivers('every request that reached a receiver is exactly one attempt; healthy ones are not held up', async (ctx) => {
  const { rig, receiver } = ctx;
  const expected = new Map<string, Expectation>();
  const kindOf = new Map<string, string>();
  let k = 0;
  const queued: Array<[string, string]> = [];
  for (let i = 0; i < PER_KIND; i++) {
    for (const path of Object.keys(KINDS)) {
      const id = `rcv-${k++}`;
      expected.set(id, KINDS[path] as Expectation);
      kindOf.set(id, path);
      queued.push([id, path]);
    }
  }
  await warmUp(rig, receiver.url('/ok'));
  for (const [id, path] of queued)
    rig.worker.driver.send(requestTo(id, receiver.url(path), KINDS[path]?.maxAttempts ?? MAX_ATTEMPTS));
  const started = performance.now();
  rig.worker.driver.start({ concurrency: 4, batchSize: 8 });
  await settle(rig, 240_000);
  const elapsed = performance.now() - started;

  const ledger = await checkLedger(rig.store, expected, (id) => receiver.requestsOf(id), rig.unrecorded);
  const wrongCategory = ledger.books.filter((b) => {
    const allowed = KINDS[kindOf.get(b.messageId) ?? '']?.categories ?? [];
    return b.categories.some((c) => !allowed.includes(c));
  });
  const missingCharacteristic = Object.entries(KINDS)
    .filter(
      ([kind, k]) =>
        !ledger.books.some((b) => kindOf.get(b.messageId) === kind && b.categories.includes(k.characteristic)),
    )
    .map(([kind]) => kind);
  const verify = await verifyTable(ctx.t);
  const stats = rig.worker.driver.stats();
  const byKind: Record<string, Record<string, number>> = {};
  for (const b of ledger.books) {
    const kind = kindOf.get(b.messageId) ?? '?';
    const row = byKind[kind] ?? {};
    for (const c of b.categories) row[c] = (row[c] ?? 0) + 1;
    byKind[kind] = row;
  }

  printSummary({
    file: 'faultsReceivers',
    operationsSent: expected.size,
    // every request to a misbehaving path is a fault (hang, reset, close)
    faultsInjected: ledger.books
      .filter((b) => kindOf.get(b.messageId) !== '/ok')
      .reduce((n, b) => n + b.categories.filter((c) => c !== 'success').length, 0),
    inputsTried: 0,
    lost: ledger.lost.length,
    doubleCounted: ledger.doubleCounted.length,
    accounting: accountingOf(ledger, rig.recovered()),
    details: {
      'duration s': Math.round(elapsed / 100) / 10,
      'categories by receiver': byKind,
      'SQS receives': stats.queue.received,
      DLQ: stats.counts.deadLetters,
      verify: { ok: verify.report.ok, messages: verify.report.messages },
    },
  });

  assertBooks(ledger, (ids) => rig.trace(ids));
  assert.equal(
    wrongCategory.map((b) => b.messageId),
    [],
    `unexpected categories: ${JSON.stringify(wrongCategory.slice(0, 5))}`,
  );
  assert.equal(missingCharacteristic, [], 'every receiver behaviour was classified as such at least once');
  assert.is(stats.counts.deadLetters, 0);
  assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.report.messages, expected.size + 1, 'every message (and the warm-up) verified');
});

Receivers.run();
