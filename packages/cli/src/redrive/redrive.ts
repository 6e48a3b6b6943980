import { hostMatches } from '../kit/args/common.js';
import {
  type DeliveryRequest,
  deliveryRequestOf,
  describeRedriveRefusal,
  describeRequestRefusal,
  isFinal,
  nextRedrive,
  redriveRefusal,
  type StateItem,
  stalled,
} from '@delivery-history/core';
import type { StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Progress } from '../kit/format/progress.js';
import type { Page } from '../kit/table/forEachParallel.js';
import { TableError } from '../kit/table/tableError.js';

// `dh replay redrive`: reopen final FAILED messages with an auditable event (REDRIVE#k:
// who, why, when; history is never edited) and enqueue them again. A message whose
// request cannot be rebuilt is refused before anything is written. Re-running after a
// failed enqueue is safe: a message already reopened and never attempted since is only
// enqueued again, without a second event. A stalled message (not final, and no worker came
// back to it: its SQS record is in the DLQ or gone) is enqueued again as it is, with a
// REQUEUE event (who, why, when; STATE unchanged): the worker's claim takes it over once its
// lease has run out.

export type RedriveQueue = {
  readonly send: (request: DeliveryRequest) => Promise<E.Either<string, void>>;
  /** After every send (the local driver delivers here). */
  readonly flush: () => Promise<E.Either<string, string | null>>;
  /** True when an operator's Ctrl-C/SIGTERM cut the local delivery short (flush said what is left). */
  readonly interrupted?: () => boolean;
  /** The flush delivers in this process (the local driver): outcomes can be read after it. */
  readonly deliversHere?: boolean;
};

/** Why a selection page could not be read (a StoreError, or the console's selection error). */
export type SelectError = { readonly message: string };

export type RedriveDeps = {
  /** Message ids to consider, page by page (a list, or a failed-index query); Left: why a page could not be read. */
  readonly select: (cursor: string | null) => Promise<E.Either<SelectError, Page<string>>>;
  readonly getState: (messageId: string) => Promise<E.Either<StoreError, StateItem | null>>;
  readonly appendRedrive: (input: {
    messageId: string;
    requestedBy: string;
    reason: string;
    maxAttempts: number;
  }) => Promise<E.Either<StoreError, { redriveNumber: number; maxAttempts: number; afterAttempt: number }>>;
  /** Records a stalled message's requeue (REQUEUE#: who, why, when) before it is enqueued again. */
  readonly appendRequeue?: (input: {
    messageId: string;
    requestedBy: string;
    reason: string;
    status: StateItem['status'];
    waitingSince: string;
  }) => Promise<E.Either<StoreError, unknown>>;
  readonly queue: RedriveQueue;
  readonly progress?: Progress;
  /** What to warn of before a request is sent (blocked target, redacted credentials not sealed). */
  readonly warn?: (request: DeliveryRequest, credentialsSealed: boolean) => Promise<ReadonlyArray<string>>;
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

/** A re-driven message's STATE after the local delivery (read through the store). */
export type RedriveOutcome = {
  readonly status: StateItem['status'];
  /** SUCCESS, or FAILED with no retry left. */
  readonly final: boolean;
  /** The last attempt's category, HTTP status code and error code (null before any attempt). */
  readonly category: string | null;
  readonly statusCode: number | null;
  readonly errorCode: string | null;
  readonly attempts: number;
  readonly maxAttempts: number;
};

export type RedriveResult = {
  readonly messageId: string;
  readonly action: RedriveAction;
  readonly detail: string | null;
  readonly redriveNumber: number | null;
  readonly afterAttempt: number | null;
  readonly maxAttempts: number | null;
  /** Said before sending (and in a dry run): a target the worker blocks, credentials sent redacted. */
  readonly warnings: ReadonlyArray<string>;
  /** After a local delivery; null when nothing was delivered here (dry run, SQS, not sent). */
  readonly outcome: RedriveOutcome | null;
};

/** How the re-driven messages ended, when delivered here. */
export type OutcomeCounts = { readonly success: number; readonly failed: number; readonly notFinished: number };

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
  /** The outcomes of the messages sent, when delivered here; null otherwise. */
  readonly outcomes: OutcomeCounts | null;
};

const result = (messageId: string, action: RedriveAction, detail: string | null = null): RedriveResult => ({
  messageId,
  action,
  detail,
  redriveNumber: null,
  afterAttempt: null,
  maxAttempts: null,
  warnings: [],
  outcome: null,
});

/** Reopened by a redrive and not attempted since: only the enqueue is missing. */
const awaitingDelivery = (s: StateItem): boolean => s.status === 'PENDING' && s.redrives > 0 && s.lease === null;

const stallOf = (state: StateItem, o: RedriveOptions) =>
  o.stalled === undefined ? null : stalled(state, o.stalled.now, o.stalled.afterMs);

/** The message would be sent: reopened and waiting, stalled, or final FAILED. */
const willSend = (state: StateItem, o: RedriveOptions): boolean =>
  awaitingDelivery(state) || stallOf(state, o) !== null || (state.status === 'FAILED' && isFinal(state));

const redriveOne = async (deps: RedriveDeps, o: RedriveOptions, messageId: string): Promise<RedriveResult> => {
  const loaded = await deps.getState(messageId);
  if (E.isLeft(loaded)) return result(messageId, 'failed', loaded.left.message);
  const state = loaded.right;
  if (state === null) return result(messageId, 'not-found');
  if (o.endpoint !== undefined && !hostMatches(o.endpoint, state.endpoint))
    return result(messageId, 'skipped', `endpoint is ${state.endpoint}`);
  const request = deliveryRequestOf(state);
  if (E.isLeft(request)) return result(messageId, 'failed', describeRequestRefusal(request.left));
  // warned of before anything is sent (a dry run says the same)
  const sealed = state.sealed !== undefined;
  const warnings = willSend(state, o) && deps.warn !== undefined ? await deps.warn(request.right, sealed) : [];
  return { ...(await redriveRebuilt(deps, o, state, request.right)), warnings };
};

type Stall = { readonly status: StateItem['status']; readonly waitingSince: string };

/** Enqueued again as it is: already reopened (its REDRIVE event exists), or stalled (a REQUEUE event first). */
const requeue = async (
  deps: RedriveDeps,
  o: RedriveOptions,
  request: DeliveryRequest,
  why: string,
  stall: Stall | null = null,
): Promise<RedriveResult> => {
  if (o.dryRun) return result(request.messageId, 'would-redrive', `${why}; would enqueue again`);
  if (stall !== null && deps.appendRequeue !== undefined) {
    // on record before the push: who pushed it again and why stays known even if the enqueue fails
    const event = { messageId: request.messageId, requestedBy: o.requestedBy, reason: o.reason, ...stall };
    const recorded = await deps.appendRequeue(event);
    if (E.isLeft(recorded)) return result(request.messageId, 'failed', `requeue event: ${recorded.left.message}`);
  }
  const sent = await deps.queue.send(request);
  return E.isLeft(sent)
    ? result(request.messageId, 'failed', `enqueue: ${sent.left}`)
    : result(request.messageId, 'requeued', `${why}; enqueued again`);
};

/** The refusal checks of one re-drive, in the order an operator reads them. */
const redriveRebuilt = async (
  deps: RedriveDeps,
  o: RedriveOptions,
  state: StateItem,
  request: DeliveryRequest,
): Promise<RedriveResult> => {
  const messageId = state.messageId;
  if (awaitingDelivery(state)) return requeue(deps, o, request, 'already reopened');
  const stall = stallOf(state, o);
  if (stall !== null)
    return requeue(deps, o, request, `stalled: ${state.status}, waiting since ${stall.since}`, {
      status: state.status,
      waitingSince: stall.since,
    });
  const maxAttempts = state.attempts + o.extraAttempts;
  // core decides (the store asks the same predicate again when it writes)
  const next = nextRedrive(state, {
    requestedBy: o.requestedBy,
    reason: o.reason,
    maxAttempts,
    at: state.lastUpdatedAt,
  });
  const refusal = redriveRefusal(state, next);
  if (refusal?._tag === 'NotRedrivable') {
    const why = state.status === 'FAILED' ? 'not final: retries are still scheduled' : `status is ${state.status}`;
    return result(messageId, 'skipped', why);
  }
  if (refusal !== null) return result(messageId, 'failed', describeRedriveRefusal(refusal));
  const planned = { redriveNumber: next.redriveNumber, afterAttempt: next.afterAttempt, maxAttempts };
  if (o.dryRun) return { ...result(messageId, 'would-redrive'), ...planned };
  const stored = await deps.appendRedrive({ messageId, requestedBy: o.requestedBy, reason: o.reason, maxAttempts });
  if (E.isLeft(stored)) {
    const action: RedriveAction = stored.left._tag === 'NotRedrivable' ? 'skipped' : 'failed';
    return result(messageId, action, stored.left.message);
  }
  const sent = await deps.queue.send(request);
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
): Promise<E.Either<SelectError, { count: number; atLeast: boolean }>> => {
  let count = left;
  let next = cursor;
  for (let pages = 0; next !== null; pages++) {
    if (pages === BEYOND_LIMIT_PAGES) return E.right({ count, atLeast: true });
    const page = await deps.select(next);
    if (E.isLeft(page)) return page;
    count += page.right.items.length;
    next = page.right.cursor;
  }
  return E.right({ count, atLeast: false });
};

const outcomeOf = (s: StateItem): RedriveOutcome => ({
  status: s.status,
  final: isFinal(s),
  category: s.deliveryResult?.category ?? null,
  statusCode: s.deliveryResult?.statusCode ?? null,
  errorCode: s.deliveryResult?.errorDetails?.code ?? null,
  attempts: s.attempts,
  maxAttempts: s.maxAttempts,
});

const wasSent = (m: RedriveResult): boolean => m.action === 'redriven' || m.action === 'requeued';

/** After a local delivery: each sent message's STATE, read again (a read that fails leaves it null). */
const withOutcomes = async (deps: RedriveDeps, messages: ReadonlyArray<RedriveResult>): Promise<RedriveResult[]> => {
  const out: RedriveResult[] = [];
  for (const m of messages) {
    const s = wasSent(m) ? await deps.getState(m.messageId) : E.right(null);
    out.push(E.isRight(s) && s.right !== null ? { ...m, outcome: outcomeOf(s.right) } : m);
  }
  return out;
};

/** FAILED (final, or with a retry the local run did not wait for) counts as failed. */
const countOutcomes = (messages: ReadonlyArray<RedriveResult>): OutcomeCounts => {
  const outcomes = messages.flatMap((m) => (m.outcome === null ? [] : [m.outcome]));
  const success = outcomes.filter((x) => x.status === 'SUCCESS').length;
  const failed = outcomes.filter((x) => x.status === 'FAILED').length;
  return { success, failed, notFinished: messages.filter(wasSent).length - success - failed };
};

type Selected = Pick<RedriveReport, 'dryRun' | 'considered' | 'beyondLimit' | 'actions' | 'messages'>;

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: page through the selection, one decision per message, stop at the limit and count what is beyond it
const selectAndRedrive = async (deps: RedriveDeps, o: RedriveOptions): Promise<E.Either<SelectError, Selected>> => {
  const actions = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<RedriveAction, number>;
  const messages: RedriveResult[] = [];
  let considered = 0;
  let cursor: string | null = null;
  const done = () => o.limit !== undefined && actions.redriven + actions['would-redrive'] + actions.requeued >= o.limit;
  let beyondLimit: RedriveReport['beyondLimit'] = null;
  deps.progress?.start(null);
  try {
    do {
      const read = await deps.select(cursor);
      if (E.isLeft(read)) return read;
      const page: Page<string> = read.right;
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
      if (done() && (seen < page.items.length || cursor !== null)) {
        const beyond = await countBeyond(deps, page.items.length - seen, cursor);
        if (E.isLeft(beyond)) return beyond;
        beyondLimit = beyond.right;
      }
    } while (cursor !== null && !done());
  } finally {
    deps.progress?.stop();
  }
  return E.right({ dryRun: o.dryRun, considered, beyondLimit, actions, messages });
};

/** The flush (the local driver delivers here), then the outcomes it left when it delivered here. */
const deliver = async (deps: RedriveDeps, selected: Selected): Promise<RedriveReport> => {
  const sentAny = selected.actions.redriven + selected.actions.requeued > 0;
  const flushed = sentAny ? await deps.queue.flush() : E.right(null);
  const local = sentAny && deps.queue.deliversHere === true;
  const messages = local ? await withOutcomes(deps, selected.messages) : selected.messages;
  return {
    ...selected,
    messages,
    delivery: E.isLeft(flushed) ? `delivery: ${flushed.left}` : flushed.right,
    interrupted: deps.queue.interrupted?.() ?? false,
    outcomes: local ? countOutcomes(messages) : null,
  };
};

/** The report; a selection page that could not be read stops the run: `redrive: <error>`. */
export const redrive =
  (deps: RedriveDeps, options: RedriveOptions): TE.TaskEither<TableError, RedriveReport> =>
  async () => {
    const selected = await selectAndRedrive(deps, options);
    if (E.isLeft(selected)) return E.left(TableError(selected.left, 'redrive', selected.left.message));
    return E.right(await deliver(deps, selected.right));
  };
