import {
  type AttemptItem,
  type AuditEntry,
  type HoldItem,
  type RedriveItem,
  type RequeueItem,
  rebuildAuditTrail,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { type AuditSegmentItem, headItem, segmentItem } from './auditItems.js';
import { type AppendStep, type EntryTooLarge, planAppend } from './planAppend.js';
import { DEFAULT_SEGMENT_BUDGET, type SegmentBudget, segmentBudget } from './segmentBudget.js';

export type AuditSegmentWrite = AuditSegmentItem & { readonly pk: string; readonly sk: string };

const NO_LIMITS = { maxStepBytes: Number.POSITIVE_INFINITY, maxNewSegments: Number.POSITIVE_INFINITY };

const latest = (entries: readonly AuditEntry[]): string =>
  entries.reduce((max, e) => (e.at > max ? e.at : max), '1970-01-01T00:00:00.000Z');

/**
 * The whole audit trail of a message as segment items (head first, keys included), packed
 * exactly as the live projector packs them: `rebuildAuditTrail(attempts, redrives, holds, requeues)` split
 * by the budget. Replay writes these to repair a trail from scratch. `updatedAt` defaults to
 * the newest entry's time, so the result depends on the events only. No events: [].
 */
export const rebuildAuditSegments = (
  messageId: string,
  attempts: readonly AttemptItem[],
  redrives: readonly RedriveItem[],
  budget: number | SegmentBudget = DEFAULT_SEGMENT_BUDGET,
  options: {
    readonly now?: string;
    readonly holds?: readonly HoldItem[];
    readonly requeues?: readonly RequeueItem[];
  } = {},
): E.Either<EntryTooLarge, AuditSegmentWrite[]> => {
  const entries = rebuildAuditTrail(attempts, redrives, options.holds ?? [], options.requeues ?? []);
  if (entries.length === 0) return E.right([]);
  const plan = planAppend({
    messageId,
    head: null,
    entries,
    budget: typeof budget === 'number' ? segmentBudget(budget) : budget,
    now: options.now ?? latest(entries),
    limits: NO_LIMITS,
  });
  return E.map((steps: AppendStep[]) => {
    const [only] = steps;
    if (only === undefined) return [];
    return [
      headItem(messageId, only.headEntries, only.summary),
      ...only.newSegments.map((s) => segmentItem(messageId, s.segment, s.entries)),
    ];
  })(plan);
};
