import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AttemptItem, ResolutionItem, type Truncations, size, redaction } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, type StoreError, TooLarge } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { resolutionKey, resolutionSk } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { type AttemptDraft, outcomeOf } from './attemptItem.js';

// ---------------------------------------------------------------------------
// The real outcome of an attempt already recorded as `lost` (its writer overran its lease,
// or its append waited out a DynamoDB outage in SQS). Kept as RESOLVED#n next to the lost
// ATTEMPT#n: one per lost attempt, written once, never a second count (fold ignores it).
// ---------------------------------------------------------------------------

export type Resolved = { readonly resolution: ResolutionItem; readonly duplicate: boolean };

const KEY_RESERVE_BYTES = 512;

const buildResolution = (
  env: Env,
  draft: AttemptDraft,
  lost: AttemptItem,
  ctx: ErrorContext,
): E.Either<StoreError, ResolutionItem> => {
  const outcome = outcomeOf(env, draft, { attemptNumber: lost.attemptNumber, maxAttempts: lost.attemptNumber });
  const raw: ResolutionItem = {
    type: 'RESOLUTION',
    messageId: lost.messageId,
    attemptNumber: lost.attemptNumber,
    attemptId: draft.attemptId,
    leaseId: draft.leaseId,
    startedAt: draft.startedAt.toISOString(),
    completedAt: draft.completedAt.toISOString(),
    response: draft.responseHeaders === null ? null : { headers: redaction.redactHeaders(draft.responseHeaders) },
    deliveryResult: outcome.deliveryResult,
    recordedAt: env.clock().toISOString(),
    truncated: {},
  };
  return pipe(
    size.fitToBudget<ResolutionItem & { truncated: Truncations }>(raw, env.budgets.itemBytes - KEY_RESERVE_BYTES),
    E.mapLeft((e) => TooLarge({ ...ctx, item: resolutionSk(lost.attemptNumber), cause: e }, e.message)),
  );
};

/** Puts RESOLVED#n for `lost`; the same exchange again is an idempotent success. */
export const resolveLost = (
  env: Env,
  draft: AttemptDraft,
  lost: AttemptItem,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, Resolved> => {
  const sk = resolutionSk(lost.attemptNumber);
  const rctx = { ...ctx, attemptNumber: lost.attemptNumber, item: sk };
  return pipe(
    TE.fromEither(buildResolution(env, draft, lost, rctx)),
    TE.chain((resolution) =>
      pipe(
        send(env, rctx, [sk], () =>
          env.doc.send(
            new PutCommand({
              TableName: env.tableName,
              Item: { ...resolutionKey(lost.messageId, lost.attemptNumber), ...resolution },
              // one resolution per lost attempt: a repeat of this exchange finds its own item
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        ),
        TE.map((): Resolved => ({ resolution, duplicate: false })),
        TE.orElse((e) => {
          if (!isConditionFailure(e)) return TE.left(e);
          const existing = e.reasons[0]?.item;
          if (existing?.attemptId !== draft.attemptId)
            return TE.left(
              Conflict(rctx, `lost attempt ${lost.attemptNumber} is already resolved by another exchange`),
            );
          return TE.fromEither(
            pipe(
              decodeItem(ResolutionItem, existing, rctx),
              E.map((r): Resolved => ({ resolution: r, duplicate: true })),
            ),
          );
        }),
      ),
    ),
  );
};
