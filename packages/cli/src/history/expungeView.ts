import type { ExpungeItem } from '@delivery-history/core';
import { oneLine } from '../kit/format/describe.js';
import type { Column } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatTime } from '../kit/format/time.js';
import { eventSection } from './eventSection.js';

// The expunge events of `dh history` (text and JSON), and the report of `dh expunge`.

const COLUMNS: ReadonlyArray<Column> = [
  { head: '#', align: 'right' },
  { head: 'SCOPE', drop: 2 },
  { head: 'AT' },
  { head: 'BY', shrink: 8 },
  { head: 'ITEMS', align: 'right', drop: 1 },
  { head: 'REASON', shrink: 12 },
];

export const expungeSection = (expunges: ReadonlyArray<ExpungeItem>, now: Date, layout: Layout = PLAIN): string =>
  eventSection(
    'Expunged',
    'request and response content removed; outcome metadata kept',
    COLUMNS,
    expunges.map((x) => [
      x.expungeNumber,
      x.scope,
      formatTime(x.at, now, layout.zone),
      x.requestedBy,
      x.completedAt === null ? 'incomplete' : x.items,
      oneLine(x.reason, 80),
    ]),
    layout,
  );

export const expungeJson = (x: ExpungeItem) => ({
  expungeNumber: x.expungeNumber,
  scope: x.scope,
  requestedBy: x.requestedBy,
  reason: x.reason,
  at: x.at,
  completedAt: x.completedAt,
  items: x.items,
});
