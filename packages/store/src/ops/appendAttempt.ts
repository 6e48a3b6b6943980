import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  AttemptItem,
  type AttemptRequest,
  type ResolutionItem,
  attemptRequestOfState,
  describeTransitionError,
  isFinal,
  type OutcomeInput,
  StateItem,
  transition,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { AlreadyFinal, Conflict, type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { type ConditionFailure, isConditionFailure } from '../errors/toStoreError.js';
import { attemptKey, attemptSk, STATE_SK } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { type AttemptDraft, buildAttempt } from './attemptItem.js';
import type { Claimed } from './claim.js';
import { expiryAttribute, type Guard, stateUpdate } from './stateUpdate.js';
import { getState } from './getState.js';
import { attemptsOfLease } from './listAttempts.js';
import { resolveLost } from './resolveLost.js';
import { putOnce, writeEvent } from './writeEvent.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type AppendAttemptInput = {
  /** The claim this attempt belongs to: its STATE is `before` for the transition. */
  readonly claimed: Claimed;
  /** Unique id of this write; default newId(). */
  readonly attemptId?: string;
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly responseHeaders: Readonly<Record<string, string>> | null;
  /** What the receiver answered (or the transport error): the store asks core for the outcome. */
  readonly observation: OutcomeInput;
  /** Every header as sent, already redacted by the caller's policy (the request as sent). */
  readonly sentHeaders?: Readonly<Record<string, string>>;
  /** Keep a success's (scrubbed) body snippet on the attempt (the worker's DELIVERY_SUCCESS_SNIPPET). */
  readonly keepSuccessSnippet?: boolean;
};

export type AppendResult = {
  readonly attempt: AttemptItem;
  readonly attemptNumber: number;
  readonly status: 'SUCCESS' | 'FAILED';
  /** False for a superseded attempt: the writer must not schedule anything. */
  readonly retryEligible: boolean;
  readonly nextAttemptAt: string | null;
  /** The message is final after this attempt (never for a superseded one). */
  readonly final: boolean;
  readonly superseded: boolean;
  readonly duplicate: boolean;
  /**
   * Set when this lease's attempt had already been recorded as `lost` by a takeover: the
   * outcome is kept as its resolution (RESOLVED#n) and `attempt` is that lost attempt.
   * Nothing is counted twice; like a superseded writer, the caller schedules nothing.
   */
  readonly resolution: ResolutionItem | null;
};

type Mode = 'live' | 'superseded';

/** Placement rounds (each a lost race for a number) before giving up with Conflict. */
const MAX_ROUNDS = 64;

// ---------------------------------------------------------------------------
// transaction builders
// ---------------------------------------------------------------------------

// retention: the attempt that makes the message final (or follows it) carries its TTL; the
// stored item comes back on a lost condition (is it our own earlier write?)
const putAttempt = (env: Env, attempt: AttemptItem, after: StateItem) =>
  putOnce(
    env,
    { ...attemptKey(attempt.messageId, attempt.attemptNumber), ...attempt, ...expiryAttribute(env, after) },
    true,
  );

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const resultOf = (attempt: AttemptItem, duplicate: boolean): AppendResult => ({
  attempt,
  attemptNumber: attempt.attemptNumber,
  status: attempt.status,
  retryEligible: !attempt.superseded && attempt.deliveryResult.retryEligible,
  nextAttemptAt: attempt.superseded ? null : attempt.nextAttemptAt,
  final:
    !attempt.superseded && isFinal({ status: attempt.status, retryEligible: attempt.deliveryResult.retryEligible }),
  superseded: attempt.superseded,
  duplicate,
  resolution: null,
});

const resolvedOf = (lost: AttemptItem, resolution: ResolutionItem, duplicate: boolean): AppendResult => ({
  attempt: lost,
  attemptNumber: lost.attemptNumber,
  status: lost.status,
  retryEligible: false,
  nextAttemptAt: null,
  final: false,
  superseded: false,
  duplicate,
  resolution,
});

type Next =
  | { readonly kind: 'done'; readonly result: AppendResult }
  | { readonly kind: 'place'; readonly mode: Mode; readonly state: StateItem };

/** One placement try: the STATE it starts from (claimed, or returned by a lost condition). */
type Round = { readonly mode: Mode; readonly before: StateItem };

/** ATTEMPT#n (n = before.attempts + 1) and `after = transition(before, attempt)`, from core. */
const planRound = (
  env: Env,
  draft: AttemptDraft,
  round: Round,
  ctx: ErrorContext,
): E.Either<StoreError, { readonly attempt: AttemptItem; readonly after: StateItem }> => {
  const { before } = round;
  const n = before.attempts + 1;
  return pipe(
    buildAttempt(env, draft, n, before.maxAttempts, round.mode === 'superseded', ctx),
    E.chain(
      (attempt): E.Either<StoreError, { readonly attempt: AttemptItem; readonly after: StateItem }> =>
        pipe(
          transition(before, attempt),
          E.bimap(
            (e) => Invalid({ ...ctx, attemptNumber: n, item: attemptSk(n) }, describeTransitionError(e)),
            (after) => ({ attempt, after }),
          ),
        ),
    ),
  );
};

const placeOnce = (
  env: Env,
  draft: AttemptDraft,
  round: Round,
  ctx: ErrorContext,
): TE.TaskEither<StoreError | ConditionFailure, AppendResult> => {
  const n = round.before.attempts + 1;
  const rctx = { ...ctx, attemptNumber: n };
  const guard: Guard = round.mode === 'live' ? { kind: 'live', leaseId: draft.leaseId } : { kind: 'superseded' };
  return pipe(
    TE.fromEither(planRound(env, draft, round, rctx)),
    TE.chain(({ attempt, after }) =>
      pipe(
        writeEvent(
          env,
          rctx,
          [attemptSk(n), STATE_SK],
          [putAttempt(env, attempt, after), stateUpdate(env, round.before, after, guard)],
          [attempt.messageId, n, draft.attemptId, round.mode],
        ),
        TE.map(() => resultOf(attempt, false)),
      ),
    ),
  );
};

/**
 * Live writer whose lease is gone: this very attempt already stored (duplicate); the lease's
 * attempt recorded as `lost` by a takeover (keep this outcome as its resolution); no attempt
 * under the lease (supersede: count the request really sent); else refuse a second attempt.
 */
const afterLeaseLost = (
  env: Env,
  draft: AttemptDraft,
  state: StateItem,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Next> =>
  pipe(
    attemptsOfLease(env, state.messageId, draft.leaseId, ctx.op),
    TE.chain((attempts): TE.TaskEither<StoreError, Next> => {
      const own = attempts.find((a) => a.attemptId === draft.attemptId);
      if (own !== undefined) return TE.right({ kind: 'done', result: resultOf(own, true) });
      const lost = attempts.find((a) => a.deliveryResult.category === 'lost');
      if (lost !== undefined)
        return pipe(
          resolveLost(env, draft, lost, ctx),
          TE.map((r): Next => ({ kind: 'done', result: resolvedOf(lost, r.resolution, r.duplicate) })),
        );
      const used = attempts.map((a) => a.attemptNumber);
      if (used.length === 0) return TE.right({ kind: 'place', mode: 'superseded', state });
      const full = { ...ctx, item: STATE_SK };
      if (isFinal(state)) {
        return TE.left(
          AlreadyFinal({
            ...full,
            status: state.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
            attempts: state.attempts,
          }),
        );
      }
      return TE.left(Conflict(full, `lease ${draft.leaseId} already recorded attempt ${used.join(',')}; claim again`));
    }),
  );

/** After a lost condition: is it our own earlier write, a moved number, or a lost lease? */
const interpret = (
  env: Env,
  draft: AttemptDraft,
  mode: Mode,
  failure: ConditionFailure,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Next> => {
  const [put, update] = failure.reasons;
  const existing = put?.code === 'ConditionalCheckFailed' ? put.item : undefined;
  if (existing !== undefined && existing.attemptId === draft.attemptId) {
    // this very attempt is already stored (an earlier try committed): idempotent success
    return TE.fromEither(
      pipe(
        decodeItem(AttemptItem, existing, { ...ctx, item: put?.label ?? STATE_SK }),
        E.map((a): Next => ({ kind: 'done', result: resultOf(a, true) })),
      ),
    );
  }
  const observed = update?.code === 'ConditionalCheckFailed' ? update.item : undefined;
  return pipe(
    observed === undefined
      ? getState(env, ctx.messageId ?? '', ctx.op)
      : TE.fromEither(decodeItem(StateItem, observed, { ...ctx, item: STATE_SK })),
    TE.chain((state): TE.TaskEither<StoreError, Next> => {
      if (mode === 'superseded') return TE.right({ kind: 'place', mode, state });
      // still ours: a superseded attempt took our number; take the next one
      if (state.status === 'PROCESSING' && state.lease?.leaseId === draft.leaseId) {
        return TE.right({ kind: 'place', mode: 'live', state });
      }
      return afterLeaseLost(env, draft, state, ctx);
    }),
  );
};

/**
 * The token of (messageId, n, attemptId) was used with other content: the caller repeated
 * this attempt with a rebuilt outcome. If the stored ATTEMPT#n is ours, it is a duplicate.
 */
const afterTokenMismatch = (
  env: Env,
  draft: AttemptDraft,
  n: number,
  e: StoreError,
): TE.TaskEither<StoreError, AppendResult> =>
  pipe(
    send(env, e, [attemptSk(n)], () =>
      env.doc.send(
        new GetCommand({ TableName: env.tableName, Key: attemptKey(e.messageId ?? '', n), ConsistentRead: true }),
      ),
    ),
    TE.chain((out) =>
      out.Item?.attemptId === draft.attemptId
        ? TE.fromEither(
            pipe(
              decodeItem(AttemptItem, out.Item, { ...e, item: attemptSk(n) }),
              E.map((a) => resultOf(a, true)),
            ),
          )
        : TE.left(e),
    ),
  );

const place = (
  env: Env,
  draft: AttemptDraft,
  round: Round,
  left: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, AppendResult> =>
  pipe(
    placeOnce(env, draft, round, ctx),
    TE.orElse((e) => {
      const n = round.before.attempts + 1;
      if (e.awsCode === 'IdempotentParameterMismatchException') return afterTokenMismatch(env, draft, n, e);
      if (!isConditionFailure(e)) return TE.left(e);
      if (left <= 0) {
        return TE.left(
          Conflict(
            { ...ctx, attemptNumber: n },
            `could not place the attempt after ${MAX_ROUNDS} rounds: ${e.message}`,
          ),
        );
      }
      return pipe(
        interpret(env, draft, round.mode, e, ctx),
        TE.chain((next) =>
          next.kind === 'done'
            ? TE.right(next.result)
            : place(env, draft, { mode: next.mode, before: next.state }, left - 1, ctx),
        ),
      );
    }),
  );

/** The attempt's request block: STATE's (redacted at create), with the headers as sent when known. */
const requestAsSent = (
  request: StateItem['request'],
  sentHeaders: Readonly<Record<string, string>> | undefined,
): AttemptRequest => ({
  ...attemptRequestOfState(request),
  ...(sentHeaders === undefined ? {} : { sentHeaders: { ...sentHeaders } }),
});

/**
 * Protocol 3 and 4. Happy path: ONE TransactWriteItems (Put ATTEMPT#n + conditional Update
 * of STATE), no read. On a lost condition, ALL_OLD tells what happened: our own earlier
 * write (Duplicate -> success), a superseded attempt took our number (retry at the next),
 * or our lease was taken over (record the request we really sent as superseded).
 */
/** The snippet a success keeps, when asked to (a failure's travels in its errorDetails). */
const successSnippetOf = (input: {
  readonly keepSuccessSnippet?: boolean;
  readonly observation: OutcomeInput;
}): { successSnippet?: string } =>
  input.keepSuccessSnippet === true && input.observation.kind === 'response'
    ? { successSnippet: input.observation.bodySnippet }
    : {};

export const appendAttempt = (env: Env, input: AppendAttemptInput): TE.TaskEither<StoreError, AppendResult> => {
  const { state, ticket } = input.claimed;
  const ctx: ErrorContext = {
    op: 'appendAttempt',
    messageId: ticket.messageId,
    attemptNumber: ticket.attemptNumber,
    correlationId: ticket.correlationId,
  };
  const draft: AttemptDraft = {
    messageId: ticket.messageId,
    correlationId: ticket.correlationId,
    request: requestAsSent(state.request, input.sentHeaders),
    attemptId: input.attemptId ?? env.newId(),
    leaseId: ticket.leaseId,
    startedAt: input.startedAt,
    completedAt: input.completedAt,
    responseHeaders: input.responseHeaders,
    observation: input.observation,
    ...successSnippetOf(input),
  };
  const first: Round = { mode: 'live', before: state };
  return pipe(
    place(env, draft, first, MAX_ROUNDS, ctx),
    TE.map((r) => {
      if (r.resolution !== null)
        env.logger.warn('lease lost: attempt had been recorded as lost; outcome kept as its resolution', {
          ...ctx,
          attempt: r.attemptNumber,
          duplicate: r.duplicate,
        });
      else if (r.duplicate)
        env.logger.info('attempt already stored (idempotent)', { ...ctx, attempt: r.attemptNumber });
      else if (r.superseded)
        env.logger.warn('lease lost: attempt recorded as superseded', { ...ctx, attempt: r.attemptNumber });
      return r;
    }),
  );
};

// ---------------------------------------------------------------------------
// the observed outcome, back from SQS after a DynamoDB outage (docs/model.md, protocol 7)
// ---------------------------------------------------------------------------

export type AppendObservedInput = {
  readonly messageId: string;
  /** The lease the exchange was made under and the attempt number it was made as. */
  readonly leaseId: string;
  readonly attemptNumber: number;
  /** The exchange's id, fixed when it was first tried: every repeat is idempotent by it. */
  readonly attemptId: string;
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly responseHeaders: Readonly<Record<string, string>> | null;
  readonly observation: OutcomeInput;
  /** Every header as sent, already redacted (as in AppendAttemptInput). */
  readonly sentHeaders?: Readonly<Record<string, string>>;
};

/**
 * Records an exchange made under `leaseId` that could not be appended at the time. Reads
 * STATE (the claim it belongs to is long gone from memory): still our lease -> the live
 * append; otherwise the lease-lost rules (already stored -> duplicate; recorded as `lost`
 * by a takeover -> its resolution; neither -> superseded).
 */
export const appendObserved = (env: Env, input: AppendObservedInput): TE.TaskEither<StoreError, AppendResult> => {
  const ctx: ErrorContext = { op: 'appendObserved', messageId: input.messageId, attemptNumber: input.attemptNumber };
  return pipe(
    getState(env, input.messageId, ctx.op),
    TE.chain((state) => {
      const draft: AttemptDraft = {
        messageId: input.messageId,
        correlationId: state.correlationId,
        request: requestAsSent(state.request, input.sentHeaders),
        attemptId: input.attemptId,
        leaseId: input.leaseId,
        startedAt: input.startedAt,
        completedAt: input.completedAt,
        responseHeaders: input.responseHeaders,
        observation: input.observation,
      };
      const ours = state.status === 'PROCESSING' && state.lease?.leaseId === input.leaseId;
      if (ours)
        return place(env, draft, { mode: 'live', before: state }, MAX_ROUNDS, {
          ...ctx,
          correlationId: state.correlationId,
        });
      return pipe(
        afterLeaseLost(env, draft, state, ctx),
        TE.chain((next) =>
          next.kind === 'done'
            ? TE.right(next.result)
            : place(env, draft, { mode: next.mode, before: next.state }, MAX_ROUNDS, ctx),
        ),
      );
    }),
    TE.map((r) => {
      env.logger.info('observed outcome recorded from SQS', {
        ...ctx,
        attempt: r.attemptNumber,
        duplicate: r.duplicate,
        resolution: r.resolution !== null,
        superseded: r.superseded,
      });
      return r;
    }),
  );
};
