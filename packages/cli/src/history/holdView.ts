import type { HoldItem } from '@delivery-history/core';
import { oneLine } from '../kit/format/describe.js';
import type { Column } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatTime } from '../kit/format/time.js';
import { eventSection } from './eventSection.js';

// The hold events of `dh history` (text and JSON, issue 27): held (its endpoint's breaker was
// open, paused or disabled: no attempt, no retry budget spent), released (enqueued again),
// expired (held past its retention: final, category held_expired). Who, why, when.

const WHAT: Readonly<Record<HoldItem['kind'], string>> = {
  held: 'held',
  released: 'released',
  expired: 'expired (final)',
};

const COLUMNS: ReadonlyArray<Column> = [
  { head: '#', align: 'right' },
  { head: 'EVENT' },
  { head: 'AT' },
  { head: 'AFTER ATTEMPT', align: 'right', drop: 1 },
  { head: 'MODE', drop: 2 },
  { head: 'BY', shrink: 8 },
  { head: 'REASON', shrink: 12 },
];

export const holdSection = (holds: ReadonlyArray<HoldItem>, now: Date, layout: Layout = PLAIN): string =>
  eventSection(
    'Holds',
    "its endpoint's breaker held it; a hold spends no attempt",
    COLUMNS,
    [...holds]
      .sort((a, b) => a.holdNumber - b.holdNumber)
      .map((h) => [
        h.holdNumber,
        WHAT[h.kind],
        formatTime(h.at, now, layout.zone),
        h.afterAttempt,
        h.mode,
        h.by,
        oneLine(h.reason, 80),
      ]),
    layout,
  );

export const holdJson = (h: HoldItem) => ({
  holdNumber: h.holdNumber,
  kind: h.kind,
  at: h.at,
  afterAttempt: h.afterAttempt,
  afterRedrive: h.afterRedrive,
  mode: h.mode,
  reason: h.reason,
  by: h.by,
});
