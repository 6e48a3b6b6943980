import * as E from 'fp-ts/lib/Either.js';
import { type EventsReport, publishEvents } from '../events/publishEvents.js';
import type { StoreError } from '@delivery-history/store';
import { describeProjectorError, isRetryableProjectorError, type ProjectorError, storeFailure } from '../errors.js';
import { type MessageChange as Change, type ParsedRecord, parseStreamRecord } from '../stream/parseStreamRecord.js';
import { holdAndMoveEvents } from '../events/holdAndMoveEvents.js';
import type { BreakerMoveItem, HoldItem } from '@delivery-history/core';
import { applyMessage, type MessageOutcome } from './applyMessage.js';
import type { ProjectorDeps } from './deps.js';
import { coalesceMarkers } from './health.js';
import { gatheredIo } from './applyIo.js';
import { createBatchGate } from './batchGate.js';
import { storeOf } from './storeOf.js';
import { type BreakerReport, decideBreakers } from './breakers.js';
import { breaker } from '@delivery-history/core';

/**
 * The longest a parked read or write waits for the batch's other applies to reach theirs
 * (one may be sleeping in a retry back-off); they usually arrive within a round trip.
 */
const GATHER_WAIT_MS = 50;

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type MalformedRecord = { readonly sequenceNumber: string | null; readonly reason: string };

export type FailedMessage = {
  readonly messageId: string;
  readonly sequenceNumbers: readonly string[];
  readonly error: ProjectorError;
};

export type ProjectionReport = {
  readonly records: number;
  readonly ignored: number;
  readonly malformed: readonly MalformedRecord[];
  readonly messages: readonly MessageOutcome[];
  readonly failed: readonly FailedMessage[];
  /** Sequence numbers of malformed records and of failed messages' records, ascending. */
  readonly failedSequenceNumbers: readonly string[];
  /** Operator events published after the writes (best effort: failures are not in `failedSequenceNumbers`). */
  readonly events: EventsReport;
  /** The endpoint breakers the batch moved (best effort, like the events). */
  readonly breakers: BreakerReport;
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const bySequence = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

/** Sorts sequence numbers numerically (they are decimal strings of varying length). */
export const sortSequenceNumbers = (seqs: readonly string[]): string[] =>
  [...new Set(seqs)].sort((a, b) => (isNumeric(a) && isNumeric(b) ? bySequence(a, b) : a.localeCompare(b)));

const groupByMessage = (changes: readonly Change[]): Map<string, Change[]> => {
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const g = groups.get(c.messageId);
    if (g === undefined) groups.set(c.messageId, [c]);
    else g.push(c);
  }
  return groups;
};

/** Runs `work` over `items`, at most `limit` at a time. */
const pool = async <A, B>(items: readonly A[], limit: number, work: (a: A) => Promise<B>): Promise<B[]> => {
  const out: B[] = new Array(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as A);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, run));
  return out;
};

const partition = (parsed: readonly ParsedRecord[]) => {
  const changes: Change[] = [];
  const holds: HoldItem[] = [];
  const moves: BreakerMoveItem[] = [];
  const malformed: MalformedRecord[] = [];
  let ignored = 0;
  for (const p of parsed) {
    if (p._tag === 'Change') {
      // a hold event is trail work like the others, and may give an operator event (expiry)
      if (p.change.kind === 'hold') holds.push(p.change.hold);
      changes.push(p.change);
    } else if (p._tag === 'Move') moves.push(p.move);
    else if (p._tag === 'Malformed') malformed.push({ sequenceNumber: p.sequenceNumber, reason: p.reason });
    else ignored += 1;
  }
  return { changes, holds, moves, malformed, ignored };
};

const observe = (deps: ProjectorDeps, report: ProjectionReport): void => {
  const t = deps.telemetry;
  t.count('RecordsReceived', report.records);
  t.count('RecordsIgnored', report.ignored);
  t.count('MalformedRecords', report.malformed.length);
  t.count(
    'DuplicatesSkipped',
    report.messages.reduce((n, m) => n + m.duplicates, 0),
  );
  t.count(
    'AttemptsHealed',
    report.messages.reduce((n, m) => n + m.healed, 0),
  );
  t.count('MessageFailures', report.failed.length);
  for (const m of report.malformed) t.logger.error('malformed stream record skipped', { ...m });
  for (const f of report.failed) {
    // retryable: the records come back (Lambda retry, poller retry); the rest needs a person
    const level = isRetryableProjectorError(f.error) ? 'warn' : 'error';
    t.logger[level]('audit trail not updated', {
      messageId: f.messageId,
      error: describeProjectorError(f.error),
      tag: f.error._tag,
      ...(f.error._tag === 'Store' ? { errorCode: f.error.error.code, dynamoErrorCode: f.error.error.awsCode } : {}),
      sequenceNumbers: f.sequenceNumbers,
    });
  }
};

/** Raises the batch's newest success/failure markers, one update per bucket shard and kind; the error, or null. */
const raiseMarkers = async (deps: ProjectorDeps, applied: readonly MessageOutcome[]): Promise<StoreError | null> => {
  const markers = coalesceMarkers(applied.flatMap((m) => m.healthMarkers));
  if (markers.length === 0) return null;
  const r = await storeOf(deps).raiseHealthMarkers(markers)();
  return E.isLeft(r) ? r.left : null;
};

/**
 * The projector's core, shared by the Lambda handler and the local poller: decodes raw
 * stream records, groups the changes by message (coalescing: one apply, hence one write per
 * segment, per message) and applies the messages in parallel. Never rejects: failures are
 * in the report, with the sequence numbers to report back.
 */
export const projectMessages = async (deps: ProjectorDeps, records: readonly unknown[]): Promise<ProjectionReport> => {
  const { changes, holds, moves, malformed, ignored } = partition(records.map(parseStreamRecord));
  const groups = [...groupByMessage(changes)];
  // The breakers see every attempt the batch carried (their `seen` marker skips replays) and
  // are decided alongside the trail, not after it: the decision lag (README, "Endpoint
  // breaker: decision lag") then does not include the batch's trail writes.
  const deciding = decideBreakers(
    deps,
    changes.flatMap((c) => (c.kind === 'attempt' ? [c.attempt] : [])),
  ).catch((error: unknown): BreakerReport => {
    // awaited only after the applies: a rejection must not go unhandled meanwhile
    deps.telemetry.logger.warn('endpoint breakers not decided', {
      error: error instanceof Error ? error.message : String(error),
    });
    return { transitions: [], warnings: [], failed: 1 };
  });
  const gate = createBatchGate({ maxWaitMs: GATHER_WAIT_MS });
  const io = gatheredIo(storeOf(deps), gate);
  const results = await pool(groups, deps.concurrency, async ([messageId, group]) => {
    gate.enter();
    try {
      return { messageId, group, result: await applyMessage(deps, messageId, group, io)() };
    } finally {
      gate.leave();
    }
  });
  const applied: MessageOutcome[] = [];
  const failed: FailedMessage[] = [];
  const sequencesOf = new Map(
    results.map((r) => [r.messageId, sortSequenceNumbers(r.group.map((c) => c.sequenceNumber))]),
  );
  for (const { messageId, result } of results) {
    if (E.isRight(result)) applied.push(result.right);
    else failed.push({ messageId, sequenceNumbers: sequencesOf.get(messageId) ?? [], error: result.left });
  }
  const markers = await raiseMarkers(deps, applied);
  // a marker not raised: its messages' records come back (their counts are in; the head guard
  // keeps them from counting twice) and raise it then
  const messages = applied.filter((m) => markers === null || m.healthMarkers.length === 0);
  for (const m of applied) {
    if (markers !== null && m.healthMarkers.length > 0)
      failed.push({
        messageId: m.messageId,
        sequenceNumbers: sequencesOf.get(m.messageId) ?? [],
        error: storeFailure(m.messageId)(markers),
      });
  }
  const failedSequenceNumbers = sortSequenceNumbers([
    ...malformed.flatMap((m) => (m.sequenceNumber === null ? [] : [m.sequenceNumber])),
    ...failed.flatMap((f) => f.sequenceNumbers),
  ]);
  const breakers = await deciding;
  // after every trail write of the batch: publishing can neither block nor undo the trail
  const events = await publishEvents(deps, [
    ...messages.flatMap((m) => m.events),
    ...breaker.eventsOf(breakers.transitions, breakers.warnings),
    ...(await holdAndMoveEvents(deps, holds, moves)),
  ]);
  const report = {
    records: records.length,
    ignored,
    malformed,
    messages,
    failed,
    failedSequenceNumbers,
    events,
    breakers,
  };
  observe(deps, report);
  return report;
};
