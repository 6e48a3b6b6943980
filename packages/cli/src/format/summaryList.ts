import type { DeliveryResult, Status } from '@delivery-history/core';
import { outcomeCode } from './describe.js';
import { maybeResultJson } from './historyJson.js';
import { renderTable } from './table.js';
import { absoluteTime, relativeTime } from './time.js';

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

export type ListPage = { readonly items: ReadonlyArray<SummaryRow>; readonly cursor: string | null };

const when = (iso: string, now: Date): string => `${absoluteTime(iso)} (${relativeTime(iso, now)})`;

const statusCell = (r: SummaryRow): string =>
  r.status === 'FAILED' ? (r.retryEligible ? 'FAILED (retry)' : 'FAILED (final)') : r.status;

export const renderList = (page: ListPage, now: Date, timeColumn: 'lastUpdatedAt' | 'createdAt'): string => {
  const rows = page.items.map((r) => [
    r.messageId,
    statusCell(r),
    `${r.attempts}/${r.maxAttempts}`,
    r.deliveryResult?.category ?? '-',
    outcomeCode(r.deliveryResult),
    r.endpoint,
    when(r[timeColumn], now),
    r.status === 'FAILED' && r.retryEligible && r.nextAttemptAt !== null ? when(r.nextAttemptAt, now) : '-',
  ]);
  const head = [
    'MESSAGE',
    'STATUS',
    'ATTEMPTS',
    'CATEGORY',
    'CODE',
    'ENDPOINT',
    timeColumn === 'createdAt' ? 'CREATED' : 'LAST UPDATED',
    'NEXT ATTEMPT',
  ];
  return renderTable(head, rows, ['left', 'left', 'right']);
};

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
