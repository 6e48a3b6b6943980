import { createStore } from '@delivery-history/store';
import { createLocalWorker, startReceivers } from '@delivery-history/devkit';
import { type AllowList, parseAllowList } from '@delivery-history/worker';
import * as E from 'fp-ts/lib/Either.js';
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './support/context.js';
import { countItems } from './support/tableCounts.js';
import { benchRequest } from './support/fixtures.js';
import type { Row } from './support/report.js';
import { round } from './support/stats.js';

// The worker end to end: SQS record (local queue) -> the real handler (decode, create,
// claim, HTTP to a local receiver, classify, append) -> recorded attempt. Concurrency c
// means c records in flight (c driver loops, batches of 1). Every delivery is checked
// afterwards: the receiver saw exactly N requests and the queue is empty.

export type WorkerE2eOptions = { readonly concurrencies: ReadonlyArray<{ c: number; deliveries: number }> };

const allowLocal = (): AllowList => {
  const a = parseAllowList('127.0.0.1');
  if (E.isLeft(a)) throw new Error(a.left);
  return a.right;
};

export const benchWorkerE2e = async (
  ctx: BenchContext,
  o: WorkerE2eOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  const rows: Row[] = [];
  const detail: Record<string, unknown> = {};
  const receivers = await startReceivers();
  try {
    // a warm-up pass (JIT, connection pools) that is not measured
    for (const [i, { c, deliveries }] of [{ c: 4, deliveries: 40 }, ...o.concurrencies].entries()) {
      const t = await ctx.table(`worker-c${c}`);
      const store = createStore({ doc: t.doc, tableName: t.tableName });
      const worker = createLocalWorker({ store, env: {}, config: { allowTargets: allowLocal(), maxAttempts: 3 } });
      try {
        for (let k = 0; k < deliveries; k++) worker.driver.send(benchRequest(`w${i}-${k}`, receivers.url('/ok')));
        const before = receivers.count('/ok');
        const t0 = performance.now();
        worker.driver.start({ concurrency: c, batchSize: 1 });
        await worker.driver.drain({ timeoutMs: 180_000 });
        const ms = performance.now() - t0;
        const delivered = receivers.count('/ok') - before;
        const stats = worker.driver.stats();
        if (i === 0) continue;
        const counts = await countItems(t.doc, t.tableName);
        const perSec = (delivered / ms) * 1000;
        detail[`c${c}`] = { deliveries, delivered, ms, perSec, stats, counts };
        rows.push({
          section: 'worker e2e',
          metric: `deliveries/s at concurrency ${c}`,
          value: round(perSec, 1),
          unit: '/s',
          note: `${delivered}/${deliveries} delivered and recorded in ${round(ms / 1000, 1)} s; ${stats.batchItemFailures} batch item failures`,
        });
        if (counts.attempts !== deliveries || counts.byStatus.SUCCESS !== deliveries) {
          throw new Error(
            `worker e2e: ${counts.attempts} attempts and ${counts.byStatus.SUCCESS ?? 0} SUCCESS states recorded for ${deliveries} deliveries`,
          );
        }
        if (delivered !== deliveries)
          throw new Error(`worker e2e: ${delivered} of ${deliveries} deliveries reached the receiver`);
      } finally {
        await worker.close();
        await t.drop();
      }
      ctx.progress(`worker e2e c=${c} done`);
    }
  } finally {
    await receivers.close();
  }
  return { rows, detail };
};
