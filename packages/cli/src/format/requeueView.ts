import type { RequeueItem } from '@delivery-history/core';
import { oneLine } from './describe.js';
import { renderTable } from './table.js';
import { absoluteTime, relativeTime } from './time.js';

// The requeue events of `dh history` (text and JSON): stalled messages pushed again by
// `dh replay redrive --stalled-after`, who, why, when.

export const requeueSection = (requeues: ReadonlyArray<RequeueItem>, now: Date): string =>
  requeues.length === 0
    ? ''
    : `\nRequeued (${requeues.length}): stalled, pushed to the queue again\n${renderTable(
        ['AT', 'BY', 'WAS', 'WAITING SINCE', 'REASON'],
        requeues.map((x) => [
          `${absoluteTime(x.at)} (${relativeTime(x.at, now)})`,
          x.requestedBy,
          x.status,
          absoluteTime(x.waitingSince),
          oneLine(x.reason, 80),
        ]),
      )}`;

export const requeueJson = (x: RequeueItem) => ({
  at: x.at,
  requestedBy: x.requestedBy,
  reason: x.reason,
  status: x.status,
  waitingSince: x.waitingSince,
});
