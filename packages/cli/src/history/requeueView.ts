import type { RequeueItem } from '@delivery-history/core';
import { oneLine } from '../kit/format/describe.js';
import type { Column } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { absoluteTime, formatTime } from '../kit/format/time.js';
import { eventSection } from './eventSection.js';

// The requeue events of `dh history` (text and JSON): stalled messages pushed again by
// `dh replay redrive --stalled-after`, who, why, when.

const COLUMNS: ReadonlyArray<Column> = [
  { head: 'AT' },
  { head: 'BY', shrink: 8 },
  { head: 'WAS', drop: 2 },
  { head: 'WAITING SINCE', drop: 1 },
  { head: 'REASON', shrink: 12 },
];

export const requeueSection = (requeues: ReadonlyArray<RequeueItem>, now: Date, layout: Layout = PLAIN): string =>
  eventSection(
    'Requeued',
    'stalled, pushed to the queue again',
    COLUMNS,
    requeues.map((x) => [
      formatTime(x.at, now, layout.zone),
      x.requestedBy,
      x.status,
      absoluteTime(x.waitingSince, layout.zone),
      oneLine(x.reason, 80),
    ]),
    layout,
  );

export const requeueJson = (x: RequeueItem) => ({
  at: x.at,
  requestedBy: x.requestedBy,
  reason: x.reason,
  status: x.status,
  waitingSince: x.waitingSince,
});
