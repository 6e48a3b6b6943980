import type { AuditEntry } from '@delivery-history/core';
import type { AuditSummary } from './auditItems.js';

// ---------------------------------------------------------------------------
// model: one write of the audit trail, as the projector plans it (its planAppend) and the
// store's AUDIT writer performs it
// ---------------------------------------------------------------------------

/** The high-water mark a conditional write expects to find on the head. */
export type AuditPosition = {
  readonly through: number;
  readonly redrives: number;
  readonly holds: number;
  readonly requeues: number;
};

export type SegmentAppend = { readonly segment: number; readonly entries: readonly AuditEntry[] };

/**
 * One write (a single-item write or one transaction): the head's summary moves from
 * `expect` to `summary`; entries go to the head, to the existing tail and to new segments.
 */
export type AuditStep = {
  /** null: the trail does not exist yet (the head is created, `attribute_not_exists`). */
  readonly expect: AuditPosition | null;
  readonly summary: AuditSummary;
  /** Appended to the head (all of its entries when `expect` is null). */
  readonly headEntries: readonly AuditEntry[];
  /** Appended to an existing later segment. */
  readonly tail: SegmentAppend | null;
  readonly newSegments: readonly SegmentAppend[];
};
