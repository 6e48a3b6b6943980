import {
  type AttemptItem,
  type AuditEntry,
  deepEqual,
  type HoldItem,
  type RedriveItem,
  type RequeueItem,
  rebuildAuditTrail,
} from '@delivery-history/core';

// Invariant 6, audit half: the stored trail == rebuildAuditTrail(attempts, redrives, holds, requeues).

export type TrailDrift =
  /** The trail is a strict prefix of the rebuilt one: the projector has not caught up. */
  | { readonly kind: 'behind'; readonly stored: number; readonly expected: number }
  /** The trail differs from the rebuilt one at `at` (0-based entry index). */
  | { readonly kind: 'mismatch'; readonly stored: number; readonly expected: number; readonly at: number };

export const checkTrail = (
  stored: ReadonlyArray<AuditEntry>,
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
  requeues: ReadonlyArray<RequeueItem> = [],
): TrailDrift | null => {
  const expected = rebuildAuditTrail(attempts, redrives, holds, requeues);
  const common = Math.min(stored.length, expected.length);
  let at = 0;
  while (at < common && deepEqual(stored[at], expected[at])) at++;
  if (at === stored.length && at === expected.length) return null;
  if (at === stored.length) return { kind: 'behind', stored: stored.length, expected: expected.length };
  return { kind: 'mismatch', stored: stored.length, expected: expected.length, at };
};
