import { StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { AuditHeadItem } from '../audit/auditItems.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { auditKey, auditSk, STATE_SK, stateKey } from '../keys.js';
import { batchGet } from '../support/batchGet.js';
import { decodeItem } from '../support/decode.js';

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

const Keyed = t.type({ sk: t.string });

const pick = (items: ReadonlyArray<Record<string, unknown>>, sk: string): Record<string, unknown> | undefined =>
  items.find((i) => {
    const k = Keyed.decode(i);
    return E.isRight(k) && k.right.sk === sk;
  });

/** Head (AUDIT#0000) and STATE of a message, read together (one request, consistent). */
export const getHeadAndState = (env: Env, messageId: string): TE.TaskEither<StoreError, HeadAndState> => {
  const ctx: ErrorContext = { op: 'getHeadAndState', messageId };
  return pipe(
    batchGet(env, ctx, [auditKey(messageId, 0), stateKey(messageId)], true),
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
