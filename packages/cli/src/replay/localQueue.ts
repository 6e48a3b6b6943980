import { createLocalWorker, type InterruptReport, type LocalWorker } from '@delivery-history/devkit';
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
  /** Ctrl-C: how long requests in flight may finish before they are ended and recorded. */
  readonly graceMs?: number;
  /** The command that finishes an interrupted run (printed). */
  readonly finishCommand?: string;
  /** Where SIGINT/SIGTERM come from (default: this process). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const DEFAULT_GRACE_MS = 10_000;

const interruptText = (r: InterruptReport, o: LocalRedriveOptions): string =>
  [
    `Interrupted: stopped claiming; ${r.handled} records handled in this process` +
      (r.aborted > 0
        ? `, ${r.aborted} requests still in flight after ${Math.round((o.graceMs ?? DEFAULT_GRACE_MS) / 1000)} s ended and recorded as interrupted (retryable)`
        : '') +
      '.',
    r.unfinishedBatches > 0
      ? `${r.unfinishedBatches} batches did not finish: their messages stay PROCESSING until their lease expires, then the next claim records them as lost.`
      : 'Nothing is left PROCESSING by this process.',
    `${r.notDelivered} messages were not delivered here (queued, or waiting for a retry); they stay reopened or retrying in the table.`,
    `Finish with: ${o.finishCommand ?? 'dh replay redrive --stalled --stalled-after 0s --reason "finish interrupted redrive"'}`,
  ].join('\n');

export const localRedriveQueue = (o: LocalRedriveOptions): RedriveQueue => {
  let worker: LocalWorker | undefined;
  let interrupted = false;
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
    interrupted: () => interrupted,
    flush: async () => {
      if (worker === undefined) return E.right(null);
      const w = worker;
      const signals = o.signals ?? process;
      let stopping: Promise<InterruptReport> | null = null;
      const onSignal = () => {
        // a second Ctrl-C: the operator does not want to wait
        if (stopping !== null) process.exit(130);
        interrupted = true;
        stopping = w.interrupt(o.graceMs ?? DEFAULT_GRACE_MS);
      };
      for (const s of SIGNALS) signals.on(s, onSignal);
      w.driver.start({ concurrency: o.concurrency ?? 4 });
      try {
        const drained = w.driver.drain({ timeoutMs: o.waitMs });
        await Promise.race([
          drained,
          new Promise<void>((ok) => {
            const poll = setInterval(() => {
              if (stopping !== null) {
                clearInterval(poll);
                ok();
              }
            }, 20);
            drained.finally(() => clearInterval(poll)).catch(() => {});
          }),
        ]);
        if (stopping !== null) return E.right(interruptText(await stopping, o));
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
        for (const s of SIGNALS) signals.off(s, onSignal);
        await w.close();
      }
    },
  };
};
