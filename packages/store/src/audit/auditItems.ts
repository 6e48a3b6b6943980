import { AuditEntry, IsoTimestamp, NonNegativeInt, PositiveInt } from '@delivery-history/core';
import * as t from 'io-ts';
import { auditKey } from '../keys.js';

// ---------------------------------------------------------------------------
// model: audit segments `AUDIT#<segment padded to 4>` under `MSG#<id>`.
// Every segment holds `entries` in trail order; the head (`AUDIT#0000`) also holds the
// summary, whose `through`/`redrives` pair is the high-water mark the projector's
// conditional writes check.
// ---------------------------------------------------------------------------

const segmentProps = {
  type: t.literal('AUDIT'),
  messageId: t.string,
  segment: NonNegativeInt,
  entries: t.array(AuditEntry),
};

export const AuditSegmentItem = t.exact(t.type(segmentProps, 'AuditSegmentItem'), 'AuditSegmentItem');
export type AuditSegmentItem = t.TypeOf<typeof AuditSegmentItem>;

export const summaryProps = {
  /** How many segments the trail has (head included). */
  segments: PositiveInt,
  /** High-water mark: the last attempt number applied (= attempts in the trail). */
  through: NonNegativeInt,
  /** Redrive entries applied (= the last redrive number applied). */
  redrives: NonNegativeInt,
  /** Entries over all segments. */
  entryCount: NonNegativeInt,
  /** Accounted size of the tail segment, so appends need not read it. */
  tailBytes: NonNegativeInt,
  updatedAt: IsoTimestamp,
};

/**
 * Hold entries applied (= the last hold number applied) and requeue entries applied (= the
 * last requeue number); absent on heads written before these reached the trail (= 0).
 */
const holdsProps = { holds: NonNegativeInt, requeues: NonNegativeInt };

export const AuditSummary = t.type({ ...summaryProps, ...holdsProps }, 'AuditSummary');
export type AuditSummary = t.TypeOf<typeof AuditSummary>;

export const AuditHeadItem = t.exact(
  t.intersection([t.type({ ...segmentProps, ...summaryProps }), t.partial(holdsProps)], 'AuditHeadItem'),
  'AuditHeadItem',
);
export type AuditHeadItem = t.TypeOf<typeof AuditHeadItem>;

export const summaryOf = (h: AuditHeadItem): AuditSummary => ({
  segments: h.segments,
  through: h.through,
  redrives: h.redrives,
  holds: h.holds ?? 0,
  requeues: h.requeues ?? 0,
  entryCount: h.entryCount,
  tailBytes: h.tailBytes,
  updatedAt: h.updatedAt,
});

// ---------------------------------------------------------------------------
// constructors: the items as written (keys included)
// ---------------------------------------------------------------------------

export const segmentItem = (
  messageId: string,
  segment: number,
  entries: readonly AuditEntry[],
): AuditSegmentItem & { pk: string; sk: string } => ({
  ...auditKey(messageId, segment),
  type: 'AUDIT',
  messageId,
  segment,
  entries: [...entries],
});

export const headItem = (
  messageId: string,
  entries: readonly AuditEntry[],
  summary: AuditSummary,
): AuditHeadItem & { pk: string; sk: string } => ({ ...segmentItem(messageId, 0, entries), ...summary });
