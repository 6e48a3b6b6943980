import {
  type AttemptItem,
  type AttemptRequest,
  type AttemptObservation,
  buildAttemptItem,
  type DeliveryResult,
  determineDeliveryOutcome,
  type Outcome,
  size,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { type ErrorContext, type StoreError, TooLarge } from '../errors/storeError.js';
import { attemptSk } from '../keys.js';

export type AttemptDraft = {
  readonly messageId: string;
  readonly correlationId: string;
  /** Built once per claim, from the claimed STATE's (already redacted) request. */
  readonly request: AttemptRequest;
  readonly attemptId: string;
  readonly leaseId: string;
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly responseHeaders: Readonly<Record<string, string>> | null;
  /** What the writer saw (or `lost`); the store classifies it, below. */
  readonly observation: AttemptObservation;
  /** Kept on the attempt when it is a success (core's buildAttemptItem decides). */
  readonly successSnippet?: string;
};

/**
 * The outcome for the number actually written (numbers move when a superseded attempt took
 * one): core's `determineDeliveryOutcome` with the store's retry policy, asked again for that
 * number, so its exhaustion rule is the only one.
 */
export const outcomeOf = (
  env: Env,
  draft: AttemptDraft,
  at: { readonly attemptNumber: number; readonly maxAttempts: number },
): Outcome =>
  determineDeliveryOutcome(draft.observation, {
    now: draft.completedAt,
    correlationId: draft.correlationId,
    attemptNumber: at.attemptNumber,
    maxAttempts: at.maxAttempts,
    policy: env.retryPolicy,
    random: env.random,
  });

const RESULT_FIELDS = size.TRUNCATABLE_FIELDS.filter((f) => f.path.startsWith('deliveryResult.'));
/** Room for the keys (pk, sk) on top of the item body. */
const KEY_RESERVE_BYTES = 512;

/**
 * Builds ATTEMPT#n (redacted by core) and fits it: first its deliveryResult under the
 * result budget (the same result is copied onto STATE), then the whole item.
 */
export const buildAttempt = (
  env: Env,
  draft: AttemptDraft,
  n: number,
  maxAttempts: number,
  superseded: boolean,
  ctx: ErrorContext,
): E.Either<StoreError, AttemptItem> => {
  const raw = buildAttemptItem({
    messageId: draft.messageId,
    request: draft.request,
    attemptNumber: n,
    attemptId: draft.attemptId,
    leaseId: draft.leaseId,
    startedAt: draft.startedAt,
    completedAt: draft.completedAt,
    outcome: outcomeOf(env, draft, { attemptNumber: n, maxAttempts }),
    responseHeaders: draft.responseHeaders,
    superseded,
    ...(draft.successSnippet === undefined ? {} : { successSnippet: draft.successSnippet }),
  });
  const tooLarge = (e: { message: string }) =>
    TooLarge({ ...ctx, attemptNumber: n, item: attemptSk(n), cause: e }, `${attemptSk(n)}: ${e.message}`);
  return pipe(
    size.fitToBudget<{ deliveryResult: DeliveryResult; truncated: Record<string, number> }>(
      { deliveryResult: raw.deliveryResult, truncated: {} },
      env.budgets.resultBytes,
      RESULT_FIELDS,
    ),
    E.mapLeft(tooLarge),
    E.chain((r) =>
      pipe(
        size.fitToBudget(
          { ...raw, deliveryResult: r.deliveryResult, truncated: r.truncated },
          env.budgets.itemBytes - KEY_RESERVE_BYTES,
        ),
        E.mapLeft(tooLarge),
      ),
    ),
  );
};
