import { performance } from 'node:perf_hooks';
import { silentLogger } from '@delivery-history/core';
import { createLocalWorker, startReceivers } from '@delivery-history/devkit';
import { createLocalDriver, createLocalQueue } from '@delivery-history/devkit/testing';
import { createStore, type Store } from '@delivery-history/store';
import { createHandler, type HttpClient, loadConfig, noopMetrics, type WorkerConfig } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import type { HttpExchange } from '@delivery-history/worker/testing';
import type { AllowList } from '@delivery-history/core';
import { parseAllowList } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { BenchContext, BenchTable } from './support/benchContext.js';
import { benchRequest } from './support/benchFixtures.js';
import type { Row } from './support/report.js';
import { type OperationMeter, meterRequests, type RequestMeter } from './support/requestMeter.js';
import { ratio, round } from './support/stats.js';
import { countItems } from './support/tableCounts.js';
import { costRows } from './cost.js';

// The worker end to end, next to what it can be:
// - e2e: SQS record (local queue) -> the real handler (decode, create, claim, HTTP to a
//   local receiver, classify, append) -> recorded attempt; c records in flight (c driver
//   loops, batches of 1);
// - no HTTP: the very same handler, queue and driver with an HTTP client that answers 200 at
//   once, so it makes the same DynamoDB calls and nothing else;
// - the bound: c / (sum of the mean latencies of those calls), Little's law for c lanes
//   that do nothing but the calls;
// - three calls: the path before issue 17 kept as a baseline: the same handler and HTTP,
//   with a store whose createAndClaim is createMessage (a conditional PutItem) then claim
//   (an UpdateItem), as the worker did before the upsert.
// e2e, no-HTTP and three-call run in rotating rounds on one table each (no stream: nothing consumes
// it here; one labelled run with a stream shows what the stream costs DynamoDB Local). The
// section starts with >= `warmupRequests` untimed requests on its fresh DynamoDB Local (its
// JIT is cold for the first ~1,500). Then round trips and units per delivery for a first
// attempt that succeeds, a failure then a retry that succeeds, and a duplicate record.

export type WorkerE2eOptions = {
  readonly concurrencies: ReadonlyArray<{ c: number; deliveries: number }>;
  /** Rounds per concurrency; each runs every variant once (the first one rotating). */
  readonly rounds: number;
  readonly warmupRequests: number;
  /** Messages per round-trip scenario. */
  readonly scenarioMessages: number;
};

type Variant = 'e2e' | 'no HTTP' | 'three calls';

const allowLocal = (): AllowList => {
  const a = parseAllowList('127.0.0.1');
  if (E.isLeft(a)) throw new Error(a.left);
  return a.right;
};

/** An HTTP client that answers like the receiver's `/ok`, without a socket. */
const instantHttp = (template: HttpExchange): HttpClient => ({
  deliver: async () => {
    const now = new Date();
    return { ...template, startedAt: now, completedAt: now };
  },
  abortInFlight: () => 0,
  close: async () => undefined,
});

type Runner = {
  run(ids: ReadonlyArray<string>, url: string, c: number): Promise<{ ms: number; failures: number }>;
  close(): Promise<void>;
};

const configOf = (over: Partial<WorkerConfig> = {}): WorkerConfig => ({
  ...loadConfig({}),
  allowTargets: allowLocal(),
  maxAttempts: 3,
  ...over,
});

const drive = async (
  driver: ReturnType<typeof createLocalDriver>,
  send: (id: string) => void,
  ids: ReadonlyArray<string>,
  c: number,
) => {
  for (const id of ids) send(id);
  const before = driver.stats().batchItemFailures;
  const t0 = performance.now();
  driver.start({ concurrency: c, batchSize: 1 });
  await driver.drain({ timeoutMs: 180_000 });
  const ms = performance.now() - t0;
  await driver.stop();
  return { ms, failures: driver.stats().batchItemFailures - before };
};

/** The old path's store: createAndClaim as two round trips (create, then claim). */
const threeCallStore = (store: Store): Store => ({
  ...store,
  createAndClaim: (request, options) =>
    pipe(
      store.createMessage(request),
      TE.chain((c) =>
        pipe(
          store.claim(request.messageId, options),
          TE.map((claimed) => ({ ...claimed, created: c.created })),
        ),
      ),
    ),
});

/** The real local worker (HTTP to the receivers); `threeCalls` runs the old three-call path. */
const e2eRunner = (t: BenchTable, config: WorkerConfig, threeCalls = false): Runner => {
  const today = createStore({ doc: t.doc, tableName: t.tableName });
  const store = threeCalls ? threeCallStore(today) : today;
  const worker = createLocalWorker({ store, env: {}, config });
  return {
    run: (ids, url, c) => drive(worker.driver, (id) => worker.driver.send(benchRequest(id, url)), ids, c),
    close: () => worker.close(),
  };
};

/** The same handler, queue and driver, with the instant HTTP client. */
const noHttpRunner = (t: BenchTable, config: WorkerConfig, template: HttpExchange): Runner => {
  const store = createStore({ doc: t.doc, tableName: t.tableName });
  const queue = createLocalQueue({
    clock: systemClock,
    visibilityTimeoutMs: 30_000,
    maxReceiveCount: config.maxAttempts + 5,
  });
  const handler = createHandler({
    store,
    http: instantHttp(template),
    visibility: queue.visibility,
    clock: systemClock,
    logger: silentLogger,
    metrics: noopMetrics,
    leaseMs: config.leaseMs,
  });
  const driver = createLocalDriver({ queue, handler });
  return {
    run: (ids, url, c) => drive(driver, (id) => driver.send(benchRequest(id, url)), ids, c),
    close: () => driver.stop(),
  };
};

const perDelivery = (m: Record<string, OperationMeter>, n: number) =>
  Object.fromEntries(
    Object.entries(m).map(([op, v]) => [
      op,
      {
        requests: v.requests / n,
        rcu: v.rcu / n,
        wcu: (v.wcu + v.estimatedWcu) / n,
        meanMs: v.requests > 0 ? v.ms / v.requests : 0,
      },
    ]),
  );

type Measured = { deliveries: number; ms: number; nodeCpuMs: number; javaCpuMs: number; failures: number };

const timed = async (ctx: BenchContext, r: Runner, ids: string[], url: string, c: number): Promise<Measured> => {
  const cpu0 = process.cpuUsage();
  const java0 = await ctx.dynamoCpuSeconds();
  const { ms, failures } = await r.run(ids, url, c);
  const cpu = process.cpuUsage(cpu0);
  const java1 = await ctx.dynamoCpuSeconds();
  return {
    deliveries: ids.length,
    ms,
    nodeCpuMs: (cpu.user + cpu.system) / 1000,
    javaCpuMs: (java1 - java0) * 1000,
    failures,
  };
};

const add = (a: Measured | undefined, b: Measured): Measured =>
  a === undefined
    ? b
    : {
        deliveries: a.deliveries + b.deliveries,
        ms: a.ms + b.ms,
        nodeCpuMs: a.nodeCpuMs + b.nodeCpuMs,
        javaCpuMs: a.javaCpuMs + b.javaCpuMs,
        failures: a.failures + b.failures,
      };

const rate = (m: Measured): number => (m.deliveries / m.ms) * 1000;

const checkTable = async (t: BenchTable, expected: number, label: string) => {
  const counts = await countItems(t.doc, t.tableName);
  if (counts.attempts !== expected || counts.byStatus.SUCCESS !== expected)
    throw new Error(`${label}: ${counts.attempts} attempts, ${counts.byStatus.SUCCESS ?? 0} SUCCESS for ${expected}`);
};

const warmUp = async (ctx: BenchContext, o: WorkerE2eOptions, url: string, template: HttpExchange) => {
  const t = await ctx.table('worker-warmup', { stream: false });
  const meter = meterRequests(t.client);
  const e2e = e2eRunner(t, configOf());
  const bare = noHttpRunner(t, configOf(), template);
  try {
    for (let k = 0; meter.totals().requests < o.warmupRequests; k++) {
      const ids = Array.from({ length: 50 }, (_, i) => `warm-${k}-${i}`);
      await (k % 2 === 0 ? e2e : bare).run(ids, url, 4);
    }
    return meter.totals().requests;
  } finally {
    meter.uninstall();
    await e2e.close();
    await bare.close();
    await t.drop();
  }
};

const atConcurrency = async (
  ctx: BenchContext,
  o: WorkerE2eOptions,
  c: number,
  deliveries: number,
  url: string,
  template: HttpExchange,
  rows: Row[],
) => {
  const tables = {
    e2e: await ctx.table(`worker-e2e-c${c}`, { stream: false }),
    bare: await ctx.table(`worker-bare-c${c}`, { stream: false }),
    old: await ctx.table(`worker-old-c${c}`, { stream: false }),
  };
  const meter: RequestMeter = meterRequests(tables.bare.client);
  const runners: Record<Variant, Runner> = {
    e2e: e2eRunner(tables.e2e, configOf()),
    'no HTTP': noHttpRunner(tables.bare, configOf(), template),
    'three calls': e2eRunner(tables.old, configOf(), true),
  };
  const tag: Record<Variant, string> = { e2e: 'h', 'no HTTP': 'b', 'three calls': 'o' };
  const variants: ReadonlyArray<Variant> = ['e2e', 'no HTTP', 'three calls'];
  const total: Partial<Record<Variant, Measured>> = {};
  const per = Math.max(c, Math.round(deliveries / o.rounds));
  try {
    for (let r = 0; r < o.rounds; r++) {
      // each round starts with the next variant, so no variant always runs first (or last)
      const order = variants.map((_, k) => variants[(r + k) % variants.length] as Variant);
      for (const v of order) {
        const ids = Array.from({ length: per }, (_, i) => `c${c}-${tag[v]}-${r}-${i}`);
        total[v] = add(total[v], await timed(ctx, runners[v], ids, url, c));
      }
    }
    const e2e = total.e2e as Measured;
    const bare = total['no HTTP'] as Measured;
    const old = total['three calls'] as Measured;
    // the handler's calls only (the table checks below scan)
    const calls = perDelivery(meter.snapshot(), bare.deliveries);
    meter.uninstall();
    await checkTable(tables.e2e, e2e.deliveries, `worker e2e c=${c}`);
    await checkTable(tables.bare, bare.deliveries, `worker no-HTTP c=${c}`);
    await checkTable(tables.old, old.deliveries, `worker three-call c=${c}`);
    const sumMs = Object.values(calls).reduce((n, x) => n + x.requests * x.meanMs, 0);
    const bound = (c * 1000) / sumMs;
    const callsNote = Object.entries(calls)
      .map(([op, x]) => `${op} ${round(x.requests, 2)}x ${round(x.meanMs, 2)} ms`)
      .join(', ');
    rows.push(
      {
        section: 'worker e2e',
        metric: `c=${c}: e2e deliveries/s (SQS record -> HTTP -> recorded attempt)`,
        value: round(rate(e2e), 1),
        unit: '/s',
        note: `${e2e.deliveries} in ${o.rounds} rounds rotating with no-HTTP and three-call; ${e2e.failures} batch item failures`,
      },
      {
        section: 'worker e2e',
        metric: `c=${c}: e2e deliveries/s, the old three-call path (PutItem create, UpdateItem claim, append)`,
        value: round(rate(old), 1),
        unit: '/s',
        note: `today / three-call = ${round(ratio(rate(e2e), rate(old)), 2)}x (target at c=1 >= 1.1); ${old.failures} batch item failures`,
      },
      {
        section: 'worker e2e',
        metric: `c=${c}: the same DynamoDB calls without HTTP`,
        value: round(rate(bare), 1),
        unit: '/s',
        note: `e2e / no-HTTP = ${round(ratio(rate(e2e), rate(bare)), 2)}x`,
      },
      {
        section: 'worker e2e',
        metric: `c=${c}: bound c / (sum of the calls' mean latencies)`,
        value: round(bound, 1),
        unit: '/s',
        note: `${round(sumMs, 2)} ms per delivery: ${callsNote}; no-HTTP / bound = ${round(ratio(rate(bare), bound), 2)}x`,
      },
      {
        section: 'worker e2e',
        metric: `c=${c}: CPU per delivery, node (bench + worker) / DynamoDB Local (JVM)`,
        value: `${round(e2e.nodeCpuMs / e2e.deliveries, 2)} / ${round(e2e.javaCpuMs / e2e.deliveries, 2)}`,
        unit: 'ms',
        note: `no HTTP: ${round(bare.nodeCpuMs / bare.deliveries, 2)} / ${round(bare.javaCpuMs / bare.deliveries, 2)} ms`,
      },
    );
    return { e2e, bare, old, calls, sumMs, bound };
  } finally {
    meter.uninstall();
    for (const r of Object.values(runners)) await r.close();
    await tables.e2e.drop();
    await tables.bare.drop();
    await tables.old.drop();
  }
};

/** One labelled e2e run at c = 1 on a table WITH a stream (DynamoDB Local's stream bookkeeping). */
const withStream = async (ctx: BenchContext, deliveries: number, url: string, rows: Row[], noStream: Measured) => {
  const t = await ctx.table('worker-stream');
  const r = e2eRunner(t, configOf());
  try {
    const ids = Array.from({ length: deliveries }, (_, i) => `st-${i}`);
    const m = await timed(ctx, r, ids, url, 1);
    await checkTable(t, deliveries, 'worker e2e with stream');
    rows.push({
      section: 'worker e2e',
      metric: 'c=1: e2e deliveries/s, table WITH a stream (labelled run)',
      value: round(rate(m), 1),
      unit: '/s',
      note: `${deliveries} deliveries; with / without stream = ${round(ratio(rate(m), rate(noStream)), 2)}x`,
    });
    return m;
  } finally {
    await r.close();
    await t.drop();
  }
};

type Scenario = { name: string; path: string; again: boolean };

/** Round trips and units per delivery, by operation, for the three cases the issue names. */
const scenarios = async (
  ctx: BenchContext,
  o: WorkerE2eOptions,
  base: (p: string) => string,
  rows: Row[],
  msPerDelivery: number,
) => {
  const t = await ctx.table('worker-units', { stream: false });
  const meter = meterRequests(t.client);
  const worker = createLocalWorker({
    store: createStore({ doc: t.doc, tableName: t.tableName }),
    env: {},
    config: configOf({ backoffBaseMs: 5, backoffMaxMs: 20 }),
  });
  const out: Record<string, unknown> = {};
  const list: Scenario[] = [
    { name: 'first attempt succeeds', path: '/ok', again: false },
    { name: 'first fails (503), the retry succeeds', path: '/flaky/1?code=503', again: false },
    { name: 'duplicate record (already delivered)', path: '/ok', again: true },
  ];
  try {
    for (const [k, s] of list.entries()) {
      const ids = Array.from({ length: o.scenarioMessages }, (_, i) => `u${k}-${i}`);
      if (s.again) {
        for (const id of ids) worker.driver.send(benchRequest(id, base(s.path)));
        worker.driver.start({ concurrency: 4, batchSize: 1 });
        await worker.driver.drain({ timeoutMs: 60_000 });
        await worker.driver.stop();
      }
      meter.reset();
      for (const id of ids) worker.driver.send(benchRequest(id, base(s.path)));
      worker.driver.start({ concurrency: 4, batchSize: 1 });
      await worker.driver.drain({ timeoutMs: 60_000 });
      await worker.driver.stop();
      const byOp = perDelivery(meter.snapshot(), ids.length);
      const tot = meter.totals();
      const n = ids.length;
      out[s.name] = { byOp, totals: tot, messages: n };
      if (k === 0)
        rows.push(
          ...costRows('worker units', 'worker', 'cost of a first-attempt delivery', {
            requests: tot.requests / n,
            rcu: tot.rcu / n,
            wcu: (tot.wcu + tot.estimatedWcu) / n,
            indexUnits: tot.indexUnits / n,
            msPerDelivery,
          }),
        );
      rows.push({
        section: 'worker units',
        metric: `${s.name}: round trips / WCU / RCU per delivery`,
        value: `${round(tot.requests / n, 2)} / ${round((tot.wcu + tot.estimatedWcu) / n, 1)} / ${round(tot.rcu / n, 1)}`,
        unit: '',
        note: Object.entries(byOp)
          .map(([op, x]) => `${op} ${round(x.requests, 2)} (${round(x.wcu, 1)} WCU)`)
          .join(', ')
          .concat(
            tot.failedConditional > 0
              ? `; ${round(tot.failedConditional / n, 2)} failed conditional writes, their units estimated`
              : '',
          ),
      });
    }
    return out;
  } finally {
    meter.uninstall();
    await worker.close();
    await t.drop();
  }
};

export const benchWorkerE2e = async (
  ctx: BenchContext,
  o: WorkerE2eOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  const rows: Row[] = [];
  const detail: Record<string, unknown> = {};
  const receivers = await startReceivers();
  const url = receivers.url('/ok');
  try {
    // a real exchange with the receiver, replayed by the instant client
    const probe = createLocalWorker({
      store: createStore({ doc: {} as never, tableName: 'x' }),
      env: {},
      config: configOf(),
    });
    const template = await probe.http.deliver({
      messageId: 'probe',
      url,
      method: 'POST',
      headers: {},
      body: '{}',
    });
    await probe.close();
    const warm = await warmUp(ctx, o, url, template);
    ctx.progress(`worker: ${warm} warm-up requests`);
    rows.push({
      section: 'worker e2e',
      metric: 'warm-up requests on this fresh DynamoDB Local (untimed)',
      value: warm,
      unit: '',
    });
    for (const { c, deliveries } of o.concurrencies) {
      detail[`c${c}`] = await atConcurrency(ctx, o, c, deliveries, url, template, rows);
      ctx.progress(`worker e2e c=${c} done`);
    }
    const c1 = detail.c1 as { e2e: Measured } | undefined;
    if (c1 !== undefined) detail.withStream = await withStream(ctx, c1.e2e.deliveries, url, rows, c1.e2e);
    const msPerDelivery = c1 === undefined ? Number.NaN : c1.e2e.ms / c1.e2e.deliveries;
    detail.units = await scenarios(ctx, o, (p) => receivers.url(p), rows, msPerDelivery);
  } finally {
    await receivers.close();
  }
  return { rows, detail };
};
