import { type AttemptItem, type RedriveItem, rebuildAuditTrail } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import {
  type AuditHeadItem,
  type Env,
  getAuditHead,
  listAttempts,
  listRedrives,
  writeAuditStep,
} from '@delivery-history/store';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { Contention, MissingAttempts, OutOfOrder, type ProjectorError, storeFailure } from '../errors.js';
import { type AppendStep, planAppend, type Position } from '../segments/planAppend.js';
import type { Change } from '../stream/parseStreamRecord.js';
import type { ProjectorDeps } from './deps.js';
import { checkDrift, type DriftResult } from './driftCheck.js';
import { storeEnvOf } from './storeEnv.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type MessageOutcome = {
  readonly messageId: string;
  /** Entries written by this apply. */
  readonly appended: number;
  /** Records already in the trail (redelivered, replayed, or healed earlier). */
  readonly duplicates: number;
  /** Attempts read from the table because the batch did not carry them (gap healing). */
  readonly healed: number;
  readonly segmentsCreated: number;
  /** High-water mark after the apply. */
  readonly through: number;
  readonly redrives: number;
  /** Reads of the head (1 + lost conditional writes). */
  readonly tries: number;
  readonly drift: DriftResult | null;
};

/** What one read of the table says must be appended. */
type Work = {
  readonly head: AuditHeadItem | null;
  readonly attempts: readonly AttemptItem[];
  readonly redrives: readonly RedriveItem[];
  readonly allRedrives: readonly RedriveItem[];
  readonly duplicates: number;
  readonly healed: number;
  /** Attempts the table does not hold (yet): entries after the first of them wait. */
  readonly missing: readonly number[];
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const positionOf = (head: AuditHeadItem | null): Position =>
  head === null ? { through: 0, redrives: 0 } : { through: head.through, redrives: head.redrives };

const countDuplicates = (changes: readonly Change[], pos: Position): number => {
  const seen = new Set<string>();
  let dups = 0;
  for (const c of changes) {
    const id = c.kind === 'attempt' ? `a${c.attempt.attemptNumber}` : `r${c.redrive.redriveNumber}`;
    const applied =
      c.kind === 'attempt' ? c.attempt.attemptNumber <= pos.through : c.redrive.redriveNumber <= pos.redrives;
    if (applied || seen.has(id)) dups += 1;
    seen.add(id);
  }
  return dups;
};

const newRedrivesOf = (table: readonly RedriveItem[], changes: readonly Change[], pos: Position): RedriveItem[] => {
  const byNumber = new Map<number, RedriveItem>();
  for (const c of changes) if (c.kind === 'redrive') byNumber.set(c.redrive.redriveNumber, c.redrive);
  // the table is authoritative (and holds redrives whose records are lost or still to come)
  for (const r of table) byNumber.set(r.redriveNumber, r);
  return [...byNumber.values()]
    .filter((r) => r.redriveNumber > pos.redrives)
    .sort((a, b) => a.redriveNumber - b.redriveNumber);
};

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * Reads the head and the redrives, then the attempts the batch lacks between the high-water
 * mark and the newest event known (gap healing). Only events up to the newest one the
 * stream showed are applied: any redrive sorting before them was written before them, so the
 * strongly consistent reads made now see it.
 */
const gatherWork = async (
  env: Env,
  messageId: string,
  changes: readonly Change[],
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: plan one message: read head, heal gaps, order, plan; each branch is one documented case
): Promise<E.Either<ProjectorError, Work>> => {
  const failed = storeFailure(messageId);
  const [head, tableRedrives] = await Promise.all([
    pipe(getAuditHead(env, messageId), TE.mapLeft(failed))(),
    pipe(listRedrives(env, messageId), TE.mapLeft(failed))(),
  ]);
  if (E.isLeft(head)) return head;
  if (E.isLeft(tableRedrives)) return tableRedrives;
  const pos = positionOf(head.right);
  const redrives = newRedrivesOf(tableRedrives.right, changes, pos);
  const early = redrives.find((r) => r.afterAttempt < pos.through);
  if (early !== undefined) {
    return E.left(
      OutOfOrder({
        messageId,
        redriveNumber: early.redriveNumber,
        afterAttempt: early.afterAttempt,
        through: pos.through,
      }),
    );
  }
  const byNumber = new Map<number, AttemptItem>();
  for (const c of changes) {
    if (c.kind === 'attempt' && c.attempt.attemptNumber > pos.through) byNumber.set(c.attempt.attemptNumber, c.attempt);
  }
  let upper = pos.through;
  for (const n of byNumber.keys()) upper = Math.max(upper, n);
  for (const r of redrives) upper = Math.max(upper, r.afterAttempt);
  const needed = range(pos.through + 1, upper);
  const missing = needed.filter((n) => !byNumber.has(n));
  let healed = 0;
  if (missing.length > 0) {
    const read = await pipe(
      listAttempts(env, messageId, missing[0] ?? 0, missing[missing.length - 1]),
      TE.mapLeft(failed),
    )();
    if (E.isLeft(read)) return read;
    for (const a of read.right) {
      if (!byNumber.has(a.attemptNumber)) healed += 1;
      byNumber.set(a.attemptNumber, a);
    }
  }
  // attempts are dense (store protocol), so a hole means one not written yet (an out-of-order
  // bulk load) or lost: apply up to the hole, and report the rest so it is tried again
  const hole = needed.findIndex((n) => !byNumber.has(n));
  const applicable = hole === -1 ? needed : needed.slice(0, hole);
  const last = applicable[applicable.length - 1] ?? pos.through;
  return E.right({
    head: head.right,
    attempts: applicable.map((n) => byNumber.get(n) as AttemptItem),
    redrives: redrives.filter((r) => r.afterAttempt <= last),
    allRedrives: tableRedrives.right,
    duplicates: countDuplicates(changes, pos),
    healed,
    missing: hole === -1 ? [] : needed.slice(hole).filter((n) => !byNumber.has(n)),
  });
};

/**
 * Writes the steps in order through the store's AUDIT writer; 'moved' as soon as one finds
 * the head elsewhere (its high-water-mark condition failed: re-read and plan again).
 */
const writeSteps = async (
  deps: ProjectorDeps,
  env: Env,
  messageId: string,
  steps: readonly AppendStep[],
): Promise<E.Either<ProjectorError, 'written' | 'moved'>> => {
  for (const step of steps) {
    const r = await pipe(writeAuditStep(env, messageId, step), TE.mapLeft(storeFailure(messageId)))();
    if (E.isLeft(r) || r.right === 'moved') return r;
    // counted per write, so a prefix applied before a hole or a lost race is counted too
    const entries = step.headEntries.length + (step.tail?.entries.length ?? 0);
    deps.telemetry.count(
      'EntriesAppended',
      step.newSegments.reduce((n, s) => n + s.entries.length, entries),
    );
    deps.telemetry.count('SegmentsCreated', step.newSegments.length);
  }
  return E.right('written');
};

const outcomeOf = (messageId: string, work: Work, steps: readonly AppendStep[], tries: number): MessageOutcome => {
  const last = steps[steps.length - 1];
  const pos = last === undefined ? positionOf(work.head) : last.summary;
  return {
    messageId,
    appended: work.attempts.length + work.redrives.length,
    duplicates: work.duplicates,
    healed: work.healed,
    segmentsCreated: steps.reduce((n, s) => n + s.newSegments.length, 0),
    through: pos.through,
    redrives: pos.redrives,
    tries,
    drift: null,
  };
};

/**
 * Applies the changes of ONE message: appends the missing entries after the head's
 * high-water mark (coalesced: one write per segment touched), skipping duplicates and
 * healing gaps from the table; re-reads and re-plans when a conditional write loses.
 */
export const applyMessage =
  (deps: ProjectorDeps, messageId: string, changes: readonly Change[]): TE.TaskEither<ProjectorError, MessageOutcome> =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the bounded re-read loop after a lost high-water-mark condition
  async () => {
    const env = storeEnvOf(deps);
    for (let tries = 1; tries <= deps.maxApplyTries; tries++) {
      const work = await gatherWork(env, messageId, changes);
      if (E.isLeft(work)) return work;
      const entries = rebuildAuditTrail(work.right.attempts, work.right.redrives);
      const plan = planAppend({
        messageId,
        head: work.right.head,
        entries,
        budget: deps.budget,
        now: deps.clock().toISOString(),
        limits: deps.stepLimits,
      });
      if (E.isLeft(plan)) return plan;
      const written = await writeSteps(deps, env, messageId, plan.right);
      if (E.isLeft(written)) return written;
      if (written.right === 'moved') {
        deps.telemetry.count('WriteConflicts');
        continue;
      }
      // the prefix before a hole is in; the records after it fail (retryable) and come back
      if (work.right.missing.length > 0) return E.left(MissingAttempts(messageId, work.right.missing));
      const outcome = outcomeOf(messageId, work.right, plan.right, tries);
      const check = entries.length > 0 && outcome.through <= deps.driftCheckMaxAttempts;
      return E.right(
        check ? { ...outcome, drift: await checkDrift(deps, env, messageId, work.right.allRedrives) } : outcome,
      );
    }
    return E.left(Contention(messageId, deps.maxApplyTries));
  };
