import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as E from 'fp-ts/lib/Either.js';
import type { Context } from '../kit/context.js';
import { localRedriveQueue } from '../redrive/localQueue.js';
import { type RedriveDeps, type RedriveQueue, type RedriveReport, redrive } from '../redrive/redrive.js';
import { storeRedriveDeps } from '../redrive/redriveCommand.js';
import { redriveWarnings } from '../redrive/redriveWarnings.js';
import { sqsQueue } from '../redrive/sqsQueue.js';
import { DEFAULT_STALLED_AFTER_MS } from '../verify/verifyTable.js';
import type { AllowList } from '@delivery-history/core';

// The console's re-drive jobs: the CLI's re-drive run (`redrive` with the store side of
// `dh replay redrive`), tracked in this process. A dry run counts first; a job records who and
// why in every REDRIVE event (the audit trail), reports progress as messages are reopened,
// and can be cancelled: no further page is selected, and a local delivery in progress is
// interrupted as Ctrl-C interrupts `dh replay redrive` (requests in flight recorded).

/** Small pages: a cancel takes effect before the next one. */
const SELECT_PAGE = 10;
/** A local delivery's wait, and the grace a cancelled one gives requests in flight. */
const LOCAL_WAIT_MS = 120_000;
const CANCEL_GRACE_MS = 2_000;

export type Select = (
  limit: number,
  cursor: string | null,
) => Promise<E.Either<string, { ids: string[]; cursor: string | null }>>;

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export type Job = {
  readonly id: string;
  readonly by: string;
  readonly reason: string;
  /** What was selected, in words (the filter, or "3 selected messages"). */
  readonly selection: string;
  /** The dry run's count when the job was started. */
  readonly expected: number;
  readonly startedAt: string;
  state: JobState;
  /** Messages considered so far (reopened, skipped or failed). */
  done: number;
  reopened: number;
  cancelRequested: boolean;
  finishedAt: string | null;
  /** The report's counts and delivery line when it ended, or why it failed. */
  summary: string | null;
};

export type RedriveSettings = {
  readonly ctx: Context;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly operator: string;
  readonly extraAttempts: number;
  readonly allow: AllowList;
  readonly now: () => Date;
};

export type RedriveJobs = {
  /** The dry run: how many would be re-driven, and how many were looked at. */
  count(select: Select): Promise<E.Either<string, { wouldRedrive: number; considered: number }>>;
  start(select: Select, o: { reason: string; selection: string; expected: number }): Job;
  get(id: string): Job | undefined;
  cancel(id: string): Job | undefined;
  list(): ReadonlyArray<Job>;
};

const selectOf =
  (select: Select, cancelled: () => boolean): RedriveDeps['select'] =>
  async (cursor) => {
    if (cancelled()) return E.right({ items: [], cursor: null });
    const page = await select(SELECT_PAGE, cursor);
    // the re-drive run reports a failed selection as its one failure line
    if (E.isLeft(page)) return E.left({ message: page.left });
    return E.right({ items: page.right.ids, cursor: page.right.cursor });
  };

/** The run's progress as the job's counter (the page reads it). */
const progressOf = (job: Job) => ({
  start: () => {},
  setTotal: () => {},
  increment: (n = 1) => {
    job.done += n;
  },
  stop: () => {},
});

const summaryOf = (r: RedriveReport): string =>
  [
    `${r.considered} considered`,
    ...Object.entries(r.actions)
      .filter(([, n]) => n > 0)
      .map(([a, n]) => `${n} ${a}`),
    ...(r.delivery === null ? [] : [r.delivery]),
  ].join('; ');

export const redriveJobs = (s: RedriveSettings): RedriveJobs => {
  const jobs = new Map<string, Job>();
  const interrupts = new Map<string, EventEmitter>();
  const never: RedriveQueue = {
    send: async () => E.left('a dry run sends nothing'),
    flush: async () => E.right(null),
  };
  const deps = (select: RedriveDeps['select'], queue: RedriveQueue, reopened: () => void): RedriveDeps => ({
    select,
    ...storeRedriveDeps(s.ctx, reopened),
    queue,
    warn: redriveWarnings({ allow: s.allow, remoteWorker: s.ctx.config.queueUrl !== null }),
  });
  const options = (reason: string, dryRun: boolean) => ({
    dryRun,
    reason,
    requestedBy: s.operator,
    extraAttempts: s.extraAttempts,
    // as `dh replay redrive` by default: a message stalled that long is enqueued again
    stalled: { now: s.now(), afterMs: DEFAULT_STALLED_AFTER_MS },
  });
  /** SQS when the CLI would use it; else the worker's local driver, its Ctrl-C being the job's cancel. */
  const queueOf = (signals: EventEmitter): { queue: RedriveQueue; close: () => void } => {
    const config = s.ctx.config;
    if (config.queueUrl !== null) {
      const sqs = new SQSClient({
        ...(config.sqsEndpoint !== null ? { endpoint: config.sqsEndpoint } : {}),
        ...(config.region !== null ? { region: config.region } : {}),
      });
      return { queue: sqsQueue(sqs, config.queueUrl, s.now()), close: () => sqs.destroy() };
    }
    return {
      queue: localRedriveQueue({
        store: s.ctx.store,
        env: s.env,
        waitMs: LOCAL_WAIT_MS,
        graceMs: CANCEL_GRACE_MS,
        // the console owns this process's Ctrl-C: a job is interrupted by its cancel only
        signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      }),
      close: () => {},
    };
  };

  const run = async (job: Job, select: Select) => {
    const signals = new EventEmitter();
    interrupts.set(job.id, signals);
    const { queue, close } = queueOf(signals);
    const d = deps(
      selectOf(select, () => job.cancelRequested),
      queue,
      () => {
        job.reopened += 1;
      },
    );
    try {
      const report = await redrive(
        {
          ...d,
          progress: progressOf(job),
        },
        options(job.reason, false),
      )();
      job.summary = E.isLeft(report) ? report.left.message : summaryOf(report.right);
      job.state = E.isLeft(report) ? 'failed' : job.cancelRequested ? 'cancelled' : 'done';
    } catch (e) {
      job.summary = e instanceof Error ? e.message : String(e);
      job.state = 'failed';
    } finally {
      close();
      interrupts.delete(job.id);
      job.finishedAt = s.now().toISOString();
    }
  };

  return {
    count: async (select) => {
      const r = await redrive(
        deps(
          selectOf(select, () => false),
          never,
          () => {},
        ),
        options('dry run', true),
      )();
      return E.isLeft(r)
        ? E.left(r.left.message)
        : E.right({ wouldRedrive: r.right.actions['would-redrive'], considered: r.right.considered });
    },
    start: (select, o) => {
      const job: Job = {
        id: randomBytes(6).toString('hex'),
        by: s.operator,
        reason: o.reason,
        selection: o.selection,
        expected: o.expected,
        startedAt: s.now().toISOString(),
        state: 'running',
        done: 0,
        reopened: 0,
        cancelRequested: false,
        finishedAt: null,
        summary: null,
      };
      jobs.set(job.id, job);
      void run(job, select);
      return job;
    },
    get: (id) => jobs.get(id),
    cancel: (id) => {
      const job = jobs.get(id);
      if (job === undefined || job.state !== 'running' || job.cancelRequested) return job;
      job.cancelRequested = true;
      // once: a second one would be the "exit now" Ctrl-C of the local driver
      interrupts.get(id)?.emit('SIGINT', 'SIGINT');
      return job;
    },
    list: () => [...jobs.values()].reverse(),
  };
};
