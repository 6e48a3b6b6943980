import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  type AuditAction,
  type AuditSegmentWrite,
  actionSk,
  rewriteActions,
  stepActions,
  stepEntries,
} from '../audit/auditActions.js';
import { auditExpiry } from '../audit/auditExpiry.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { AuditStep } from '../audit/auditStep.js';
import type { Env } from '../env.js';
import { bucketAddAction, type HealthWrite, hourAddAction } from '../health/healthActions.js';
import { type ErrorContext, type StoreError, TooLarge } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { send } from '../support/send.js';

// The ONE writer of AUDIT# items. `writeAuditStep` is the projector's append;
// `rewriteAuditTrail` is replay's repair variant. Both guard the head with
// audit/auditActions.ts's headCondition, and both answer 'moved' when that guard fails:
// someone else wrote first, re-read and plan again. TransactionConflict is Transient (the
// funnel retries it); only a failed condition is 'moved'.

export type AuditWrite = 'written' | 'moved';

// DynamoDB's transaction limits: 100 actions, 4 MB (a margin kept for keys and overhead)
export const MAX_ACTIONS = 100;
export const MAX_TRANSACTION_BYTES = 3_500_000;

// one action is a single-item write (half the write units of a transaction); more are one transaction
const commandOf = (env: Env, actions: readonly AuditAction[]) => async (): Promise<void> => {
  const [only] = actions;
  if (actions.length !== 1 || only === undefined) {
    await env.doc.send(new TransactWriteCommand({ TransactItems: [...actions] }));
  } else if ('Put' in only) await env.doc.send(new PutCommand(only.Put));
  else if ('Update' in only) await env.doc.send(new UpdateCommand(only.Update));
  else await env.doc.send(new DeleteCommand(only.Delete));
};

/** One write (single item or transaction) through the funnel; a lost head guard is 'moved'. */
const writeActions = (
  env: Env,
  ctx: ErrorContext,
  actions: readonly AuditAction[],
): TE.TaskEither<StoreError, AuditWrite> =>
  pipe(
    send(env, ctx, actions.map(actionSk), commandOf(env, actions)),
    TE.map((): AuditWrite => 'written'),
    // a retry after an ambiguous failure that did commit also lands here: 'moved' is right then too
    TE.orElse((e) => (isConditionFailure(e) ? TE.right<StoreError, AuditWrite>('moved') : TE.left(e))),
  );

/**
 * Writes one planned append step (the projector's planAppend) under the head's high-water
 * mark. `health`: the endpoint-health counts of exactly the attempts this step appends, added
 * to the shard buckets and their endpoint-hour roll-ups in the SAME transaction, so the head guard decides for them too: a step already applied (a
 * redelivery, a replayed stream, a restarted poller) adds nothing, and a crash leaves both or
 * neither.
 */
export const writeAuditStep = (
  env: Env,
  messageId: string,
  step: AuditStep,
  health: HealthWrite | null = null,
): TE.TaskEither<StoreError, AuditWrite> => {
  const ctx: ErrorContext = { op: 'writeAuditStep', messageId };
  const actions: AuditAction[] = [
    // retention: segments written with the final entry inherit the message's TTL
    ...stepActions(env.tableName, messageId, step, auditExpiry(stepEntries(step), env.retentionDays)),
    ...(health?.deltas ?? []).flatMap((d) => [
      bucketAddAction(env.tableName, health?.shard ?? 0, d, env.retentionDays),
      hourAddAction(env.tableName, d, env.retentionDays),
    ]),
  ];
  if (actions.length > MAX_ACTIONS) {
    return TE.left(TooLarge(ctx, `step of ${actions.length} actions is over the transaction limit of ${MAX_ACTIONS}`));
  }
  return writeActions(env, ctx, actions);
};

export type RewriteAuditInput = {
  readonly messageId: string;
  /** The whole new trail, head first (the projector's rebuildAuditSegments). */
  readonly segments: readonly AuditSegmentWrite[];
  /** The trail as read before the rebuild: its position guards the write, its segments past the new end are deleted. */
  readonly read: AuditTrail;
};

/**
 * Replaces a message's audit trail in ONE transaction (repair): nothing is written unless the
 * head is still at the position read. Refuses (`TooLarge`) a trail that does not fit one
 * transaction rather than writing it half.
 */
export const rewriteAuditTrail = (env: Env, input: RewriteAuditInput): TE.TaskEither<StoreError, AuditWrite> => {
  const ctx: ErrorContext = { op: 'rewriteAuditTrail', messageId: input.messageId };
  const entries = input.segments.flatMap((s) => (Array.isArray(s.entries) ? (s.entries as AuditEntry[]) : []));
  const ttl = auditExpiry(entries, env.retentionDays);
  const actions = rewriteActions(env.tableName, input.messageId, input.segments, input.read, ttl);
  if (actions.length === 0) return TE.right('written');
  const bytes = Buffer.byteLength(JSON.stringify(input.segments));
  if (actions.length > MAX_ACTIONS || bytes > MAX_TRANSACTION_BYTES) {
    return TE.left(
      TooLarge(ctx, `trail of ${input.segments.length} segments is too large to rewrite in one transaction`),
    );
  }
  return writeActions(env, ctx, actions);
};
