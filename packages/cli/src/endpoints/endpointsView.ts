import type { EndpointHealth, HealthSummary, HourHealth } from '@delivery-history/core';
import { type Cell, type Column, type Narrowable, renderTable } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { absoluteTime, formatLatency, formatTime, relativeTime } from '../kit/format/time.js';
import type { BreakerRow } from './breakerRows.js';

// `dh endpoints`: one row per endpoint (worst first), or one endpoint's hourly series.

/** `≤ 300 ms` (a bucket's upper edge: the histogram's resolution), `> 30 s` past the last edge, `-` without responses. */
export const formatPercentile = (upperMs: number | null, responses: number): string =>
  responses === 0 ? '-' : upperMs === null ? '> 30 s' : `≤ ${formatLatency(upperMs)}`;

export const formatRate = (rate: number | null): string => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);

/** `server_error 12, timeout 3`: the failure categories, largest first. */
export const formatFailures = (s: HealthSummary): string => {
  const parts = Object.entries(s.categories)
    .filter(([c]) => c !== 'success')
    .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || a.localeCompare(b))
    .map(([c, n]) => `${c} ${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
};

/** On a narrow terminal: the failure texts are cut first, then times go relative, then the least useful columns go. */
const COLUMNS: ReadonlyArray<Column> = [
  { head: 'ENDPOINT', lastResort: 24 },
  { head: 'DELIVERIES', align: 'right', drop: 5 },
  { head: 'SUCCESS', align: 'right' },
  { head: 'P50', align: 'right', drop: 3 },
  { head: 'P99', align: 'right', drop: 4 },
  { head: 'FAILURES', shrink: 10, drop: 6 },
  { head: 'LAST SUCCESS', drop: 2 },
  { head: 'CONSEC FAIL', align: 'right', drop: 7 },
  { head: 'LAST FAILURE', shrink: 12, drop: 1 },
  // the breaker's state and the held count stay longest: they say whether deliveries flow
  { head: 'BREAKER', color: (s) => (s === 'closed' ? null : s === 'half-open' ? 'yellow' : 'red') },
  { head: 'HELD', align: 'right', drop: 10 },
  { head: 'BREAKER SINCE', drop: 8 },
  { head: 'BREAKER REASON', shrink: 12, drop: 9 },
];

/** `2026-12-01 17:05:50Z (8s ago)`; on a narrow terminal `8s ago`. */
const when = (iso: string, now: Date, tz: string): Narrowable => ({
  text: formatTime(iso, now, tz),
  narrow: relativeTime(iso, now),
});

/** `by ops: INC-42` (who moved it and why: what people typed, shown through the output rule by the table). */
const reasonOf = (b: BreakerRow): string | null => (b.reason === null ? null : `by ${b.by ?? '?'}: ${b.reason}`);

export const renderEndpoints = (
  rows: readonly (EndpointHealth & { readonly breaker?: BreakerRow })[],
  now: Date,
  layout: Layout = PLAIN,
): string => {
  const tz = layout.zone;
  return renderTable(
    COLUMNS,
    rows.map((r): Cell[] => [
      r.endpoint,
      r.deliveries,
      formatRate(r.successRate),
      formatPercentile(r.latency.p50, r.latency.responses),
      formatPercentile(r.latency.p99, r.latency.responses),
      formatFailures(r),
      r.lastSuccess === null ? 'none in window' : when(r.lastSuccess.at, now, tz),
      r.consecutiveFailures,
      r.lastFailure === null
        ? null
        : {
            text: `${formatTime(r.lastFailure.at, now, tz)} ${r.lastFailure.messageId}`,
            narrow: `${relativeTime(r.lastFailure.at, now)} ${r.lastFailure.messageId}`,
          },
      r.breaker?.state ?? 'closed',
      r.breaker?.held ?? 0,
      r.breaker === undefined || r.breaker.since === null ? null : when(r.breaker.since, now, tz),
      r.breaker === undefined ? null : reasonOf(r.breaker),
    ]),
    [],
    layout,
  );
};

/** The hour a bucket covers, as shown (`2026-12-01 10:00Z`, or in --tz). */
const hourLabel = (hour: string, tz: string): string =>
  absoluteTime(`${hour}:00:00.000Z`, tz).replace(/:00(?=[Z+-])/, '');

const SERIES_COLUMNS: ReadonlyArray<Column> = [
  { head: 'HOUR' },
  { head: 'DELIVERIES', align: 'right' },
  { head: 'SUCCESS', align: 'right' },
  { head: 'P50', align: 'right', drop: 2 },
  { head: 'P90', align: 'right', drop: 1 },
  { head: 'P99', align: 'right', drop: 3 },
  { head: 'MESSAGES', align: 'right', drop: 4 },
  { head: 'FAILURES', shrink: 10 },
];

export const renderSeries = (
  endpoint: EndpointHealth,
  hours: readonly HourHealth[],
  now: Date,
  layout: Layout = PLAIN,
): string =>
  `${renderEndpoints([endpoint], now, layout)}\n${renderTable(
    SERIES_COLUMNS,
    hours.map((h): Cell[] => [
      hourLabel(h.hour, layout.zone),
      h.deliveries,
      formatRate(h.successRate),
      formatPercentile(h.latency.p50, h.latency.responses),
      formatPercentile(h.latency.p90, h.latency.responses),
      formatPercentile(h.latency.p99, h.latency.responses),
      h.messages,
      formatFailures(h),
    ]),
    [],
    layout,
  )}`;
