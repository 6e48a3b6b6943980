import { createLocalWorker, type LocalWorker } from '@delivery-history/devkit';
import type { DeliveryStore } from '@delivery-history/worker';
import * as E from 'fp-ts/lib/Either.js';
import type { RedriveQueue } from './redrive.js';

// Re-drives without SQS (DynamoDB Local, no DELIVERY_QUEUE_URL): the worker's own local
// driver, in this process, delivers them right away with the same handler as on AWS, and
// keeps retrying until each is final or `waitMs` runs out. The worker reads its settings
// (DELIVERY_ALLOW_TARGETS, timeouts, backoff) from the same environment.

export type LocalRedriveOptions = {
  readonly store: DeliveryStore;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly waitMs: number;
  readonly concurrency?: number;
};

export const localRedriveQueue = (o: LocalRedriveOptions): RedriveQueue => {
  let worker: LocalWorker | undefined;
  const open = (): LocalWorker => {
    worker ??= createLocalWorker({ store: o.store, env: o.env });
    return worker;
  };
  return {
    send: async (request) => {
      try {
        open().driver.send(request);
        return E.right(undefined);
      } catch (e) {
        return E.left(e instanceof Error ? e.message : String(e));
      }
    },
    flush: async () => {
      if (worker === undefined) return E.right(null);
      const w = worker;
      w.driver.start({ concurrency: o.concurrency ?? 4 });
      try {
        await w.driver.drain({ timeoutMs: o.waitMs });
        const s = w.driver.stats();
        return E.right(
          `Delivered locally (worker's local driver): ${s.recordsHandled} records handled, ${s.counts.deadLetters} dead letters.`,
        );
      } catch (e) {
        const left = w.driver.stats().counts;
        return E.left(
          `not finished after ${Math.round(o.waitMs / 1000)} s (${left.total} still queued in this process); ` +
            `they stay reopened or retrying in the table: run the worker, or re-run with a longer --wait-seconds (${e instanceof Error ? e.message : String(e)})`,
        );
      } finally {
        await w.close();
      }
    },
  };
};
