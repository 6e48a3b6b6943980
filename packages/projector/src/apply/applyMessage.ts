import { tableKeys } from '@delivery-history/store';
import {
  type AttemptItem,
  dedupeOperatorEvents,
  type HoldItem,
  isPlacedRequeue,
  type OperatorEvent,
  type PlacedRequeue,
  operatorEventsOf,
  type RedriveContext,
  type RedriveItem,
  type RequeueItem,
  rebuildAuditTrail,
  type StateItem,
} from '@delivery-history/core';
import type { AuditHeadItem, Store, StoreError, StoreInput } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { Contention, MissingAttempts, OutOfOrder, type ProjectorError, storeFailure } from '../errors.js';
import { type AppendStep, planAppend, type Position } from '@delivery-history/store';
import type { MessageChange as Change } from '../stream/parseStreamRecord.js';
import type { ProjectorDeps } from './deps.js';
import { checkDrift, type DriftResult, sampleDriftCheck } from './driftCheck.js';
import { ensureHealthIndex, healthOfStep, markersOf, withinBucketLimit } from './health.js';
import { type ApplyIo, soloIo } from './applyIo.js';
import { storeOf } from './storeOf.js';

type HealthMarker = StoreInput<'raiseHealthMarkers'>[number];

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
  /** Operator events of the batch's events and of those this apply appended (stable ids; published by `projectMessages`). */
  readonly events: readonly OperatorEvent[];
  /**
   * Endpoint health: the newest success/failure per bucket of every attempt the batch carried
   * (applied before or now) and this apply appended; raised by `projectMessages`, coalesced.
   */
  readonly healthMarkers: readonly HealthMarker[];
};

/** What one read of the table says must be appended. */
type Work = {
  readonly head: AuditHeadItem | null;
  readonly attempts: readonly AttemptItem[];
  readonly redrives: readonly RedriveItem[];
  /** Hold events to append (after the head's `holds`, up to the last applicable attempt). */
  readonly holds: readonly HoldItem[];
  /** Requeues to append (numbered, after the head's `requeues`, up to the last applicable attempt). */
  readonly requeues: readonly RequeueItem[];
  /** Every redrive the apply saw (from the table when it queried, else from the batch). */
  readonly seenRedrives: readonly RedriveItem[];
  /** STATE as read with the head (for the sampled drift check). */
  readonly state: E.Either<StoreError, StateItem | null>;
  readonly duplicates: number;
  readonly healed: number;
  /** Attempts the table does not hold (yet): entries after the first of them wait. */
  readonly missing: readonly number[];
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const positionOf = (head: AuditHeadItem | null): Position =>
  head === null
    ? { through: 0, redrives: 0, holds: 0, requeues: 0 }
    : { through: head.through, redrives: head.redrives, holds: head.holds ?? 0, requeues: head.requeues ?? 0 };

/** A change's identity and whether the head's position says it is in the trail already. */
const placeOf = (c: Change, pos: Position): { readonly id: string; readonly applied: boolean } => {
  switch (c.kind) {
    case 'attempt':
      return { id: `a${c.attempt.attemptNumber}`, applied: c.attempt.attemptNumber <= pos.through };
    case 'redrive':
      return { id: `r${c.redrive.redriveNumber}`, applied: c.redrive.redriveNumber <= pos.redrives };
    case 'hold':
      return { id: `h${c.hold.holdNumber}`, applied: c.hold.holdNumber <= pos.holds };
    case 'requeue':
      // one recorded before requeues were numbered never reaches the trail
      return {
        id: `q${c.requeue.requeueNumber ?? c.requeue.at}`,
        applied: c.requeue.requeueNumber === undefined || c.requeue.requeueNumber <= pos.requeues,
      };
  }
};

const countDuplicates = (changes: readonly Change[], pos: Position): number => {
  const seen = new Set<string>();
  let dups = 0;
  for (const c of changes) {
    const { id, applied } = placeOf(c, pos);
    if (applied || seen.has(id)) dups += 1;
    seen.add(id);
  }
  return dups;
};

/** The batch's redrives and the table's (authoritative: it holds redrives whose records are lost or to come). */
const redrivesSeen = (table: readonly RedriveItem[], changes: readonly Change[]): RedriveItem[] => {
  const byNumber = new Map<number, RedriveItem>();
  for (const c of changes) if (c.kind === 'redrive') byNumber.set(c.redrive.redriveNumber, c.redrive);
  for (const r of table) byNumber.set(r.redriveNumber, r);
  return [...byNumber.values()].sort((a, b) => a.redriveNumber - b.redriveNumber);
};

const newRedrivesOf = (table: readonly RedriveItem[], changes: readonly Change[], pos: Position): RedriveItem[] =>
  redrivesSeen(table, changes).filter((r) => r.redriveNumber > pos.redrives);

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** The batch's hold events and the table's (authoritative), those after the head's `holds`, by number. */
const newHoldsOf = (table: readonly HoldItem[], changes: readonly Change[], pos: Position): HoldItem[] => {
  const byNumber = new Map<number, HoldItem>();
  for (const c of changes) if (c.kind === 'hold') byNumber.set(c.hold.holdNumber, c.hold);
  for (const h of table) byNumber.set(h.holdNumber, h);
  return [...byNumber.values()].filter((h) => h.holdNumber > pos.holds).sort((a, b) => a.holdNumber - b.holdNumber);
};

/** The batch's numbered requeues and the table's, those after the head's `requeues`, by number. */
const newRequeuesOf = (table: readonly RequeueItem[], changes: readonly Change[], pos: Position): PlacedRequeue[] => {
  const byNumber = new Map<number, PlacedRequeue>();
  for (const c of changes)
    if (c.kind === 'requeue' && isPlacedRequeue(c.requeue)) byNumber.set(c.requeue.requeueNumber, c.requeue);
  for (const r of table) if (isPlacedRequeue(r)) byNumber.set(r.requeueNumber, r);
  return [...byNumber.values()]
    .filter((r) => r.requeueNumber > pos.requeues)
    .sort((a, b) => a.requeueNumber - b.requeueNumber);
};

/** Before the trail's end (attempt `through`, redrive `redrives`, hold `holds`): skipped, cannot be appended. */
const behind = (pos: Position, a: number, r: number, h: number | null): boolean =>
  a < pos.through || (a === pos.through && (r < pos.redrives || (r === pos.redrives && h !== null && h < pos.holds)));

/** An event that sorts before the trail's end: it was skipped. */
const earlyEvent = (
  redrives: readonly RedriveItem[],
  holds: readonly HoldItem[],
  requeues: readonly PlacedRequeue[],
  pos: Position,
) => {
  const r = redrives.find((x) => x.afterAttempt < pos.through);
  if (r !== undefined) return { event: `redrive ${r.redriveNumber}`, afterAttempt: r.afterAttempt };
  const h = holds.find((x) => behind(pos, x.afterAttempt, x.afterRedrive, null));
  if (h !== undefined) return { event: `hold ${h.holdNumber}`, afterAttempt: h.afterAttempt };
  const q = requeues.find((x) => behind(pos, x.afterAttempt, x.afterRedrive, x.afterHold));
  return q === undefined ? undefined : { event: `requeue ${q.requeueNumber}`, afterAttempt: q.afterAttempt };
};

/** The operator events counted on STATE and numbered per message. */
type EventCount = 'redrives' | 'holds' | 'requeues';

/** The numbers of the events of one count that this batch carries. */
const carriedNumbers = (changes: readonly Change[], n: EventCount): number[] =>
  changes.flatMap((c) => {
    if (n === 'redrives' && c.kind === 'redrive') return [c.redrive.redriveNumber];
    if (n === 'holds' && c.kind === 'hold') return [c.hold.holdNumber];
    if (n === 'requeues' && c.kind === 'requeue' && c.requeue.requeueNumber !== undefined)
      return [c.requeue.requeueNumber];
    return [];
  });

/**
 * The Query of one event kind (REDRIVE#, HOLD#, REQUEUE#), only when it can find something:
 * STATE's counter of that kind is bumped in the event's own transaction, so a consistent STATE
 * read that counts none past the head's (or only ones this batch carries) proves the table holds
 * none the apply lacks. Without a readable STATE the Query runs, as before.
 */
const readUnseen = <A>(
  state: E.Either<StoreError, StateItem | null>,
  n: EventCount,
  pos: Position,
  changes: readonly Change[],
  list: () => TE.TaskEither<StoreError, readonly A[]>,
): TE.TaskEither<StoreError, readonly A[]> => {
  if (E.isLeft(state) || state.right === null) return list();
  const carried = new Set(carriedNumbers(changes, n));
  const unseen = range(pos[n] + 1, state.right[n] ?? 0).filter((k) => !carried.has(k));
  return unseen.length === 0 ? TE.right([]) : list();
};

/**
 * Reads the head and STATE (one request), the redrives when STATE says the table has some the
 * batch lacks, then the attempts the batch lacks between the high-water mark and the newest
 * event known (gap healing). Only events up to the newest one the stream showed are applied:
 * any redrive sorting before them was written before them, so the strongly consistent reads
 * made now see it.
 */
const gatherWork = async (
  store: Store,
  io: ApplyIo,
  messageId: string,
  changes: readonly Change[],
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: plan one message: read head, heal gaps, order, plan; each branch is one documented case
): Promise<E.Either<ProjectorError, Work>> => {
  const failed = storeFailure(messageId);
  const read = await pipe(io.readHeadAndState(messageId), TE.mapLeft(failed))();
  if (E.isLeft(read)) return read;
  const { head, state } = read.right;
  const pos = positionOf(head);
  const unseen = <A>(n: EventCount, list: () => TE.TaskEither<StoreError, readonly A[]>) =>
    pipe(readUnseen(state, n, pos, changes, list), TE.mapLeft(failed))();
  const tableRedrives = await unseen('redrives', () => store.listRedrives(messageId));
  if (E.isLeft(tableRedrives)) return tableRedrives;
  const redrives = newRedrivesOf(tableRedrives.right, changes, pos);
  const tableHolds = await unseen('holds', () => store.listHolds(messageId));
  if (E.isLeft(tableHolds)) return tableHolds;
  const holds = newHoldsOf(tableHolds.right, changes, pos);
  const tableRequeues = await unseen('requeues', () => store.listRequeues(messageId));
  if (E.isLeft(tableRequeues)) return tableRequeues;
  const requeues = newRequeuesOf(tableRequeues.right, changes, pos);
  const early = earlyEvent(redrives, holds, requeues, pos);
  if (early !== undefined) return E.left(OutOfOrder({ messageId, ...early, through: pos.through }));
  const byNumber = new Map<number, AttemptItem>();
  for (const c of changes) {
    if (c.kind === 'attempt' && c.attempt.attemptNumber > pos.through) byNumber.set(c.attempt.attemptNumber, c.attempt);
  }
  let upper = pos.through;
  for (const n of byNumber.keys()) upper = Math.max(upper, n);
  for (const r of redrives) upper = Math.max(upper, r.afterAttempt);
  for (const h of holds) upper = Math.max(upper, h.afterAttempt);
  for (const q of requeues) upper = Math.max(upper, q.afterAttempt);
  const needed = range(pos.through + 1, upper);
  const missing = needed.filter((n) => !byNumber.has(n));
  let healed = 0;
  if (missing.length > 0) {
    const read = await pipe(
      store.listAttempts(messageId, missing[0] ?? 0, missing[missing.length - 1]),
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
    head,
    attempts: applicable.map((n) => byNumber.get(n) as AttemptItem),
    redrives: redrives.filter((r) => r.afterAttempt <= last),
    holds: holds.filter((h) => h.afterAttempt <= last),
    requeues: requeues.filter((q) => q.afterAttempt <= last),
    seenRedrives: redrivesSeen(tableRedrives.right, changes),
    state,
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
  store: Store,
  messageId: string,
  steps: readonly AppendStep[],
  attempts: readonly AttemptItem[],
  io: ApplyIo,
): Promise<E.Either<ProjectorError, 'written' | 'moved'>> => {
  const index = await pipe(ensureHealthIndex(deps, store, messageId, attempts), TE.mapLeft(storeFailure(messageId)))();
  if (E.isLeft(index)) return index;
  for (const step of steps) {
    const health = healthOfStep(deps, messageId, step, attempts);
    const r = await pipe(io.writeStep(messageId, step, health), TE.mapLeft(storeFailure(messageId)))();
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

const contextOf = (state: E.Either<StoreError, StateItem | null>): RedriveContext | null =>
  E.isRight(state) && state.right !== null
    ? { endpoint: state.right.endpoint, correlationId: state.right.correlationId }
    : null;

/**
 * Every event the batch carried (all applied now: the apply succeeded) and every one this
 * apply appended (healed from the table): a redelivered batch gives the same events, same ids.
 */
const eventsOf = (changes: readonly Change[], work: Work): OperatorEvent[] => {
  const context = contextOf(work.state);
  const attempts = [...changes.flatMap((c) => (c.kind === 'attempt' ? [c.attempt] : [])), ...work.attempts];
  const redrives = [...changes.flatMap((c) => (c.kind === 'redrive' ? [c.redrive] : [])), ...work.redrives];
  return dedupeOperatorEvents([
    ...attempts.flatMap((attempt) =>
      operatorEventsOf({ kind: 'attempt', sortKey: tableKeys.attemptSk(attempt.attemptNumber), attempt }),
    ),
    ...redrives.flatMap((redrive) =>
      operatorEventsOf({ kind: 'redrive', sortKey: tableKeys.redriveSk(redrive.redriveNumber), redrive, context }),
    ),
  ]);
};

const outcomeOf = (
  deps: ProjectorDeps,
  messageId: string,
  changes: readonly Change[],
  work: Work,
  steps: readonly AppendStep[],
  tries: number,
): MessageOutcome => {
  const last = steps[steps.length - 1];
  const pos = last === undefined ? positionOf(work.head) : last.summary;
  return {
    messageId,
    appended: work.attempts.length + work.redrives.length + work.holds.length + work.requeues.length,
    duplicates: work.duplicates,
    healed: work.healed,
    segmentsCreated: steps.reduce((n, s) => n + s.newSegments.length, 0),
    through: pos.through,
    redrives: pos.redrives,
    tries,
    drift: null,
    events: eventsOf(changes, work),
    healthMarkers: markersOf(deps, messageId, [
      ...changes.flatMap((c) => (c.kind === 'attempt' ? [c.attempt] : [])),
      ...work.attempts,
    ]),
  };
};

/**
 * One round applies attempts spanning at most MAX_HEALTH_BUCKETS hours (their health counts
 * share the round's transactions); `more` when the rest waits for the next round.
 */
const limitRound = (work: Work): { readonly work: Work; readonly more: boolean } => {
  const attempts = withinBucketLimit(work.attempts);
  if (attempts.length === work.attempts.length) return { work, more: false };
  const last = attempts[attempts.length - 1]?.attemptNumber ?? 0;
  return {
    work: {
      ...work,
      attempts,
      redrives: work.redrives.filter((r) => r.afterAttempt <= last),
      holds: work.holds.filter((h) => h.afterAttempt <= last),
      requeues: work.requeues.filter((q) => (q.afterAttempt ?? 0) <= last),
      missing: [],
    },
    more: true,
  };
};

/**
 * Applies the changes of ONE message: appends the missing entries after the head's
 * high-water mark (coalesced: one write per segment touched), skipping duplicates and
 * healing gaps from the table; re-reads and re-plans when a conditional write loses.
 */
export const applyMessage =
  (
    deps: ProjectorDeps,
    messageId: string,
    changes: readonly Change[],
    // the batch's reads and writes, gathered across its messages (applyIo.ts); alone, one by one
    io?: ApplyIo,
  ): TE.TaskEither<ProjectorError, MessageOutcome> =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the bounded re-read loop after a lost high-water-mark condition
  async () => {
    const store = storeOf(deps);
    const calls = io ?? soloIo(store);
    for (let tries = 1; tries <= deps.maxApplyTries; tries++) {
      const gathered = await gatherWork(store, calls, messageId, changes);
      if (E.isLeft(gathered)) return gathered;
      const { work, more } = limitRound(gathered.right);
      const entries = rebuildAuditTrail(work.attempts, work.redrives, work.holds, work.requeues);
      const plan = planAppend({
        messageId,
        head: work.head,
        entries,
        budget: deps.budget,
        now: deps.clock().toISOString(),
        limits: deps.stepLimits,
      });
      if (E.isLeft(plan)) return plan;
      const written = await writeSteps(deps, store, messageId, plan.right, work.attempts, calls);
      if (E.isLeft(written)) return written;
      if (written.right === 'moved') {
        deps.telemetry.count('WriteConflicts');
        continue;
      }
      // more hours than one round's transactions hold: the next round applies the rest
      if (more) continue;
      // the prefix before a hole is in; the records after it fail (retryable) and come back
      if (work.missing.length > 0) return E.left(MissingAttempts(messageId, work.missing));
      const outcome = outcomeOf(deps, messageId, changes, work, plan.right, tries);
      if (!sampleDriftCheck(deps, entries.length, outcome.through)) return E.right(outcome);
      const drift = await checkDrift(deps, store, messageId, work.state, work.seenRedrives);
      return E.right({ ...outcome, drift });
    }
    return E.left(Contention(messageId, deps.maxApplyTries));
  };
