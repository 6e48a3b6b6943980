import { createLocalWorker, type InterruptReport, type LocalWorker } from '@delivery-history/devkit';
import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { ctrlCCounter, INTERRUPTED_EXIT } from '../kit/interrupt.js';
import type { RedriveQueue } from './redrive.js';

// Re-drives without SQS (DynamoDB Local, no DELIVERY_QUEUE_URL): the worker's own local
// driver, in this process, delivers them right away with the same handler as on AWS, and
// keeps retrying until each is final or `waitMs` runs out. The worker reads its settings
// (DELIVERY_ALLOW_TARGETS, timeouts, backoff) from the same environment.

export type LocalRedriveOptions = {
  readonly store: Store;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly waitMs: number;
  readonly concurrency?: number;
  /** Ctrl-C: how long requests in flight may finish before they are ended and recorded. */
  readonly graceMs?: number;
  /** The command that finishes an interrupted run (printed). */
  readonly finishCommand?: string;
  /** Where SIGINT/SIGTERM come from (default: this process). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Says that delivery started (the progress bar has ended; the requests are still to go out). */
  readonly note?: (line: string) => void;
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

const deliveredText = (w: LocalWorker): string => {
  const s = w.driver.stats();
  return `Delivered locally (worker's local driver): ${s.recordsHandled} records handled, ${s.counts.deadLetters} dead letters.`;
};

const unfinishedText = (w: LocalWorker, o: LocalRedriveOptions, e: unknown): string =>
  `not finished after ${Math.round(o.waitMs / 1000)} s (${w.driver.stats().counts.total} still queued in this process); ` +
  `they stay reopened or retrying in the table: run the worker, or re-run with a longer --wait-seconds (${e instanceof Error ? e.message : String(e)})`;

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
    deliversHere: true,
    flush: async () => {
      if (worker === undefined) return E.right(null);
      const w = worker;
      const signals = o.signals ?? process;
      let stopping: Promise<InterruptReport> | null = null;
      let signalled: () => void = () => {};
      const signal = new Promise<void>((ok) => {
        signalled = ok;
      });
      const presses = ctrlCCounter();
      const onSignal = () => {
        const press = presses.press();
        // a second Ctrl-C: the operator does not want to wait; the same one again: nothing new
        if (press === 'second') process.exit(INTERRUPTED_EXIT);
        if (press === 'again') return;
        interrupted = true;
        stopping = w.interrupt(o.graceMs ?? DEFAULT_GRACE_MS);
        signalled();
      };
      for (const s of SIGNALS) signals.on(s, onSignal);
      o.note?.(
        `delivering ${w.driver.stats().counts.total} re-driven messages locally (up to ${Math.round(o.waitMs / 1000)} s; Ctrl-C stops and reports)...`,
      );
      w.driver.start({ concurrency: o.concurrency ?? 4 });
      try {
        // drained, or a signal came first (then the interrupt report is the answer)
        await Promise.race([w.driver.drain({ timeoutMs: o.waitMs }), signal]);
        const stopped = stopping as Promise<InterruptReport> | null;
        return E.right(stopped !== null ? interruptText(await stopped, o) : deliveredText(w));
      } catch (e) {
        return E.left(unfinishedText(w, o, e));
      } finally {
        for (const s of SIGNALS) signals.off(s, onSignal);
        await w.close();
      }
    },
  };
};
