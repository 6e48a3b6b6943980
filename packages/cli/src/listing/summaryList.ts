import type { DeliveryResult, Status } from '@delivery-history/core';
import { statusColor } from '../kit/format/color.js';
import { oneLine, outcomeCode } from '../kit/format/describe.js';
import { maybeResultJson } from '../history/historyJson.js';
import { type Column, type Narrowable, renderTable, renderTsv } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatTime, relativeTime, resultTime } from '../kit/format/time.js';

// List views (failed, endpoint, correlation): one row per message, from the index
// projection (no per-message read).

export type SummaryRow = {
  readonly messageId: string;
  readonly status: Status;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly retryEligible: boolean;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  readonly lastDeliveryAttempt: string | null;
  readonly nextAttemptAt: string | null;
  readonly endpoint: string;
  readonly correlationId: string;
  readonly deliveryResult: DeliveryResult | null;
};

export type ListPage = {
  readonly items: ReadonlyArray<SummaryRow>;
  readonly cursor: string | null;
  /** Every row of the query's window (`--count`). */
  readonly total?: number;
};

/** `2026-12-01 17:05:50Z (8s ago)`; on a narrow terminal `8s ago`. */
const when = (iso: string, now: Date, tz: string): Narrowable => ({
  text: formatTime(iso, now, tz),
  narrow: relativeTime(iso, now),
});

const statusCell = (r: SummaryRow): string =>
  r.status === 'FAILED' ? (r.retryEligible ? 'FAILED (retry)' : 'FAILED (final)') : r.status;

export type TimeColumn = 'lastUpdatedAt' | 'createdAt';

const errorOf = (r: SummaryRow): string | null =>
  r.deliveryResult?.errorDetails == null ? null : oneLine(r.deliveryResult.errorDetails.message, 200);

/**
 * On a narrow terminal ERROR and CODE are cut first, then NEXT ATTEMPT, ENDPOINT, ... hidden.
 * When the rows span several endpoints (a bare-host filter matching several ports, or no
 * filter) ENDPOINT goes last: it is what tells the receivers apart.
 */
const columns = (timeColumn: TimeColumn, severalEndpoints: boolean): ReadonlyArray<Column> => [
  { head: 'MESSAGE' },
  { head: 'STATUS', color: statusColor },
  { head: 'ATTEMPTS', align: 'right', drop: 5 },
  { head: 'CATEGORY', drop: 3 },
  { head: 'CODE', shrink: 7, drop: 6 },
  { head: 'TIME', align: 'right', drop: 4 },
  { head: 'ENDPOINT', drop: severalEndpoints ? 7 : 2 },
  { head: timeColumn === 'createdAt' ? 'CREATED' : 'LAST UPDATED' },
  { head: 'NEXT ATTEMPT', drop: 1 },
  { head: 'ERROR', shrink: 12 },
];

/** `host:8443` -> `host`; an endpoint without a port is its own host. */
const hostPart = (endpoint: string): string => endpoint.replace(/:\d+$/, '');

/**
 * The ENDPOINT cell: on a narrow terminal, when every row is on one host (several ports under a
 * bare-host filter) only the port is shown (`:8443`), since that is what tells the rows apart.
 */
const endpointCell = (endpoint: string, oneHost: boolean): Narrowable | string =>
  oneHost && endpoint !== hostPart(endpoint)
    ? { text: endpoint, narrow: endpoint.slice(hostPart(endpoint).length) }
    : endpoint;

export const renderList = (page: ListPage, now: Date, timeColumn: TimeColumn, layout: Layout = PLAIN): string => {
  const oneHost = new Set(page.items.map((r) => hostPart(r.endpoint))).size === 1;
  const rows = page.items.map((r) => [
    r.messageId,
    statusCell(r),
    `${r.attempts}/${r.maxAttempts}`,
    r.deliveryResult?.category ?? '-',
    outcomeCode(r.deliveryResult),
    r.deliveryResult === null ? null : resultTime(r.deliveryResult),
    endpointCell(r.endpoint, oneHost),
    when(r[timeColumn], now, layout.zone),
    r.status === 'FAILED' && r.retryEligible && r.nextAttemptAt !== null
      ? when(r.nextAttemptAt, now, layout.zone)
      : '-',
    errorOf(r) ?? '',
  ]);
  const severalEndpoints = new Set(page.items.map((r) => r.endpoint)).size > 1;
  return renderTable(columns(timeColumn, severalEndpoints), rows, [], layout);
};

/** `--output tsv`: one line per message, the JSON field names as header, ISO times, nothing cut. */
export const renderListTsv = (page: ListPage): string =>
  renderTsv(
    [
      'messageId',
      'status',
      'retryEligible',
      'attempts',
      'maxAttempts',
      'category',
      'statusCode',
      'errorCode',
      'responseTimeMs',
      'endpoint',
      'correlationId',
      'createdAt',
      'lastUpdatedAt',
      'nextAttemptAt',
      'error',
    ],
    page.items.map((r) => [
      r.messageId,
      r.status,
      String(r.retryEligible),
      r.attempts,
      r.maxAttempts,
      r.deliveryResult?.category ?? null,
      r.deliveryResult?.statusCode ?? null,
      r.deliveryResult?.errorDetails?.code ?? null,
      r.deliveryResult?.responseTime ?? null,
      r.endpoint,
      r.correlationId,
      r.createdAt,
      r.lastUpdatedAt,
      r.nextAttemptAt,
      r.deliveryResult?.errorDetails?.message ?? null,
    ]),
  );

/** List `--json`: `{ items: [...], cursor }` (cursor null on the last page). */
export const listJson = (page: ListPage) => ({
  items: page.items.map((r) => ({
    messageId: r.messageId,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    retryEligible: r.retryEligible,
    createdAt: r.createdAt,
    lastUpdatedAt: r.lastUpdatedAt,
    lastDeliveryAttempt: r.lastDeliveryAttempt,
    nextAttemptAt: r.nextAttemptAt,
    endpoint: r.endpoint,
    correlationId: r.correlationId,
    deliveryResult: maybeResultJson(r.deliveryResult),
  })),
  cursor: page.cursor,
});
