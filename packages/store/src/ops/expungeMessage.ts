import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AttemptItem,
  type ExpungeItem,
  type ExpungeMark,
  type ExpungeRule,
  type ExpungeScope,
  expungeAttempt,
  expungeState,
  isFinal,
  type SecretPolicy,
  type StateItem,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, Corrupt, type ErrorContext, Invalid, NotFound, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { attemptKey, attemptSk, expungeKey, expungeSk, STATE_SK, stateKey } from '../keys.js';
import { classifyPartition, type Partition, type RawItem, ttlOf } from '../query/partition.js';
import { send } from '../support/send.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { readPartition } from './readPartition.js';

// ---------------------------------------------------------------------------
// Expunge: the one audited exception to immutability. Core decides what an expunged item
// is (lifecycle/expunge.ts); this op writes it: EXPUNGE#k first (who, why, when: the
// intent is on record before any content goes), then one conditional write per changed
// item, then EXPUNGE#k completed. A run that stops part way is resumed by the next run of
// the same scope (same k); a run with nothing left to change writes nothing.
// ---------------------------------------------------------------------------

export type ExpungeInput = {
  readonly messageId: string;
  /** `content` (default): headers, body, snippet, reason phrase; `secrets`: the current policy re-applied. */
  readonly scope?: ExpungeScope;
  readonly requestedBy: string;
  readonly reason: string;
  /** For `secrets`: the policy to re-apply (default: the store's, from config). */
  readonly policy?: SecretPolicy;
  readonly dryRun?: boolean;
};

export type Expunged = {
  readonly messageId: string;
  /** The EXPUNGE#k written or resumed; null when there was nothing to do. */
  readonly expungeNumber: number | null;
  /** Sort keys of the items changed (or, in a dry run, that would be). */
  readonly items: readonly string[];
  readonly resumed: boolean;
  readonly dryRun: boolean;
};

type Change =
  | { readonly kind: 'attempt'; readonly before: AttemptItem; readonly after: AttemptItem }
  | { readonly kind: 'state'; readonly before: StateItem; readonly after: StateItem };

type Plan = {
  readonly event: ExpungeItem;
  readonly resumed: boolean;
  readonly changes: readonly Change[];
  /** STATE's TTL: the event inherits it (retention). */
  readonly ttl: number | null;
};

const skOf = (c: Change): string => (c.kind === 'state' ? STATE_SK : attemptSk(c.before.attemptNumber));

// ---------------------------------------------------------------------------
// planning (pure)
// ---------------------------------------------------------------------------

const partitionOf = (env: Env, items: RawItem[], ctx: ErrorContext): E.Either<StoreError, Partition> => {
  const p = classifyPartition(ctx.messageId ?? '', items, env.clock());
  const [bad] = p.corrupt;
  if (bad !== undefined) return E.left(Corrupt({ ...ctx, item: bad.sk, cause: bad.cause }, bad.message));
  if (p.state === null) return E.left(NotFound(ctx));
  if (!isFinal(p.state))
    return E.left(Invalid({ ...ctx, item: STATE_SK }, `status ${p.state.status} is not final: expunge it once it is`));
  return E.right(p);
};

const eventOf = (env: Env, p: Partition, input: ExpungeInput, scope: ExpungeScope): [ExpungeItem, boolean] => {
  const open = p.expunges.find((x) => x.completedAt === null && x.scope === scope);
  if (open !== undefined) return [open, true];
  const k = p.expunges.reduce((n, x) => Math.max(n, x.expungeNumber), 0) + 1;
  const event: ExpungeItem = {
    type: 'EXPUNGE',
    messageId: p.messageId,
    expungeNumber: k,
    scope,
    requestedBy: input.requestedBy,
    reason: input.reason,
    at: env.clock().toISOString(),
    completedAt: null,
    items: 0,
  };
  return [event, false];
};

const changesOf = (p: Partition, state: StateItem, rule: ExpungeRule, mark: ExpungeMark): Change[] => {
  const attempts = p.attempts.flatMap((a): Change[] => {
    const after = expungeAttempt(a, rule, mark);
    return after === null ? [] : [{ kind: 'attempt', before: a, after }];
  });
  const s = expungeState(state, rule, mark);
  // STATE last: it is what a person reads first, so it changes once the rest is done
  return s === null ? attempts : [...attempts, { kind: 'state', before: state, after: s }];
};

const planOf = (env: Env, items: RawItem[], input: ExpungeInput, ctx: ErrorContext): E.Either<StoreError, Plan> =>
  pipe(
    partitionOf(env, items, ctx),
    E.map((p) => {
      const state = p.state as StateItem;
      const scope = input.scope ?? 'content';
      const [event, resumed] = eventOf(env, p, input, scope);
      const rule: ExpungeRule = { scope, policy: input.policy ?? env.secrets };
      const mark: ExpungeMark = { n: event.expungeNumber, at: event.at, scope };
      const ttl = ttlOf(items.find((i) => i.sk === STATE_SK) ?? {});
      return { event, resumed, changes: changesOf(p, state, rule, mark), ttl };
    }),
  );

// ---------------------------------------------------------------------------
// writes
// ---------------------------------------------------------------------------

/** The item's expunge mark is still the one read: a concurrent expunge of it loses here. */
const markCondition = (before: { readonly expunged?: ExpungeMark }) =>
  before.expunged === undefined
    ? { expression: 'attribute_exists(pk) AND attribute_not_exists(expunged)', values: {} }
    : { expression: 'attribute_exists(pk) AND expunged.n = :oldN', values: { ':oldN': before.expunged.n } };

const updateOf = (env: Env, c: Change) => {
  const cond = markCondition(c.before);
  if (c.kind === 'attempt') {
    return new UpdateCommand({
      TableName: env.tableName,
      Key: attemptKey(c.after.messageId, c.after.attemptNumber),
      UpdateExpression: 'SET #request = :request, #response = :response, deliveryResult = :result, expunged = :mark',
      ConditionExpression: cond.expression,
      ExpressionAttributeNames: { '#request': 'request', '#response': 'response' },
      ExpressionAttributeValues: {
        ':request': c.after.request,
        ':response': c.after.response,
        ':result': c.after.deliveryResult,
        ':mark': c.after.expunged,
        ...cond.values,
      },
    });
  }
  return new UpdateCommand({
    TableName: env.tableName,
    Key: stateKey(c.after.messageId),
    // REMOVE sealed: a content expunge destroys the sealed credentials (crypto-shredding)
    UpdateExpression: `SET #request = :request, deliveryResult = :result, expunged = :mark${
      c.after.sealed === undefined ? ' REMOVE sealed' : ''
    }`,
    // and still the final STATE read: nothing re-drove it or counted an attempt meanwhile
    ConditionExpression: `${cond.expression} AND attempts = :attempts AND #status = :status`,
    ExpressionAttributeNames: { '#request': 'request', '#status': 'status' },
    ExpressionAttributeValues: {
      ':request': c.after.request,
      ':result': c.after.deliveryResult,
      ':mark': c.after.expunged,
      ':attempts': c.before.attempts,
      ':status': c.before.status,
      ...cond.values,
    },
  });
};

const conflictOr = (ctx: ErrorContext, what: string) => (e: StoreError) =>
  isConditionFailure(e) ? Conflict({ ...ctx, ...(e.item ? { item: e.item } : {}) }, `${what}; run it again`) : e;

const putEvent = (env: Env, plan: Plan, ctx: ErrorContext) =>
  send(env, ctx, [expungeSk(plan.event.expungeNumber)], () =>
    env.doc.send(
      new PutCommand({
        TableName: env.tableName,
        Item: {
          ...expungeKey(plan.event.messageId, plan.event.expungeNumber),
          ...plan.event,
          ...(plan.ttl === null ? {} : { [TTL_ATTRIBUTE]: plan.ttl }),
        },
        // expunge k is recorded once: two operators expunging at once cannot both take k
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );

const completeEvent = (env: Env, plan: Plan, ctx: ErrorContext) =>
  send(env, ctx, [expungeSk(plan.event.expungeNumber)], () =>
    env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: expungeKey(plan.event.messageId, plan.event.expungeNumber),
        UpdateExpression: 'SET completedAt = :at, #items = :items',
        // completed once (a concurrent resume of the same run completes it first)
        ConditionExpression: 'attribute_exists(pk) AND completedAt = :null',
        ExpressionAttributeNames: { '#items': 'items' },
        ExpressionAttributeValues: {
          ':at': env.clock().toISOString(),
          ':items': plan.event.items + plan.changes.length,
          ':null': null,
        },
      }),
    ),
  );

const apply = (env: Env, plan: Plan, ctx: ErrorContext): TE.TaskEither<StoreError, void> =>
  pipe(
    plan.resumed ? TE.right(undefined) : TE.asUnit(putEvent(env, plan, ctx)),
    TE.mapLeft(conflictOr(ctx, 'another expunge of this message started')),
    TE.chain(() =>
      TE.sequenceSeqArray(
        plan.changes.map((c) =>
          pipe(
            send(env, { ...ctx, item: skOf(c) }, [skOf(c)], () => env.doc.send(updateOf(env, c))),
            TE.mapLeft(conflictOr(ctx, `${skOf(c)} changed during the expunge`)),
          ),
        ),
      ),
    ),
    TE.chain(() => TE.asUnit(completeEvent(env, plan, ctx))),
    TE.mapLeft(conflictOr(ctx, 'the expunge was completed by another run')),
  );

/**
 * Removes a final message's content (or re-applies the secret policy) from its STATE and
 * attempts, recording EXPUNGE#k. Idempotent: nothing left to change and no run to resume
 * writes nothing. Refuses a message that is not final (a delivery still needs its request).
 */
export const expungeMessage = (env: Env, input: ExpungeInput): TE.TaskEither<StoreError, Expunged> => {
  const ctx: ErrorContext = { op: 'expungeMessage', messageId: input.messageId };
  return pipe(
    readPartition(env, input.messageId, ctx.op),
    TE.chainEitherK((items) => planOf(env, items, input, ctx)),
    TE.chain((plan) => {
      const result: Expunged = {
        messageId: input.messageId,
        expungeNumber: plan.changes.length === 0 && !plan.resumed ? null : plan.event.expungeNumber,
        items: plan.changes.map(skOf),
        resumed: plan.resumed,
        dryRun: input.dryRun === true,
      };
      if (result.expungeNumber === null || input.dryRun === true) return TE.right(result);
      return pipe(
        apply(env, plan, ctx),
        TE.map(() => result),
      );
    }),
  );
};
