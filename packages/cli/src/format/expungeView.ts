import type { ExpungeItem } from '@delivery-history/core';
import { oneLine } from './describe.js';
import { renderTable } from './table.js';
import { absoluteTime, relativeTime } from './time.js';

// The expunge events of `dh history` (text and JSON), and the report of `dh expunge`.

export const expungeSection = (expunges: ReadonlyArray<ExpungeItem>, now: Date): string =>
  expunges.length === 0
    ? ''
    : `\nExpunged (${expunges.length}): request and response content removed; outcome metadata kept\n${renderTable(
        ['#', 'SCOPE', 'AT', 'BY', 'ITEMS', 'REASON'],
        expunges.map((x) => [
          x.expungeNumber,
          x.scope,
          `${absoluteTime(x.at)} (${relativeTime(x.at, now)})`,
          x.requestedBy,
          x.completedAt === null ? 'incomplete' : x.items,
          oneLine(x.reason, 80),
        ]),
        ['right', 'left', 'left', 'left', 'right'],
      )}`;

export const expungeJson = (x: ExpungeItem) => ({
  expungeNumber: x.expungeNumber,
  scope: x.scope,
  requestedBy: x.requestedBy,
  reason: x.reason,
  at: x.at,
  completedAt: x.completedAt,
  items: x.items,
});
