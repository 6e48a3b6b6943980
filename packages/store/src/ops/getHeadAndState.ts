import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { backoffDelayMs, StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { AuditHeadItem } from '../audit/auditItems.js';
import type { Env } from '../env.js';
import { type ErrorContext, type StoreError, Throttled } from '../errors/storeError.js';
import { auditKey, auditSk, type Key, STATE_SK, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

// The projector's one read per apply: the audit head and STATE in a single strongly
// consistent BatchGetItem (1 request, the same read units as two GetItems).

export type HeadAndState = {
  /** The head segment, or null when the message has no trail yet. */
  readonly head: AuditHeadItem | null;
  /**
   * STATE, null when absent; Left when it does not decode (a corrupt projection is replay's
   * to repair: the reader decides whether it matters).
   */
  readonly state: E.Either<StoreError, StateItem | null>;
};

const UNPROCESSED_ROUNDS = 8;

const Keyed = t.type({ sk: t.string });
const KeyList = t.array(t.type({ pk: t.string, sk: t.string }));

const fetchItems = (
  env: Env,
  ctx: ErrorContext,
  keys: ReadonlyArray<Key>,
): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
  const round = (pending: ReadonlyArray<Key>, n: number, got: Record<string, unknown>[]) => {
    if (pending.length === 0) return TE.right(got);
    if (n > UNPROCESSED_ROUNDS) return TE.left(Throttled(ctx, 'BatchGet kept returning unprocessed keys'));
    return pipe(
      send(env, ctx, [], () =>
        env.doc.send(
          new BatchGetCommand({
            RequestItems: { [env.tableName]: { Keys: pending.map((k) => ({ ...k })), ConsistentRead: true } },
          }),
        ),
      ),
      TE.chain((out): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
        const items = [...got, ...(out.Responses?.[env.tableName] ?? [])];
        const again = KeyList.decode(out.UnprocessedKeys?.[env.tableName]?.Keys ?? []);
        const left = E.isRight(again) ? again.right : [];
        if (left.length === 0) return TE.right(items);
        return pipe(
          TE.fromTask(() => env.sleep(backoffDelayMs(n + 1, env.retry, env.random))),
          TE.chain(() => round(left, n + 1, items)),
        );
      }),
    );
  };
  return round(keys, 0, []);
};

const pick = (items: ReadonlyArray<Record<string, unknown>>, sk: string): Record<string, unknown> | undefined =>
  items.find((i) => {
    const k = Keyed.decode(i);
    return E.isRight(k) && k.right.sk === sk;
  });

/** Head (AUDIT#0000) and STATE of a message, read together (one request, consistent). */
export const getHeadAndState = (env: Env, messageId: string): TE.TaskEither<StoreError, HeadAndState> => {
  const ctx: ErrorContext = { op: 'getHeadAndState', messageId };
  return pipe(
    fetchItems(env, ctx, [auditKey(messageId, 0), stateKey(messageId)]),
    TE.chainEitherK((items): E.Either<StoreError, HeadAndState> => {
      const rawHead = pick(items, auditSk(0));
      const rawState = pick(items, STATE_SK);
      const head =
        rawHead === undefined ? E.right(null) : decodeItem(AuditHeadItem, rawHead, { ...ctx, item: auditSk(0) });
      const state =
        rawState === undefined ? E.right(null) : decodeItem(StateItem, rawState, { ...ctx, item: STATE_SK });
      return E.map((h: AuditHeadItem | null) => ({ head: h, state }))(head);
    }),
  );
};
