import { AttemptItem, RedriveItem, StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { type ErrorContext, NotFound, type StoreError } from '../errors/storeError.js';
import { ATTEMPT_PREFIX, AUDIT_PREFIX, messagePk, REDRIVE_PREFIX, STATE_SK } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { queryAll } from './listAttempts.js';

/** An audit segment as stored (the projector owns its codec): its sort key, number and attributes. */
export type AuditItem = { readonly sk: string; readonly segment: number } & Readonly<Record<string, unknown>>;

export type History = {
  readonly state: StateItem;
  /** By attemptNumber. */
  readonly attempts: AttemptItem[];
  /** By redriveNumber. */
  readonly redrives: RedriveItem[];
  /** By segment. */
  readonly audit: AuditItem[];
};

const classify = (
  items: ReadonlyArray<Record<string, unknown>>,
  ctx: ErrorContext,
): E.Either<StoreError, History | undefined> => {
  let state: StateItem | undefined;
  const attempts: AttemptItem[] = [];
  const redrives: RedriveItem[] = [];
  const audit: AuditItem[] = [];
  for (const item of items) {
    const sk = String(item.sk);
    const at = { ...ctx, item: sk };
    if (sk === STATE_SK) {
      const d = decodeItem(StateItem, item, at);
      if (E.isLeft(d)) return d;
      state = d.right;
    } else if (sk.startsWith(ATTEMPT_PREFIX)) {
      const d = decodeItem(AttemptItem, item, at);
      if (E.isLeft(d)) return d;
      attempts.push(d.right);
    } else if (sk.startsWith(REDRIVE_PREFIX)) {
      const d = decodeItem(RedriveItem, item, at);
      if (E.isLeft(d)) return d;
      redrives.push(d.right);
    } else if (sk.startsWith(AUDIT_PREFIX)) {
      audit.push({ ...item, sk, segment: Number(sk.slice(AUDIT_PREFIX.length)) });
    }
  }
  return E.right(state === undefined ? undefined : { state, attempts, redrives, audit });
};

/** A message's whole history: one (paginated, consistent) Query on its partition. */
export const getHistory = (env: Env, messageId: string): TE.TaskEither<StoreError, History> => {
  const ctx: ErrorContext = { op: 'getHistory', messageId };
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(messageId) },
      ConsistentRead: true,
    }),
    TE.chainEitherK((items) => classify(items, ctx)),
    TE.chain((h) => (h === undefined ? TE.left(NotFound(ctx)) : TE.right(h))),
  );
};
