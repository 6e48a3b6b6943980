import {
  dedupeOperatorEvents,
  type OperatorEvent,
  type OperatorEventPublisher,
  type PublishError,
  type PublishReport,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

/** The local stand-in for EventBridge: keeps every published operator event in memory. */
export type MemoryEventSink = OperatorEventPublisher & {
  /** Every event published, duplicates included (delivery is at-least-once). */
  readonly events: readonly OperatorEvent[];
  /** One event per id: what a consumer that dedupes by `eventId` keeps. */
  unique(): OperatorEvent[];
  /** Counts of unique events by detail type (`delivery.failed`, ...). */
  counts(): Record<string, number>;
  /** Fault injection: the next `n` publish calls fail as a whole. */
  failNext(n: number): void;
};

export const memoryEventSink = (): MemoryEventSink => {
  const events: OperatorEvent[] = [];
  let failing = 0;
  const unique = (): OperatorEvent[] => dedupeOperatorEvents(events);
  return {
    events,
    unique,
    counts: () => {
      const out: Record<string, number> = {};
      for (const e of unique()) out[e.detailType] = (out[e.detailType] ?? 0) + 1;
      return out;
    },
    failNext: (n) => {
      failing = n;
    },
    publish: async (batch): Promise<E.Either<PublishError, PublishReport>> => {
      if (failing > 0) {
        failing -= 1;
        return E.left({ _tag: 'PublishError', message: 'injected sink failure', failed: batch.length });
      }
      events.push(...batch);
      return E.right({ published: batch.length, failed: [] });
    },
  };
};
