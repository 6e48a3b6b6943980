import { type AuditEntry, decodeWith, size } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { Corrupt } from '../errors/storeError.js';
import { AUDIT_PREFIX } from '../keys.js';
import { AuditHeadItem, AuditSegmentItem, type AuditSummary, summaryOf } from './auditItems.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type SegmentInfo = {
  readonly segment: number;
  readonly entryCount: number;
  /** `size.item` of the stored item (for budget checks by verify). */
  readonly bytes: number;
};

export type AuditTrail = {
  readonly messageId: string;
  /** null: the message has no trail yet. */
  readonly summary: AuditSummary | null;
  /** All entries, in trail order (compare with core's `rebuildAuditTrail`). */
  readonly entries: readonly AuditEntry[];
  readonly segments: readonly SegmentInfo[];
  /** Segments numbered at or past `summary.segments` (left over by an interrupted rewrite); not part of the trail. */
  readonly stale: readonly number[];
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

type Raw = Readonly<Record<string, unknown>>;

const isAuditItem = (u: unknown): u is Raw =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Raw).sk === 'string' &&
  String((u as Raw).sk).startsWith(AUDIT_PREFIX);

type Decoded = { readonly segment: AuditSegmentItem; readonly head: AuditHeadItem | null; readonly bytes: number };

const decodeSegment =
  (messageId: string) =>
  (raw: Raw): E.Either<Corrupt, Decoded> => {
    const sk = String(raw.sk);
    const asCorrupt = (e: { message: string }) =>
      Corrupt({ op: 'decodeAuditTrail', messageId, item: sk, cause: e }, e.message);
    if (raw.segment === 0) {
      return pipe(
        decodeWith(AuditHeadItem, raw),
        E.bimap(asCorrupt, (head) => ({ segment: head, head, bytes: size.item(raw) })),
      );
    }
    return pipe(
      decodeWith(AuditSegmentItem, raw),
      E.bimap(asCorrupt, (segment) => ({ segment, head: null, bytes: size.item(raw) })),
    );
  };

/**
 * THE audit trail decoder: the trail from a message's items (any mix: a whole-partition
 * read, `getHistory`'s `audit`, or just the AUDIT# items). Non-audit items are ignored; a
 * segment that does not decode is `Corrupt` with `item` = its sort key.
 */
export const decodeAuditTrail = (messageId: string, items: readonly unknown[]): E.Either<Corrupt, AuditTrail> =>
  pipe(
    items.filter(isAuditItem),
    A.traverse(E.Applicative)(decodeSegment(messageId)),
    E.map((decoded) => {
      const sorted = [...decoded].sort((a, b) => a.segment.segment - b.segment.segment);
      const head = sorted.find((d) => d.head !== null)?.head ?? null;
      const count = head === null ? 0 : head.segments;
      const live = sorted.filter((d) => d.segment.segment < count);
      return {
        messageId,
        summary: head === null ? null : summaryOf(head),
        entries: live.flatMap((d) => d.segment.entries),
        segments: live.map((d) => ({
          segment: d.segment.segment,
          entryCount: d.segment.entries.length,
          bytes: d.bytes,
        })),
        stale: sorted.filter((d) => d.segment.segment >= count).map((d) => d.segment.segment),
      };
    }),
  );
