import { type AuditEntry, isEntry } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { type AuditHeadItem, type AuditSummary, summaryOf } from './auditItems.js';
import type { AuditPosition, AuditStep } from './auditStep.js';
import { capOf, type SegmentBudget } from './segmentBudget.js';
import { emptySegmentBytes, entryBytes, segmentBytes } from './sizing.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** The high-water mark a conditional write expects to find on the head (the store's AUDIT writer checks it). */
export type Position = AuditPosition;

/**
 * One write (a single-item write or one transaction), as the store's `writeAuditStep` takes
 * it: the head's summary moves from `expect` to `summary`; entries go to the head, to the
 * existing tail and to new segments.
 */
export type AppendStep = AuditStep;

/** One audit entry alone does not fit an empty segment under the budget. */
export interface EntryTooLarge {
  readonly _tag: 'EntryTooLarge';
  readonly messageId: string;
  readonly n: number;
  readonly bytes: number;
  readonly budget: number;
}
export const EntryTooLarge = (f: Omit<EntryTooLarge, '_tag'>): EntryTooLarge => ({ _tag: 'EntryTooLarge', ...f });

/** Bounds of one step, so a transaction stays far below 100 actions and 4 MB. */
export type StepLimits = { readonly maxStepBytes: number; readonly maxNewSegments: number };

export const DEFAULT_STEP_LIMITS: StepLimits = { maxStepBytes: 1024 * 1024, maxNewSegments: 16 };

export type PlanInput = {
  readonly messageId: string;
  /** The head as read (null when the message has no trail yet). */
  readonly head: AuditHeadItem | null;
  /** New entries in trail order, all after the head's high-water mark. */
  readonly entries: readonly AuditEntry[];
  readonly budget: SegmentBudget;
  readonly now: string;
  readonly limits?: StepLimits;
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

type OpenStep = {
  expect: Position | null;
  headEntries: AuditEntry[];
  tail: { segment: number; entries: AuditEntry[] } | null;
  newSegments: { segment: number; entries: AuditEntry[] }[];
  bytes: number;
};

const positionOf = (s: AuditSummary): Position => ({
  through: s.through,
  redrives: s.redrives,
  holds: s.holds,
  requeues: s.requeues,
});

const emptyStep = (expect: Position | null): OpenStep => ({
  expect,
  headEntries: [],
  tail: null,
  newSegments: [],
  bytes: 0,
});

const initialSummary = (messageId: string, now: string): AuditSummary => ({
  segments: 1,
  through: 0,
  redrives: 0,
  holds: 0,
  requeues: 0,
  entryCount: 0,
  tailBytes: emptySegmentBytes(messageId, 0),
  updatedAt: now,
});

const advance = (s: AuditSummary, e: AuditEntry, segment: number, tailBytes: number, now: string): AuditSummary => ({
  segments: segment + 1,
  through: isEntry(e, 'attempt') ? e.n : s.through,
  redrives: isEntry(e, 'redrive') ? s.redrives + 1 : s.redrives,
  holds: isEntry(e, 'hold') ? e.hold : s.holds,
  requeues: isEntry(e, 'requeue') ? e.requeue : s.requeues,
  entryCount: s.entryCount + 1,
  tailBytes,
  updatedAt: now,
});

const place = (step: OpenStep, segment: number, e: AuditEntry): void => {
  const last = step.newSegments[step.newSegments.length - 1];
  if (segment === 0) step.headEntries.push(e);
  else if (last !== undefined && last.segment === segment) last.entries.push(e);
  else {
    step.tail ??= { segment, entries: [] };
    step.tail.entries.push(e);
  }
};

/**
 * Splits new entries into segment appends: an entry that would take its segment over the
 * budget opens the next segment; steps are cut at `limits`. Pure; the caller writes each
 * step with a condition on `expect`. Fails only when one entry cannot fit an empty segment.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the segment-rolling arithmetic, kept in one pass so sizes are computed once
export const planAppend = (input: PlanInput): E.Either<EntryTooLarge, AppendStep[]> => {
  const { messageId, budget, now } = input;
  const limits = input.limits ?? DEFAULT_STEP_LIMITS;
  let summary = input.head === null ? initialSummary(messageId, now) : summaryOf(input.head);
  let segment = summary.segments - 1;
  // the head as tail is measured from its entries (its stored tailBytes may predate a rewrite)
  let tailBytes =
    segment === 0 && input.head !== null ? segmentBytes(messageId, 0, input.head.entries) : summary.tailBytes;
  const steps: AppendStep[] = [];
  let step = emptyStep(input.head === null ? null : positionOf(summary));
  const close = (): void => {
    if (step.bytes === 0) return;
    steps.push({
      expect: step.expect,
      summary,
      headEntries: step.headEntries,
      tail: step.tail,
      newSegments: step.newSegments,
    });
    step = emptyStep(positionOf(summary));
  };
  for (const e of input.entries) {
    const size = entryBytes(e);
    if (step.bytes > 0 && step.bytes + size > limits.maxStepBytes) close();
    if (tailBytes + size > capOf(budget, segment)) {
      if (step.newSegments.length >= limits.maxNewSegments) close();
      segment += 1;
      tailBytes = emptySegmentBytes(messageId, segment);
      if (tailBytes + size > capOf(budget, segment)) {
        return E.left(EntryTooLarge({ messageId, n: e.n, bytes: size, budget: capOf(budget, segment) }));
      }
      step.newSegments.push({ segment, entries: [] });
    }
    place(step, segment, e);
    tailBytes += size;
    step.bytes += size;
    summary = advance(summary, e, segment, tailBytes, now);
  }
  if (step.bytes > 0) close();
  return E.right(steps);
};
