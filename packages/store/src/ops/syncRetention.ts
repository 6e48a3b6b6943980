import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { STATE_SK } from '../keys.js';
import { type RawItem, ttlOf } from '../query/partition.js';
import { send } from '../support/send.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { readPartition } from './readPartition.js';

// Retention for the items the final transaction cannot reach (earlier attempts, re-drives,
// audit segments, expunge events): every item of the partition is given STATE's TTL, or has
// its TTL removed when STATE has none (after a re-drive). Readers never depend on this (the
// partition expires with its STATE); it is what lets DynamoDB delete the rest, and what
// keeps it from deleting an item of a re-opened message. Idempotent and convergent: after
// a pass it reads the partition again and repeats while STATE's TTL moved under it (a
// re-drive racing a final append's sync: whichever pass ends last follows STATE).

/** Passes before giving up (each one follows a STATE that moved during the previous one). */
const MAX_PASSES = 3;

const syncItem = (env: Env, item: RawItem, target: number | null, ctx: ErrorContext) =>
  pipe(
    send(env, { ...ctx, item: String(item.sk) }, [String(item.sk)], () =>
      env.doc.send(
        new UpdateCommand({
          TableName: env.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: target === null ? 'REMOVE #ttl' : 'SET #ttl = :ttl',
          // an Update would create an item TTL deletion removed meanwhile
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ...(target === null ? {} : { ExpressionAttributeValues: { ':ttl': target } }),
        }),
      ),
    ),
    TE.map(() => 1),
    TE.orElse((e) => (isConditionFailure(e) ? TE.right(0) : TE.left(e))),
  );

/** Items whose TTL differs from STATE's, and STATE's (undefined: no STATE, nothing to follow). */
const staleOf = (items: readonly RawItem[]): { target: number | null; stale: RawItem[] } | undefined => {
  const state = items.find((i) => i.sk === STATE_SK);
  if (state === undefined) return undefined;
  const target = ttlOf(state);
  return { target, stale: items.filter((i) => i.sk !== STATE_SK && ttlOf(i) !== target) };
};

const pass = (
  env: Env,
  messageId: string,
  left: number,
  done: number,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, number> =>
  pipe(
    readPartition(env, messageId, ctx.op),
    TE.chain((items) => {
      const plan = staleOf(items);
      if (plan === undefined || plan.stale.length === 0 || left === 0) return TE.right(done);
      return pipe(
        TE.sequenceSeqArray(plan.stale.map((i) => syncItem(env, i, plan.target, ctx))),
        TE.chain((n) => pass(env, messageId, left - 1, done + n.reduce((a, b) => a + b, 0), ctx)),
      );
    }),
  );

/** Gives every item of a message STATE's TTL (or none); answers how many items it changed. */
export const syncRetention = (env: Env, messageId: string): TE.TaskEither<StoreError, number> =>
  pass(env, messageId, MAX_PASSES, 0, { op: 'syncRetention', messageId });

/**
 * The sync after a write that moved STATE's TTL (a final append, a re-drive). That write
 * has committed, so a failure here is logged, not returned: the partition still expires
 * with its STATE, and `dh verify` reports items whose TTL disagrees (check `retention`).
 */
export const syncRetentionAfter =
  <A>(env: Env, messageId: string, wanted: (a: A) => boolean): ((a: A) => TE.TaskEither<StoreError, A>) =>
  (a) =>
    wanted(a)
      ? pipe(
          syncRetention(env, messageId),
          TE.map(() => a),
          TE.orElse((e) => {
            env.logger.warn('retention: item TTLs not synced with STATE', { messageId, error: e.message });
            return TE.right(a);
          }),
        )
      : TE.right(a);
