import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type HealthDelta, mergeDeltas } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as T from 'fp-ts/lib/Task.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type AuditAction, actionSk, stepActions, stepEntries } from '../audit/auditActions.js';
import { auditExpiry } from '../audit/auditExpiry.js';
import type { AuditStep } from '../audit/auditStep.js';
import type { Env } from '../env.js';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { bucketAddAction, type HealthWrite, hourAddAction } from '../health/healthActions.js';
import { send } from '../support/send.js';
import { type AuditWrite, MAX_ACTIONS, MAX_TRANSACTION_BYTES, writeAuditStep } from './writeAudit.js';

// Several messages' audit steps with their endpoint-health counts in ONE transaction (the
// projector's batch writer). Each step keeps its own head guard, so exactly-once is the same
// as writeAuditStep's: a guard that fails cancels the transaction, the others are written
// again without it (their guards held), and that step is 'moved'. The counts of all steps of
// one bucket shard are summed into one ADD (a transaction may touch an item only once), which
// also turns k bucket writes into one; the endpoint-hour roll-ups likewise, over every shard.
// Only steps with health counts are grouped: without them a step is one single-item write,
// which a transaction would bill twice.

export type StepWrite = {
  readonly messageId: string;
  readonly step: AuditStep;
  readonly health: HealthWrite | null;
};

type Planned = { readonly write: StepWrite; readonly actions: readonly AuditAction[] };

const stepOnly = (env: Env, w: StepWrite): AuditAction[] =>
  stepActions(env.tableName, w.messageId, w.step, auditExpiry(stepEntries(w.step), env.retentionDays));

/**
 * One ADD per bucket shard, the counts of every step of the group summed; and one per
 * endpoint-hour roll-up, the counts of every shard of the group summed.
 */
const bucketActions = (env: Env, group: readonly Planned[]): AuditAction[] => {
  const byShard = new Map<number, HealthDelta[]>();
  for (const p of group) {
    const h = p.write.health;
    if (h !== null) byShard.set(h.shard, [...(byShard.get(h.shard) ?? []), ...h.deltas]);
  }
  return [
    ...[...byShard].flatMap(([shard, deltas]) =>
      mergeDeltas(deltas).map((d) => bucketAddAction(env.tableName, shard, d, env.retentionDays)),
    ),
    ...mergeDeltas([...byShard.values()].flat()).map((d) => hourAddAction(env.tableName, d, env.retentionDays)),
  ];
};

const bytesOf = (actions: readonly AuditAction[]): number => Buffer.byteLength(JSON.stringify(actions));

/** Groups that fit one transaction (actions incl. their bucket ADDs, bytes), in order; one message per group once. */
const groupsOf = (planned: readonly Planned[]): Planned[][] => {
  const groups: Planned[][] = [];
  let current: Planned[] = [];
  let actions = 0;
  let bytes = 0;
  for (const p of planned) {
    // upper bound: every delta its own bucket ADD and its own roll-up ADD
    const n = p.actions.length + 2 * (p.write.health?.deltas.length ?? 0);
    const b = bytesOf(p.actions);
    const clash = current.some((c) => c.write.messageId === p.write.messageId);
    if (current.length > 0 && (clash || actions + n > MAX_ACTIONS || bytes + b > MAX_TRANSACTION_BYTES)) {
      groups.push(current);
      current = [];
      actions = 0;
      bytes = 0;
    }
    current.push(p);
    actions += n;
    bytes += b;
  }
  if (current.length > 0) groups.push(current);
  return groups;
};

/** The group's steps whose head guard failed (their step actions hold a ConditionalCheckFailed). */
const refusedOf = (group: readonly Planned[], failedIndexes: ReadonlySet<number>): Set<StepWrite> => {
  const refused = new Set<StepWrite>();
  let at = 0;
  for (const p of group) {
    for (let i = 0; i < p.actions.length; i++) if (failedIndexes.has(at + i)) refused.add(p.write);
    at += p.actions.length;
  }
  return refused;
};

type Result = E.Either<StoreError, AuditWrite>;

const writeGroup = (env: Env, group: readonly Planned[], out: Map<StepWrite, Result>): T.Task<void> => {
  const [only] = group;
  if (group.length === 1 && only !== undefined)
    return pipe(
      writeAuditStep(env, only.write.messageId, only.write.step, only.write.health),
      T.map((r) => out.set(only.write, r)),
      T.map(() => undefined),
    );
  const actions = [...group.flatMap((p) => p.actions), ...bucketActions(env, group)];
  const ctx: ErrorContext = {
    op: 'writeAuditSteps',
    messageId: `${group[0]?.write.messageId ?? ''} and ${group.length - 1} more`,
  };
  return pipe(
    send(env, ctx, actions.map(actionSk), () => env.doc.send(new TransactWriteCommand({ TransactItems: actions }))),
    T.chain((r): T.Task<void> => {
      if (E.isRight(r)) {
        for (const p of group) out.set(p.write, E.right('written'));
        return T.of(undefined);
      }
      const e = r.left;
      const failed = isConditionFailure(e)
        ? new Set(e.reasons.filter((x) => x.code === 'ConditionalCheckFailed').map((x) => x.index))
        : new Set<number>();
      const refused = refusedOf(group, failed);
      for (const w of refused) out.set(w, E.right('moved'));
      // any other failure (or no guard named: an ambiguous retry that had committed, say): each
      // step on its own, so one message's trouble stays its own
      const rest = refused.size === 0 ? group.map((p) => [p]) : [group.filter((p) => !refused.has(p.write))];
      return pipe(
        rest.filter((g) => g.length > 0),
        T.traverseSeqArray((g) => writeGroup(env, g, out)),
        T.map(() => undefined),
      );
    }),
  );
};

/**
 * Writes several messages' steps, grouped into as few transactions as fit; answers each
 * step's result in input order (one step's failure is its own). Steps without health counts
 * are written on their own.
 */
export const writeAuditSteps = (env: Env, writes: readonly StepWrite[]): T.Task<Result[]> => {
  const out = new Map<StepWrite, Result>();
  const counted = (p: Planned) => p.write.health !== null && p.write.health.deltas.length > 0;
  const planned = writes.map((write) => ({ write, actions: stepOnly(env, write) }));
  const groups = [...groupsOf(planned.filter(counted)), ...planned.filter((p) => !counted(p)).map((p) => [p])];
  return pipe(
    groups,
    T.traverseSeqArray((g) => writeGroup(env, g, out)),
    T.map(() =>
      writes.map(
        (w) => out.get(w) ?? E.left(Invalid({ op: 'writeAuditSteps', messageId: w.messageId }, 'not written')),
      ),
    ),
  );
};
