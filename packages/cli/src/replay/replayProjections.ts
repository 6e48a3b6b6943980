import type { StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { StoreError } from '@delivery-history/store';
import { sleep as defaultSleep, type Sleep } from '@delivery-history/core';
import type { Progress } from '../kit/format/progress.js';
import { type DecodedMessage, decodePartition } from '../kit/table/decodePartition.js';
import { checkProjection, type FieldDrift } from '../verify/projectionDrift.js';
import type { RepairOutcome } from './repairOutcome.js';
import { TableError } from '../kit/table/tableError.js';
import { boundedTally } from '../kit/boundedTally.js';
import { forEachMessage, type RawItem, type ScannedMessage, type TableReader } from '../kit/table/tableReader.js';
import { checkTrail, type TrailDrift } from '../verify/trailDrift.js';
import type { TrailReader } from '../verify/verifyMessage.js';

// `dh replay projections`: recompute every STATE projection (fold) and audit trail
// (rebuild) from the attempts; report drift, or repair it with conditional writes that
// lose to any concurrent live write (a conflict means: read again, check again).

export type ReplayDeps = {
  readonly reader: TableReader;
  readonly trailOf: TrailReader;
  /** Writes `expected`'s projection only if STATE still equals `observed` (store's repairProjection). */
  readonly repairProjection: (messageId: string, expected: StateItem, observed: StateItem) => Promise<RepairOutcome>;
  /** Rewrites the audit trail from the message's attempts and redrives (projector). */
  readonly repairTrail: (message: DecodedMessage) => Promise<RepairOutcome>;
  readonly progress?: Progress;
  /** Called for each message with drift, as found (streaming output). */
  readonly onDrift?: (d: MessageReplay) => void;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
};

export type ReplayOptions = {
  readonly dryRun: boolean;
  readonly segments: number;
  readonly concurrency?: number;
  /** Scan pages held at once across all segments (default 8; forEachParallel's DEFAULT_PAGE_BUDGET). */
  readonly pageBudget?: number;
  /** These messages only (default: the whole table). */
  readonly messageIds?: ReadonlyArray<string>;
  /** Drift entries kept in the report (counts stay exact). */
  readonly maxReported?: number;
  /** Repair rounds per message before giving up on a busy message. */
  readonly maxRounds?: number;
  /** Drift is confirmed by a second read after this pause (a live write may race the first). */
  readonly recheckDelayMs?: number;
};

export type ReplayAction =
  | 'would-repair'
  | 'repaired'
  /** A live write fixed it before any repair landed (nothing written by replay). */
  | 'resolved-live'
  | 'skipped-in-flight'
  | 'busy'
  | 'failed'
  | 'not-found';

export type MessageReplay = {
  readonly messageId: string;
  readonly fields: ReadonlyArray<FieldDrift>;
  readonly auditTrail: TrailDrift | null;
  readonly error: string | null;
  readonly action: ReplayAction;
  readonly detail: string | null;
};

export type ReplayReport = {
  readonly dryRun: boolean;
  readonly scanned: number;
  readonly drifted: number;
  readonly actions: Record<ReplayAction, number>;
  readonly drift: ReadonlyArray<MessageReplay>;
  readonly omitted: number;
  readonly durationMs: number;
};

type Look = {
  readonly m: DecodedMessage;
  readonly fields: ReadonlyArray<FieldDrift>;
  readonly trail: TrailDrift | null;
  readonly error: string | null;
  readonly expected: StateItem | null;
};

const isClean = (l: Look): boolean => l.error === null && l.fields.length === 0 && l.trail === null;

/** `scanned`: the items a table scan already returned (checked first; drift is re-read). */
const look = async (
  deps: ReplayDeps,
  messageId: string,
  scanned?: ReadonlyArray<RawItem> | null,
): Promise<E.Either<StoreError, Look>> => {
  const read =
    scanned !== undefined && scanned !== null ? E.right(scanned) : await deps.reader.readPartition(messageId)();
  return E.map((items: ReadonlyArray<RawItem>) => lookAt(deps, messageId, items))(read);
};

const lookAt = (deps: ReplayDeps, messageId: string, items: ReadonlyArray<RawItem>): Look => {
  // retention: an expired partition is gone (never "repaired" while DynamoDB deletes it)
  const m = decodePartition(messageId, items, new Date((deps.clock ?? Date.now)()));
  const none = { m, fields: [], trail: null, expected: null };
  if (m.state === null) return { ...none, error: m.corrupt.length > 0 ? 'STATE does not decode' : null };
  if (m.corrupt.length > 0) return { ...none, error: `items do not decode: ${m.corrupt.map((c) => c.sk).join(', ')}` };
  const projection = checkProjection(m.state, m.attempts, m.redrives, m.holds);
  if (E.isLeft(projection)) return { ...none, error: projection.left };
  const trail = deps.trailOf(messageId, m.auditItems);
  if (E.isLeft(trail)) {
    return {
      m,
      fields: projection.right.fields,
      trail: null,
      expected: projection.right.expected,
      error: `audit trail: ${trail.left}`,
    };
  }
  return {
    m,
    fields: projection.right.fields,
    trail: checkTrail(trail.right?.entries ?? [], m.attempts, m.redrives, m.holds, m.requeues),
    expected: projection.right.expected,
    error: null,
  };
};

const repairOnce = async (deps: ReplayDeps, l: Look): Promise<RepairOutcome> => {
  if (l.error !== null || l.m.state === null || l.expected === null) {
    return { _tag: 'Failed', message: l.error ?? 'no STATE' };
  }
  if (l.fields.length > 0) {
    const r = await deps.repairProjection(l.m.messageId, l.expected, l.m.state);
    if (r._tag !== 'Repaired') return r;
  }
  return l.trail === null ? { _tag: 'Repaired' } : deps.repairTrail(l.m);
};

/** null: nothing to do; 'absent': no such message (a scanned partition without STATE). */
const replayOne = async (
  deps: ReplayDeps,
  o: ReplayOptions,
  messageId: string,
  scanned: ReadonlyArray<RawItem> | null,
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: read, fold, compare and repair one message; each branch is one documented outcome
): Promise<E.Either<StoreError, MessageReplay | 'absent' | null>> => {
  const sleep = deps.sleep ?? defaultSleep;
  const firstLook = await look(deps, messageId, scanned);
  if (E.isLeft(firstLook)) return firstLook;
  let seen = firstLook.right;
  if (seen.m.state === null && seen.error === null) {
    return E.right(
      o.messageIds === undefined
        ? 'absent'
        : { messageId, fields: [], auditTrail: null, error: null, action: 'not-found', detail: null },
    );
  }
  if (isClean(seen)) return E.right(null);
  // drift seen (in scanned items, or racing a live write): confirm on a consistent read
  await sleep(o.recheckDelayMs ?? 250);
  const confirmed = await look(deps, messageId);
  if (E.isLeft(confirmed)) return confirmed;
  seen = confirmed.right;
  if (isClean(seen) || (seen.m.state === null && seen.error === null)) return E.right(null);
  const first = seen;
  const report = (action: ReplayAction, detail: string | null = null): E.Either<never, MessageReplay> =>
    E.right({ messageId, fields: first.fields, auditTrail: first.trail, error: first.error, action, detail });
  if (o.dryRun) return report(first.error === null ? 'would-repair' : 'failed', first.error);
  let wrote = false;
  for (let round = 0; round < (o.maxRounds ?? 5); round++) {
    const outcome = await repairOnce(deps, seen);
    if (outcome._tag === 'Leased') return report('skipped-in-flight', `leased until ${outcome.expiresAt ?? '?'}`);
    if (outcome._tag === 'Failed') return report('failed', outcome.message);
    if (outcome._tag === 'Repaired') wrote = true;
    const again = await look(deps, messageId);
    if (E.isLeft(again)) return again;
    seen = again.right;
    if (isClean(seen)) return report(wrote ? 'repaired' : 'resolved-live');
  }
  return report('busy', 'still changing after every repair round; run again');
};

/** The report; a table read that failed (after the store's retries) stops the pass: `replay: <error>`. */
export const replayProjections =
  (deps: ReplayDeps, options: ReplayOptions): TE.TaskEither<TableError, ReplayReport> =>
  async () => {
    const r = await runReplay(deps, options);
    return E.isLeft(r) ? E.left(TableError(r.left, 'replay')) : r;
  };

const ACTIONS: ReadonlyArray<ReplayAction> = [
  'would-repair',
  'repaired',
  'resolved-live',
  'skipped-in-flight',
  'busy',
  'failed',
  'not-found',
];

const runReplay = async (deps: ReplayDeps, o: ReplayOptions): Promise<E.Either<StoreError, ReplayReport>> => {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const max = o.maxReported ?? 1000;
  const found = boundedTally<ReplayAction, MessageReplay>(ACTIONS, max);
  let scanned = 0;
  let drifted = 0;
  const tally = (r: MessageReplay | 'absent' | null): void => {
    if (r === 'absent') return;
    scanned++;
    deps.progress?.increment();
    if (r === null) return;
    if (r.action !== 'not-found') drifted++;
    deps.onDrift?.(r);
    found.add(r.action, r);
  };
  const work = async ({ messageId, items }: ScannedMessage) => E.map(tally)(await replayOne(deps, o, messageId, items));
  const pass = await forEachMessage(deps.reader, o, deps.progress, work);
  if (E.isLeft(pass)) return pass;
  return E.right({
    dryRun: o.dryRun,
    scanned,
    drifted,
    actions: found.counts,
    drift: found.kept,
    omitted: found.omitted(),
    durationMs: clock() - started,
  });
};
