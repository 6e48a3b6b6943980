import {
  describeTransitionError,
  type HoldItem,
  type HoldKind,
  isFinal,
  type StateItem,
  transition,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { AlreadyFinal, Conflict, type ErrorContext, Leased, NotDue, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { HOLD_PREFIX, heldKey, holdKey, holdSk, STATE_SK } from '../keys.js';
import { retryNotDue } from './claim.js';
import { getState } from './getState.js';
import { expiryAttribute, stateUpdate } from './stateUpdate.js';
import { putOnce, writeEvent } from './writeEvent.js';
import { syncRetentionAfter } from './syncRetention.js';

export type AppendHoldInput = {
  readonly messageId: string;
  readonly kind: HoldKind;
  /** The breaker mode behind it (open, half_open, paused, disabled), or `retention`. */
  readonly mode: string;
  readonly reason: string;
  /** `breaker`, or the operator (audited). */
  readonly by: string;
  readonly at?: Date;
  /**
   * The STATE the caller has just read or written (the gate's create, the drain's check):
   * saves the read. Safe when stale: the write is conditioned on its status and attempts
   * (a moved message is a Conflict, as for a read that raced).
   */
  readonly before?: StateItem;
};

/** `hold` null: it was already HELD (a duplicate SQS copy, another worker): nothing written. */
export type Held = { readonly hold: HoldItem | null; readonly state: StateItem };

/** Why core refused: the status another writer left, as the store's typed error. */
const refusal = (state: StateItem, message: string, ctx: ErrorContext): StoreError => {
  const full = { ...ctx, correlationId: state.correlationId, item: STATE_SK };
  if (isFinal(state))
    return AlreadyFinal({
      ...full,
      status: state.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
      attempts: state.attempts,
    });
  if (state.status === 'PROCESSING' && state.lease !== null)
    return Leased({ ...full, expiresAt: state.lease.expiresAt });
  return Conflict(full, message);
};

const holdOf = (before: StateItem, input: AppendHoldInput, at: string): HoldItem => ({
  type: 'HOLD',
  messageId: input.messageId,
  holdNumber: (before.holds ?? 0) + 1,
  kind: input.kind,
  afterAttempt: before.attempts,
  afterRedrive: before.redrives,
  mode: input.mode,
  reason: input.reason,
  by: input.by,
  at,
});

/** The held-registry action of a hold event: listed while held, unlisted when released or expired. */
const registry = (env: Env, before: StateItem, hold: HoldItem) => {
  const Key = heldKey(before.endpoint, before.createdAt, before.messageId);
  return hold.kind === 'held'
    ? {
        Put: {
          TableName: env.tableName,
          Item: {
            ...Key,
            type: 'HELD',
            messageId: before.messageId,
            endpoint: before.endpoint,
            createdAt: before.createdAt,
            heldAt: hold.at,
            mode: hold.mode,
            reason: hold.reason,
          },
        },
      }
    : { Delete: { TableName: env.tableName, Key } };
};

const write = (env: Env, before: StateItem, hold: HoldItem, after: StateItem, ctx: ErrorContext, writer: string) =>
  writeEvent(
    env,
    ctx,
    [holdSk(hold.holdNumber), STATE_SK, 'HELD'],
    [
      // hold event k is written once: a hold and a release (or two drains) racing cannot both win
      putOnce(env, { ...holdKey(hold.messageId, hold.holdNumber), ...hold, ...expiryAttribute(env, after) }),
      // STATE from transition(before, hold), conditioned on the status and attempts we read
      stateUpdate(env, before, after, { kind: 'hold' }),
      registry(env, before, hold),
    ],
    // per writer: a retry of this call is a no-op, another writer's identical hold is not
    [hold.messageId, HOLD_PREFIX, hold.holdNumber, writer],
  );

/**
 * Appends hold event `holds + 1` (held, released or expired) and moves STATE by core's
 * transition, in one transaction (a hold of a retry not due yet is NotDue, like its claim): Put HOLD#k + Update STATE. Reads STATE first (a held
 * message is off the happy path); the conditions make the read-then-write safe.
 */
export const appendHold = (env: Env, input: AppendHoldInput): TE.TaskEither<StoreError, Held> => {
  const ctx: ErrorContext = { op: 'appendHold', messageId: input.messageId };
  const at = (input.at ?? env.clock()).toISOString();
  const writer = env.newId();
  return pipe(
    input.before === undefined ? getState(env, input.messageId, ctx.op) : TE.right(input.before),
    TE.chain((before) => {
      if (input.kind === 'held' && before.status === 'HELD')
        return TE.right<StoreError, Held>({ hold: null, state: before });
      // a record back before its retry is due (a second receive of a slow first one) is answered
      // as the claim answers it, not held: released early, it would only wait for its retry
      // time again, holding up the drain and its creation order
      if (input.kind === 'held' && retryNotDue(before, at) && before.nextAttemptAt !== null)
        return TE.left<StoreError, Held>(
          NotDue({ ...ctx, correlationId: before.correlationId, item: STATE_SK, nextAttemptAt: before.nextAttemptAt }),
        );
      const hold = holdOf(before, input, at);
      return pipe(
        TE.fromEither(
          pipe(
            transition(before, hold),
            E.mapLeft((e) => refusal(before, `hold refused: ${describeTransitionError(e)}`, ctx)),
          ),
        ),
        TE.chain((after) =>
          pipe(
            write(env, before, hold, after, ctx, writer),
            TE.map((): Held => ({ hold, state: after })),
            TE.mapLeft((e) =>
              isConditionFailure(e)
                ? Conflict(
                    { ...ctx, ...(e.item ? { item: e.item } : {}) },
                    `message changed during the hold: ${e.message}`,
                  )
                : e,
            ),
          ),
        ),
        TE.chain(syncRetentionAfter(env, input.messageId, (h) => isFinal(h.state) && env.retentionDays !== null)),
      );
    }),
  );
};
