import type { EndpointHealth, HealthSummary, HourHealth } from '@delivery-history/core';
import { type Align, type Cell, renderTable } from './table.js';
import type { Layout } from './terminal.js';
import { absoluteTime, formatLatency, formatTime } from './time.js';

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

const ALIGN: Align[] = ['left', 'right', 'right', 'right', 'right', 'left', 'left', 'right', 'left'];

export const renderEndpoints = (rows: readonly EndpointHealth[], now: Date, layout?: Layout): string =>
  renderTable(
    ['ENDPOINT', 'DELIVERIES', 'SUCCESS', 'P50', 'P99', 'FAILURES', 'LAST SUCCESS', 'CONSEC FAIL', 'LAST FAILURE'],
    rows.map((r): Cell[] => [
      r.endpoint,
      r.deliveries,
      formatRate(r.successRate),
      formatPercentile(r.latency.p50, r.latency.responses),
      formatPercentile(r.latency.p99, r.latency.responses),
      formatFailures(r),
      r.lastSuccess === null ? 'none in window' : formatTime(r.lastSuccess.at, now),
      r.consecutiveFailures,
      r.lastFailure === null ? null : `${formatTime(r.lastFailure.at, now)} ${r.lastFailure.messageId}`,
    ]),
    ALIGN,
    layout,
  );

/** The hour a bucket covers, as shown (`2026-12-01 10:00Z`, or in --tz). */
const hourLabel = (hour: string): string => absoluteTime(`${hour}:00:00.000Z`).replace(/:00(?=[Z+-])/, '');

export const renderSeries = (
  endpoint: EndpointHealth,
  hours: readonly HourHealth[],
  now: Date,
  layout?: Layout,
): string =>
  `${renderEndpoints([endpoint], now, layout)}\n${renderTable(
    ['HOUR', 'DELIVERIES', 'SUCCESS', 'P50', 'P90', 'P99', 'MESSAGES', 'FAILURES'],
    hours.map((h): Cell[] => [
      hourLabel(h.hour),
      h.deliveries,
      formatRate(h.successRate),
      formatPercentile(h.latency.p50, h.latency.responses),
      formatPercentile(h.latency.p90, h.latency.responses),
      formatPercentile(h.latency.p99, h.latency.responses),
      h.messages,
      formatFailures(h),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    layout,
  )}`;
