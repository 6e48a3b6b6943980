import { size } from '@delivery-history/core';

// ---------------------------------------------------------------------------
// Size budgets of audit segments, in core's `size.item` bytes.
//
// Why two numbers: DynamoDB bills an UpdateItem by the larger of the item before and after,
// and the projector reads the head segment (it carries the summary) on every apply. So the
// head stays small (the whole trail of an ordinary message: ~100 entries) and the later
// segments, touched only by messages with very many attempts, are larger but still far
// below the 400 KB item limit.
// ---------------------------------------------------------------------------

export type SegmentBudget = {
  /** Cap of `AUDIT#0000` (summary + first entries). */
  readonly headBytes: number;
  /** Cap of every later segment. */
  readonly segmentBytes: number;
};

export const DEFAULT_SEGMENT_BYTES = 64 * 1024;
export const DEFAULT_HEAD_BYTES = 16 * 1024;
/** No configuration may go above this: a margin under DynamoDB's 400 KB for accounting slack. */
export const MAX_SEGMENT_BYTES = size.ITEM_LIMIT_BYTES - 50 * 1024;
/** Room for keys, summary and at least a few entries. */
export const MIN_SEGMENT_BYTES = 1024;

const checkBytes = (name: string, n: number): number => {
  if (!Number.isInteger(n) || n < MIN_SEGMENT_BYTES || n > MAX_SEGMENT_BYTES) {
    // programmer/config error: config decoding rejects these before they get here
    throw new RangeError(`${name} must be an integer in ${MIN_SEGMENT_BYTES}..${MAX_SEGMENT_BYTES}, got ${n}`);
  }
  return n;
};

/**
 * A budget from one number (the segment cap; the head gets min(16 KiB, that)) or both.
 * Throws RangeError outside MIN..MAX (a programmer error).
 */
export const segmentBudget = (budget: number | Partial<SegmentBudget> = {}): SegmentBudget => {
  const b = typeof budget === 'number' ? { segmentBytes: budget } : budget;
  const segmentBytes = checkBytes('segmentBytes', b.segmentBytes ?? DEFAULT_SEGMENT_BYTES);
  const headBytes = checkBytes('headBytes', b.headBytes ?? Math.min(DEFAULT_HEAD_BYTES, segmentBytes));
  return { headBytes, segmentBytes };
};

export const DEFAULT_SEGMENT_BUDGET: SegmentBudget = segmentBudget();

export const capOf = (budget: SegmentBudget, segment: number): number =>
  segment === 0 ? budget.headBytes : budget.segmentBytes;
