import { DEFAULT_BUDGETS, type StoreError, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { sleep as defaultSleep, type SecretPolicy, type Sleep } from '@delivery-history/core';
import type { Progress } from '../kit/format/progress.js';
import { type DecodedMessage, decodePartition } from '../kit/table/decodePartition.js';
import { boundedTally } from '../kit/boundedTally.js';
import { TableError } from '../kit/table/tableError.js';
import { forEachMessage, type RawItem, type ScannedMessage, type TableReader } from '../kit/table/tableReader.js';
import { CHECKS, type CheckName, type TrailReader, type Violation, verifyMessage } from './verifyMessage.js';

// `dh verify`: every invariant over every message of a table (or a list), in a parallel
// segmented scan with constant memory. Only the first `maxViolations` are kept in full;
// counts are always exact.

/** The store's attempt/STATE budget (DEFAULT_BUDGETS.itemBytes); audit segments are smaller. */
export const DEFAULT_ITEM_BUDGET = DEFAULT_BUDGETS.itemBytes;

/** Above the longest wait a healthy message sees (retry back-off up to 15 min, SQS visibility). */
export const DEFAULT_STALLED_AFTER_MS = 3_600_000;

export type VerifyDeps = {
  readonly reader: TableReader;
  readonly trailOf: TrailReader;
  /** The store's secret policy (`store.policies.secrets`): what verify calls a stored secret. */
  readonly secrets?: SecretPolicy;
  readonly progress?: Progress;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  /** Sees every message as read (the demo builds its summary from the same reads). */
  readonly onMessage?: (m: DecodedMessage) => void;
};

export type VerifyOptions = {
  readonly segments: number;
  readonly concurrency?: number;
  /** Scan pages held at once across all segments (default 8). */
  readonly pageBudget?: number;
  /** Largest allowed item (bytes, DynamoDB accounting). */
  readonly itemBudgetBytes: number;
  /** Treat a trail that is a prefix of the rebuilt one (projector lag) as a warning. */
  readonly allowLag?: boolean;
  readonly maxViolations?: number;
  /** Verify these messages only (default: the whole table). */
  readonly messageIds?: ReadonlyArray<string>;
  /** Report a non-final message no worker came back to for this long (default 1 h). */
  readonly stalledAfterMs?: number;
  /** A message that looks wrong is read again after this pause (a live write may have raced the read). */
  readonly recheckDelayMs?: number;
};

export type CheckCounts = { readonly failed: number };

export type VerifyReport = {
  readonly ok: boolean;
  readonly messages: number;
  readonly items: number;
  readonly checks: Record<CheckName, CheckCounts>;
  readonly warnings: ReadonlyArray<CheckName>;
  readonly violations: ReadonlyArray<Violation>;
  /** Violations counted but not listed (over maxViolations). */
  readonly omitted: number;
  readonly durationMs: number;
};

const RACY: ReadonlySet<CheckName> = new Set([
  'projection',
  'audit-trail',
  'audit-trail-behind',
  'dense-attempts',
  // the final append's TTL sync follows its transaction
  'retention',
]);

/** The report; a table read that failed (after the store's retries) stops the pass: `verify: <error>`. */
export const verifyTable =
  (deps: VerifyDeps, options: VerifyOptions): TE.TaskEither<TableError, VerifyReport> =>
  async () => {
    const r = await runVerify(deps, options);
    return E.isLeft(r) ? E.left(TableError(r.left, 'verify')) : r;
  };

const runVerify = async (deps: VerifyDeps, o: VerifyOptions): Promise<E.Either<StoreError, VerifyReport>> => {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const started = clock();
  const max = o.maxViolations ?? 200;
  const tally = boundedTally<CheckName, Violation>(CHECKS, max);
  const { counts } = tally;
  let messages = 0;
  let items = 0;
  const record = (found: ReadonlyArray<Violation>) => {
    for (const v of found) tally.add(v.check, v);
  };
  const checkOne = async (messageId: string, scanned: ReadonlyArray<RawItem> | null = null) => {
    const read = scanned !== null ? E.right(scanned) : await deps.reader.readPartition(messageId)();
    if (E.isLeft(read)) return read;
    const raw = read.right;
    const decoded = decodePartition(messageId, raw, new Date(clock()));
    const found = verifyMessage(decoded, {
      itemBudgetBytes: o.itemBudgetBytes,
      trailOf: deps.trailOf,
      stalledAfterMs: o.stalledAfterMs ?? DEFAULT_STALLED_AFTER_MS,
      now: new Date(clock()),
      ...(deps.secrets !== undefined ? { secrets: deps.secrets } : {}),
    });
    return E.right({ raw, found, decoded });
  };
  /** The message checked, and checked again on a consistent read when something looks wrong. */
  const settled = async (messageId: string, scanned: ReadonlyArray<RawItem> | null) => {
    const first = await checkOne(messageId, scanned);
    if (E.isLeft(first)) return first;
    const racy = first.right.found.some((v) => RACY.has(v.check));
    // scanned items are eventually consistent: a finding is confirmed on a consistent read
    // (a racy one is, after the pause below)
    if (scanned !== null && first.right.found.length > 0 && !racy) return checkOne(messageId);
    if (!racy) return first;
    // a live write may have raced the read: look again a little later
    await sleep(o.recheckDelayMs ?? 250);
    return checkOne(messageId);
  };
  const work = async ({ messageId, items: scanned }: ScannedMessage): Promise<E.Either<StoreError, void>> => {
    const checked = await settled(messageId, scanned);
    if (E.isLeft(checked)) return checked;
    const { raw, found, decoded } = checked.right;
    if (
      o.messageIds === undefined &&
      decoded.state === null &&
      decoded.corrupt.every((c) => c.sk !== tableKeys.STATE_SK)
    ) {
      // scanned, then deleted, or a partition without STATE: not a message, as the scan sees it
      return E.right(undefined);
    }
    deps.onMessage?.(decoded);
    if (raw.length === 0) {
      // asked for by id: it does not exist
      record([{ messageId, check: 'missing', detail: 'no such message' }]);
    } else {
      messages++;
      items += raw.length;
      record(found);
    }
    deps.progress?.increment();
    return E.right(undefined);
  };
  const pass = await forEachMessage(deps.reader, o, deps.progress, work);
  if (E.isLeft(pass)) return pass;
  // an expired lease is a warning (the next claim records the attempt as lost); lag only with --allow-lag
  const warnings: CheckName[] = [
    ...(o.allowLag === true && counts['audit-trail-behind'] > 0 ? ['audit-trail-behind' as const] : []),
    ...(counts['lease-expired'] > 0 ? ['lease-expired' as const] : []),
  ];
  const failing = CHECKS.filter((c) => counts[c] > 0 && !warnings.includes(c));
  return E.right({
    ok: failing.length === 0,
    messages,
    items,
    checks: Object.fromEntries(CHECKS.map((c) => [c, { failed: counts[c] }])) as Record<CheckName, CheckCounts>,
    warnings,
    violations: tally.kept,
    omitted: tally.omitted(),
    durationMs: clock() - started,
  });
};
