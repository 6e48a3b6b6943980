import {
  describeRedriveRefusal,
  nextRedrive,
  type RedriveItem,
  type RedriveRefusal,
  redriveRefusal,
  type StateItem,
  transition,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, Invalid, NotRedrivable, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { REDRIVE_PREFIX, redriveKey, redriveSk, STATE_SK } from '../keys.js';
import { getState } from './getState.js';
import { stateUpdate } from './stateUpdate.js';
import { syncRetentionAfter } from './syncRetention.js';
import { putOnce, writeEvent } from './writeEvent.js';

export type AppendRedriveInput = {
  readonly messageId: string;
  readonly requestedBy: string;
  readonly reason: string;
  /** The new attempt limit; must be greater than the attempts made so far. */
  readonly maxAttempts: number;
  readonly at?: Date;
};

export type Redriven = { readonly redrive: RedriveItem; readonly state: StateItem };

/** Core's refusal as a store error: NotRedrivable keeps its tag (the CLI skips those). */
const refused = (state: StateItem, r: RedriveRefusal, ctx: ErrorContext): StoreError => {
  const full = { ...ctx, correlationId: state.correlationId, item: STATE_SK, cause: r };
  return r._tag === 'NotRedrivable'
    ? NotRedrivable({ ...full, status: state.status, retryEligible: state.retryEligible })
    : Invalid(full, describeRedriveRefusal(r));
};

/** `after = transition(before, redrive)`, once core's predicate allows the re-drive. */
const plan = (before: StateItem, redrive: RedriveItem, ctx: ErrorContext): E.Either<StoreError, StateItem> => {
  const refusal = redriveRefusal(before, redrive);
  if (refusal !== null) return E.left(refused(before, refusal, ctx));
  return pipe(
    transition(before, redrive),
    E.mapLeft((e) => refused(before, e, ctx)),
  );
};

// redrive k is written once: two operators redriving at once cannot both win
const write = (env: Env, before: StateItem, redrive: RedriveItem, after: StateItem, ctx: ErrorContext) =>
  writeEvent(
    env,
    ctx,
    [redriveSk(redrive.redriveNumber), STATE_SK],
    [
      putOnce(env, { ...redriveKey(redrive.messageId, redrive.redriveNumber), ...redrive }),
      // the same builder as an attempt's: every field comes from transition(before, redrive)
      stateUpdate(env, before, after, { kind: 'redrive', redrives: before.redrives, expunged: before.expunged }),
    ],
    [redrive.messageId, REDRIVE_PREFIX, redrive.redriveNumber, redrive.at],
  );

/**
 * A lost condition: read STATE again and give core's reason when there is one that is not
 * a plain race between writers (an expunge that won says so, not "message changed").
 */
const lostRace = (
  env: Env,
  input: AppendRedriveInput,
  at: string,
  e: StoreError,
  ctx: ErrorContext,
): TE.TaskEither<StoreError, never> =>
  pipe(
    getState(env, input.messageId, ctx.op),
    TE.chain((now) => {
      const r = redriveRefusal(now, nextRedrive(now, { ...input, at }));
      return r !== null && r._tag !== 'NotRedrivable' && r._tag !== 'StaleRedrive'
        ? TE.left(refused(now, r, ctx))
        : TE.left(
            Conflict(
              { ...ctx, ...(e.item ? { item: e.item } : {}) },
              `message changed during the redrive: ${e.message}`,
            ),
          );
    }),
  );

/**
 * Reopens a final FAILED message: Put REDRIVE#k + Update STATE to `transition(before, redrive)`
 * in one transaction. Reads STATE first (an operator action, not the hot path); the
 * conditions make the read-then-write safe.
 */
export const appendRedrive = (env: Env, input: AppendRedriveInput): TE.TaskEither<StoreError, Redriven> => {
  const ctx: ErrorContext = { op: 'appendRedrive', messageId: input.messageId };
  const at = (input.at ?? env.clock()).toISOString();
  return pipe(
    getState(env, input.messageId, ctx.op),
    TE.chain((before) => {
      const redrive = nextRedrive(before, { ...input, at });
      return pipe(
        TE.fromEither(plan(before, redrive, ctx)),
        TE.chain((after) =>
          pipe(
            write(env, before, redrive, after, ctx),
            TE.map((): Redriven => ({ redrive, state: after })),
            TE.orElse((e) => (isConditionFailure(e) ? lostRace(env, input, at, e, ctx) : TE.left(e))),
            TE.chain(syncRetentionAfter(env, input.messageId, () => true)),
          ),
        ),
      );
    }),
  );
};
