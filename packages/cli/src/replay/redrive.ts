import { hostMatches } from '../args/common.js';
import { type DeliveryRequest, isFinal, type StateItem, stalled } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Progress } from '../format/progress.js';
import type { Page } from './forEachParallel.js';
import { redriveRequest } from './redriveRequest.js';
import { TableError } from './tableError.js';

// `dh replay redrive`: reopen final FAILED messages with an auditable event (REDRIVE#k:
// who, why, when; history is never edited) and enqueue them again. A message whose
// request cannot be rebuilt is refused before anything is written. Re-running after a
// failed enqueue is safe: a message already reopened and never attempted since is only
// enqueued again, without a second event. A stalled message (not final, and no worker came
// back to it: its SQS record is in the DLQ or gone) is enqueued again as it is, without an
// event: the worker's claim takes it over once its lease has run out.

export type Refusal = { readonly _tag: string; readonly message: string };

export type RedriveQueue = {
  readonly send: (request: DeliveryRequest) => Promise<E.Either<string, void>>;
  /** After every send (the local driver delivers here). */
  readonly flush: () => Promise<E.Either<string, string | null>>;
  /** True when an operator's Ctrl-C/SIGTERM cut the local delivery short (flush said what is left). */
  readonly interrupted?: () => boolean;
};

export type RedriveDeps = {
  /** Message ids to consider, page by page (a list, or a failed-index query). */
  readonly select: (cursor: string | null) => Promise<Page<string>>;
  readonly getState: (messageId: string) => Promise<E.Either<Refusal, StateItem | null>>;
  readonly appendRedrive: (input: {
    messageId: string;
    requestedBy: string;
    reason: string;
    maxAttempts: number;
  }) => Promise<E.Either<Refusal, { redriveNumber: number; maxAttempts: number; afterAttempt: number }>>;
  readonly queue: RedriveQueue;
  readonly progress?: Progress;
};

export type RedriveOptions = {
  readonly dryRun: boolean;
  readonly reason: string;
  readonly requestedBy: string;
  /** Attempts the message gets after the re-drive. */
  readonly extraAttempts: number;
  /** Re-drive at most this many messages (safety for broad filters). */
  readonly limit?: number;
  /** Only messages to this endpoint (host[:port]; a bare host matches every port). */
  readonly endpoint?: string;
  /** Enqueue again a non-final message that waited this long for a worker at `now`. */
  readonly stalled?: { readonly now: Date; readonly afterMs: number };
};

export type RedriveAction = 'would-redrive' | 'redriven' | 'requeued' | 'skipped' | 'failed' | 'not-found';

export type RedriveResult = {
  readonly messageId: string;
  readonly action: RedriveAction;
  readonly detail: string | null;
  readonly redriveNumber: number | null;
  readonly afterAttempt: number | null;
  readonly maxAttempts: number | null;
};

export type RedriveReport = {
  readonly dryRun: boolean;
  readonly considered: number;
  /** `--limit` stopped the run: the selected messages left (`atLeast`: counting stopped early). */
  readonly beyondLimit: { readonly count: number; readonly atLeast: boolean } | null;
  readonly actions: Record<RedriveAction, number>;
  readonly messages: ReadonlyArray<RedriveResult>;
  /** What the queue said after the last send (local delivery summary), if anything. */
  readonly delivery: string | null;
  /** Local delivery was interrupted (SIGINT/SIGTERM): `delivery` says what is left and how to finish. */
  readonly interrupted: boolean;
};

const result = (messageId: string, action: RedriveAction, detail: string | null = null): RedriveResult => ({
  messageId,
  action,
  detail,
  redriveNumber: null,
  afterAttempt: null,
  maxAttempts: null,
});

/** Reopened by a redrive and not attempted since: only the enqueue is missing. */
const awaitingDelivery = (s: StateItem): boolean => s.status === 'PENDING' && s.redrives > 0 && s.lease === null;

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the refusal checks of one re-drive, in the order an operator reads them
const redriveOne = async (deps: RedriveDeps, o: RedriveOptions, messageId: string): Promise<RedriveResult> => {
  const loaded = await deps.getState(messageId);
  if (E.isLeft(loaded)) return result(messageId, 'failed', loaded.left.message);
  const state = loaded.right;
  if (state === null) return result(messageId, 'not-found');
  if (o.endpoint !== undefined && !hostMatches(o.endpoint, state.endpoint))
    return result(messageId, 'skipped', `endpoint is ${state.endpoint}`);
  const request = redriveRequest(state);
  if (E.isLeft(request)) return result(messageId, 'failed', request.left);
  if (awaitingDelivery(state)) {
    if (o.dryRun) return result(messageId, 'would-redrive', 'already reopened; would enqueue again');
    const sent = await deps.queue.send(request.right);
    return E.isLeft(sent)
      ? result(messageId, 'failed', `enqueue: ${sent.left}`)
      : result(messageId, 'requeued', 'already reopened; enqueued again');
  }
  const stall = o.stalled === undefined ? null : stalled(state, o.stalled.now, o.stalled.afterMs);
  if (stall !== null) {
    const why = `stalled: ${state.status}, waiting since ${stall.since}`;
    if (o.dryRun) return result(messageId, 'would-redrive', `${why}; would enqueue again`);
    const sent = await deps.queue.send(request.right);
    return E.isLeft(sent)
      ? result(messageId, 'failed', `enqueue: ${sent.left}`)
      : result(messageId, 'requeued', `${why}; enqueued again`);
  }
  if (!(state.status === 'FAILED' && isFinal(state))) {
    const why = state.status === 'FAILED' ? 'not final: retries are still scheduled' : `status is ${state.status}`;
    return result(messageId, 'skipped', why);
  }
  const maxAttempts = state.attempts + o.extraAttempts;
  const planned = { redriveNumber: state.redrives + 1, afterAttempt: state.attempts, maxAttempts };
  if (o.dryRun) return { ...result(messageId, 'would-redrive'), ...planned };
  const stored = await deps.appendRedrive({ messageId, requestedBy: o.requestedBy, reason: o.reason, maxAttempts });
  if (E.isLeft(stored)) {
    const action: RedriveAction = stored.left._tag === 'NotRedrivable' ? 'skipped' : 'failed';
    return result(messageId, action, stored.left.message);
  }
  const sent = await deps.queue.send(request.right);
  if (E.isLeft(sent)) {
    return {
      ...result(
        messageId,
        'failed',
        `re-drive stored but enqueue failed (${sent.left}); run the same command again to enqueue it`,
      ),
      ...stored.right,
    };
  }
  return { ...result(messageId, 'redriven'), ...stored.right };
};

const ACTIONS: ReadonlyArray<RedriveAction> = [
  'would-redrive',
  'redriven',
  'requeued',
  'skipped',
  'failed',
  'not-found',
];

/** Pages read past `--limit` to say how many more match (ids only, no reads of STATE). */
const BEYOND_LIMIT_PAGES = 10;

/** The selected ids left after the limit stopped the run: the rest of `page`, then further pages. */
const countBeyond = async (
  deps: RedriveDeps,
  left: number,
  cursor: string | null,
): Promise<{ count: number; atLeast: boolean }> => {
  let count = left;
  let next = cursor;
  for (let pages = 0; next !== null; pages++) {
    if (pages === BEYOND_LIMIT_PAGES) return { count, atLeast: true };
    const page: Page<string> = await deps.select(next);
    count += page.items.length;
    next = page.cursor;
  }
  return { count, atLeast: false };
};

const runRedrive = async (deps: RedriveDeps, o: RedriveOptions): Promise<RedriveReport> => {
  const actions = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<RedriveAction, number>;
  const messages: RedriveResult[] = [];
  let considered = 0;
  let cursor: string | null = null;
  const done = () => o.limit !== undefined && actions.redriven + actions['would-redrive'] + actions.requeued >= o.limit;
  let beyondLimit: RedriveReport['beyondLimit'] = null;
  deps.progress?.start(null);
  try {
    do {
      const page: Page<string> = await deps.select(cursor);
      let seen = 0;
      for (const id of page.items) {
        if (done()) break;
        const r = await redriveOne(deps, o, id);
        seen++;
        considered++;
        actions[r.action]++;
        messages.push(r);
        deps.progress?.increment();
      }
      cursor = page.cursor;
      if (done() && (seen < page.items.length || cursor !== null))
        beyondLimit = await countBeyond(deps, page.items.length - seen, cursor);
    } while (cursor !== null && !done());
  } finally {
    deps.progress?.stop();
  }
  const sentAny = actions.redriven + actions.requeued > 0;
  const flushed = sentAny ? await deps.queue.flush() : E.right(null);
  return {
    dryRun: o.dryRun,
    considered,
    beyondLimit,
    actions,
    messages,
    delivery: E.isLeft(flushed) ? `delivery: ${flushed.left}` : flushed.right,
    interrupted: deps.queue.interrupted?.() ?? false,
  };
};

export const redrive = (deps: RedriveDeps, options: RedriveOptions): TE.TaskEither<TableError, RedriveReport> =>
  TE.tryCatch(
    () => runRedrive(deps, options),
    (e) => TableError(e, 'redrive'),
  );
