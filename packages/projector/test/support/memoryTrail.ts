// An in-memory table of audit segments that applies planned steps exactly as the DynamoDB
// writes do (for pure tests of the packing).
import type { AuditEntry } from '@delivery-history/core';
import { auditTrailOf } from '@delivery-history/projector/testing';
import type { AuditHeadItem } from '@delivery-history/store';
import type { AppendStep } from '@delivery-history/store';
import { auditKey } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';

export type MemoryTrail = {
  readonly items: Map<number, Record<string, unknown>>;
  head(): AuditHeadItem | null;
  apply(step: AppendStep): void;
  entries(): AuditEntry[];
};

export const memoryTrail = (messageId: string): MemoryTrail => {
  const items = new Map<number, Record<string, unknown>>();
  const seg = (n: number): Record<string, unknown> =>
    items.get(n) ?? { ...auditKey(messageId, n), type: 'AUDIT', messageId, segment: n, entries: [] };
  const trail = () => {
    const t = auditTrailOf(messageId, [...items.values()]);
    if (E.isLeft(t)) throw new Error(t.left.message);
    return t.right;
  };
  return {
    items,
    head: () => {
      const h = items.get(0);
      return h === undefined ? null : (h as unknown as AuditHeadItem);
    },
    apply: (step) => {
      const h = items.get(0);
      if (
        step.expect === null
          ? h !== undefined
          : h?.through !== step.expect.through ||
            h?.redrives !== step.expect.redrives ||
            (h?.holds ?? 0) !== step.expect.holds ||
            (h?.requeues ?? 0) !== step.expect.requeues
      ) {
        throw new Error('condition failed');
      }
      const head = seg(0);
      items.set(0, { ...head, entries: [...(head.entries as AuditEntry[]), ...step.headEntries], ...step.summary });
      if (step.tail !== null) {
        const t = seg(step.tail.segment);
        items.set(step.tail.segment, { ...t, entries: [...(t.entries as AuditEntry[]), ...step.tail.entries] });
      }
      for (const s of step.newSegments) items.set(s.segment, { ...seg(s.segment), entries: [...s.entries] });
    },
    entries: () => [...trail().entries],
  };
};
