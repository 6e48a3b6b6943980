import { endpointOf, breaker } from '@delivery-history/core';
import { createLocalWorker, startReceivers } from '@delivery-history/devkit';
import { createStore, drainHeld, type Store } from '@delivery-history/store';
import { loadConfig, type WorkerConfig } from '@delivery-history/worker';
import { parseAllowList } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import type { BenchContext } from './support/benchContext.js';
import { benchRequest } from './support/benchFixtures.js';
import type { Row } from './support/report.js';
import { meterRequests, type OperationMeter, type RequestMeter } from './support/requestMeter.js';
import { round } from './support/stats.js';

// The endpoint breaker's costs (issue 27), counted on a real client (round trips and units per
// message, by operation):
// - a delivery with the breaker on and the endpoint closed, next to the same delivery with the
//   breaker off: the worker reads the breaker through its per-container cache, so the happy path
//   stays at 2 round trips (create-and-claim, append); the cache's background re-read is
//   counted too (one GetItem per endpoint per `breakerStaleMs`, shared by every delivery);
// - a hold (the endpoint paused): what the worker writes instead of delivering;
// - a release by the drain (store's drainHeld, the same function the drain handler runs): what
//   it reads and writes per message, and the released message's delivery afterwards.

export type BreakerBenchOptions = {
  /** Messages per scenario. */
  readonly messages: number;
};

const must = <A>(e: E.Either<{ message: string } | string, A>, what: string): A => {
  if (E.isLeft(e)) throw new Error(`${what}: ${typeof e.left === 'string' ? e.left : e.left.message}`);
  return e.right;
};

const configOf = (breaker: boolean): WorkerConfig => ({
  ...loadConfig({}),
  allowTargets: must(parseAllowList('127.0.0.1'), 'allow list'),
  maxAttempts: 3,
  breaker,
});

type PerMessage = { requests: number; wcu: number; rcu: number; byOp: string };

const perMessage = (m: RequestMeter, n: number): PerMessage => {
  const t: OperationMeter = m.totals();
  const byOp = Object.entries(m.snapshot())
    .map(([op, x]) => `${op} ${round(x.requests / n, 2)} (${round((x.wcu + x.estimatedWcu) / n, 1)} WCU)`)
    .join(', ');
  return { requests: t.requests / n, wcu: (t.wcu + t.estimatedWcu) / n, rcu: t.rcu / n, byOp };
};

const row = (metric: string, p: PerMessage, note = ''): Row => ({
  section: 'breaker',
  metric,
  value: `${round(p.requests, 2)} / ${round(p.wcu, 1)} / ${round(p.rcu, 1)}`,
  unit: 'RT / WCU / RCU',
  note: [p.byOp, note].filter((s) => s !== '').join('; '),
});

const deliverAll = async (worker: ReturnType<typeof createLocalWorker>, ids: string[], url: string) => {
  for (const id of ids) worker.driver.send(benchRequest(id, url));
  worker.driver.start({ concurrency: 4, batchSize: 1 });
  await worker.driver.drain({ timeoutMs: 120_000, untilIdle: true });
  await worker.driver.stop();
};

const moveBreaker = async (store: Store, endpoint: string, to: 'paused' | 'closed') => {
  const before = must(await store.readBreaker(endpoint, true)(), 'read breaker') ?? breaker.initial(endpoint, '');
  const at = new Date().toISOString();
  const move =
    to === 'paused' ? breaker.pause(before, 'bench', 'bench', at) : breaker.resume(before, 'bench', 'bench', at);
  must(await store.writeBreaker(move.state, before.version, move.transition)(), `${to} breaker`);
};

export const benchBreaker = async (
  ctx: BenchContext,
  o: BreakerBenchOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  const rows: Row[] = [];
  const t = await ctx.table('breaker', { stream: false });
  const receivers = await startReceivers();
  const meter = meterRequests(t.client);
  const store = createStore({ doc: t.doc, tableName: t.tableName });
  const off = createLocalWorker({ store, env: {}, config: configOf(false) });
  const on = createLocalWorker({ store, breakerStore: store, env: {}, config: configOf(true) });
  const url = receivers.url('/ok');
  const endpoint = endpointOf(url);
  const ids = (tag: string) => Array.from({ length: o.messages }, (_, i) => `${tag}-${i}`);
  const n = o.messages;
  try {
    // warm both (connections, JIT; the breaker cache's first read of the endpoint)
    await deliverAll(off, ids('warm-off').slice(0, 10), url);
    await deliverAll(on, ids('warm-on').slice(0, 10), url);

    meter.reset();
    await deliverAll(off, ids('off'), url);
    const plain = perMessage(meter, n);
    meter.reset();
    const t0 = Date.now();
    await deliverAll(on, ids('on'), url);
    const gated = perMessage(meter, n);
    const seconds = (Date.now() - t0) / 1000;
    rows.push(
      row('delivery, breaker off', plain),
      row(
        'delivery, breaker on (closed, warm cache)',
        gated,
        `on / off round trips = ${round(gated.requests / plain.requests, 3)}x; the cache re-reads each ${on.config.breakerStaleMs / 1000} s (${round(seconds, 1)} s here)`,
      ),
    );

    // a hold: the endpoint paused, each message recorded as held instead of delivered
    await moveBreaker(store, endpoint, 'paused');
    // the worker's cache learns of the pause within its staleness
    await new Promise((r) => setTimeout(r, on.config.breakerStaleMs + 100));
    await deliverAll(on, ['settle-held'], url);
    meter.reset();
    const heldIds = ids('held');
    await deliverAll(on, heldIds, url);
    const hold = perMessage(meter, n);
    const heldNow = must(await store.countHeld(endpoint)(), 'count held');
    if (heldNow < n) throw new Error(`${heldNow} held of ${n}`);
    rows.push(row('hold (endpoint paused): per held message', hold, `${heldNow} held, none sent`));

    // a release: resumed, the drain re-enqueues them oldest first (no wait for each claim here);
    // first the worker's cache learns of the resume (a message sent on its stale view is held too)
    await moveBreaker(store, endpoint, 'closed');
    await new Promise((r) => setTimeout(r, on.config.breakerStaleMs + 100));
    await deliverAll(on, ['settle-released'], url);
    await new Promise((r) => setTimeout(r, 500));
    meter.reset();
    const released = await drainHeld(
      {
        store,
        queue: {
          send: async (request) => {
            on.driver.send(request);
            return E.right(undefined);
          },
        },
        sleep: async () => undefined,
      },
      { endpoint, ratePerSecond: 1_000_000, by: 'bench', reason: 'bench resume' },
    );
    const release = perMessage(meter, released.released.length);
    if (released.released.length < heldNow) throw new Error(`${released.released.length} released of ${heldNow}`);
    rows.push(row('release by the drain: per released message', release, `${released.released.length} released`));
    meter.reset();
    on.driver.start({ concurrency: 4, batchSize: 1 });
    await on.driver.drain({ timeoutMs: 120_000, untilIdle: true });
    await on.driver.stop();
    const redelivery = perMessage(meter, released.released.length);
    rows.push(row('delivery of a released message', redelivery));
    return { rows, detail: { plain, gated, hold, release, redelivery, held: heldNow } };
  } finally {
    meter.uninstall();
    await off.close();
    await on.close();
    await receivers.close();
    await t.drop();
  }
};
