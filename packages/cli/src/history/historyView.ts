import type {
  AttemptItem,
  AuditEntry,
  ExpungeItem,
  HoldItem,
  RedriveItem,
  RequeueItem,
  StateItem,
} from '@delivery-history/core';
import { isEntry, display } from '@delivery-history/core';
import { statusColor } from '../kit/format/color.js';
import { oneLine, outcomeCode, resultLine, statusPhrase } from '../kit/format/describe.js';
import { expungeSection } from './expungeView.js';
import { requeueSection } from './requeueView.js';
import { holdSection } from './holdView.js';
import { type Column, type Narrowable, renderFields, renderTable } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { absoluteTime, formatDuration, formatTime, resultTime } from '../kit/format/time.js';

// `dh history <id>`: the STATE, every attempt, and the audit trail, for a support person.

export type HistoryView = {
  readonly state: StateItem;
  readonly attempts: ReadonlyArray<AttemptItem>;
  readonly redrives: ReadonlyArray<RedriveItem>;
  readonly auditTrail: ReadonlyArray<AuditEntry>;
  /** EXPUNGE#k events (content removed on purpose). */
  readonly expunges?: ReadonlyArray<ExpungeItem>;
  /** REQUEUE# events (a stalled message pushed again). */
  readonly requeues?: ReadonlyArray<RequeueItem>;
  /** HOLD#k events (held by its endpoint's breaker, released, expired). */
  readonly holds?: ReadonlyArray<HoldItem>;
};

const stateFields = (s: StateItem, now: Date, layout: Layout): string =>
  renderFields(
    [
      ['Message', s.messageId],
      ['Status', statusPhrase(s, now)],
      ['Endpoint', s.endpoint],
      ['Request', `${s.request.method} ${s.request.url} (${s.request.bodyBytes} bytes)`],
      ['Correlation', s.correlationId],
      ['Attempts', `${s.attempts} of ${s.maxAttempts}`],
      ['Last result', resultLine(s.deliveryResult)],
      ['Created', formatTime(s.createdAt, now, layout.zone)],
      ['Last attempt', formatTime(s.lastDeliveryAttempt, now, layout.zone)],
      ['Last updated', formatTime(s.lastUpdatedAt, now, layout.zone)],
      ['Next attempt', s.status === 'FAILED' && s.retryEligible ? formatTime(s.nextAttemptAt, now, layout.zone) : '-'],
      ['Lease', s.lease === null ? '-' : `${s.lease.leaseId} until ${formatTime(s.lease.expiresAt, now, layout.zone)}`],
      ['Re-drives', s.redrives],
    ],
    layout,
  );

/**
 * When attempt n was due: the previous attempt's next-attempt time, a re-drive after the
 * previous attempt, or the creation of the message for the first.
 */
export const scheduledAt = (v: Pick<HistoryView, 'state' | 'attempts' | 'redrives'>, n: number): string | null => {
  const redrive = v.redrives.filter((r) => r.afterAttempt === n - 1).pop();
  if (redrive !== undefined) return redrive.at;
  if (n === 1) return v.state.createdAt;
  return v.attempts.find((a) => a.attemptNumber === n - 1)?.nextAttemptAt ?? null;
};

/** How late an attempt started against its schedule (`-` when on time or unknown). */
const lateness = (v: Pick<HistoryView, 'state' | 'attempts' | 'redrives'>, a: AttemptItem): string => {
  const due = scheduledAt(v, a.attemptNumber);
  if (due === null) return '-';
  const late = Date.parse(a.startedAt) - Date.parse(due);
  return Number.isNaN(late) || late < 1000 ? '-' : formatDuration(late);
};

/** `2026-12-01 17:05:50Z (8s ago)`; on a narrow terminal the time of day only. */
const at = (iso: string, now: Date, tz: string): Narrowable => ({
  text: formatTime(iso, now, tz),
  narrow: absoluteTime(iso, tz).slice(11),
});

const ATTEMPT_COLUMNS: ReadonlyArray<Column> = [
  { head: '#', align: 'right' },
  { head: 'STARTED', drop: 3 },
  { head: 'LATE', align: 'right', drop: 4 },
  { head: 'COMPLETED' },
  { head: 'STATUS', color: statusColor },
  { head: 'CATEGORY', drop: 2 },
  { head: 'CODE', shrink: 7, drop: 5 },
  { head: 'TIME', align: 'right' },
  { head: 'NEXT ATTEMPT', drop: 1 },
  { head: 'ERROR', shrink: 12 },
];

const REDRIVE_COLUMNS: ReadonlyArray<Column> = [
  { head: '#', align: 'right' },
  { head: 'AFTER ATTEMPT', align: 'right', drop: 1 },
  { head: 'AT' },
  { head: 'BY', shrink: 8 },
  { head: 'NEW LIMIT', align: 'right', drop: 2 },
  { head: 'REASON', shrink: 12 },
];

const TRAIL_COLUMNS: ReadonlyArray<Column> = [
  { head: '#', align: 'right' },
  { head: 'AT' },
  { head: 'EVENT', color: statusColor },
  { head: 'CATEGORY', drop: 1 },
  { head: 'CODE' },
  { head: 'TIME', align: 'right' },
  { head: 'RETRY', shrink: 12 },
];

const attemptRows = (v: HistoryView, now: Date, tz: string) =>
  v.attempts.map((a) => [
    a.attemptNumber,
    absoluteTime(a.startedAt, tz),
    lateness(v, a),
    at(a.completedAt, now, tz),
    a.superseded ? `${a.status}*` : a.status,
    a.deliveryResult.category,
    outcomeCode(a.deliveryResult),
    resultTime(a.deliveryResult),
    a.nextAttemptAt === null ? '-' : absoluteTime(a.nextAttemptAt, tz),
    a.deliveryResult.errorDetails === null ? '' : oneLine(a.deliveryResult.errorDetails.message, 200),
  ]);

const holdRow = (e: Extract<AuditEntry, { kind: 'hold' }>, now: Date, tz: string) => [
  `after ${e.n}`,
  at(e.at, now, tz),
  `HOLD#${e.hold} ${e.event.toUpperCase()}`,
  oneLine(e.mode, 40),
  '-',
  '-',
  `by ${oneLine(e.by, 80)}: ${oneLine(e.reason, 200)}`,
];

const trailRow = (e: AuditEntry, now: Date, tz: string) => {
  if (isEntry(e, 'redrive'))
    return [`after ${e.n}`, at(e.at, now, tz), 'REDRIVE', '-', '-', '-', `by ${e.by}: ${oneLine(e.reason, 200)}`];
  if (isEntry(e, 'hold')) return holdRow(e, now, tz);
  if (isEntry(e, 'requeue'))
    return [
      `after ${e.n}`,
      at(e.at, now, tz),
      'REQUEUE',
      e.status,
      '-',
      '-',
      `by ${oneLine(e.by, 80)}: ${oneLine(e.reason, 200)} (waiting since ${absoluteTime(e.waitingSince, tz)})`,
    ];
  if (isEntry(e, 'resolution'))
    return [
      `${e.n} resolved`,
      at(e.at, now, tz),
      'RESOLUTION',
      e.category,
      e.statusCode ?? '-',
      resultTime(e),
      'outcome of the lost attempt; not counted',
    ];
  return [
    e.n,
    at(e.at, now, tz),
    e.status,
    e.category,
    e.statusCode ?? '-',
    resultTime(e),
    e.retry === 'retry' && e.nextAttemptAt !== null ? `retry at ${absoluteTime(e.nextAttemptAt, tz)}` : e.retry,
  ];
};

const trailRows = (trail: ReadonlyArray<AuditEntry>, now: Date, tz: string) => trail.map((e) => trailRow(e, now, tz));

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const redriveRows = (redrives: ReadonlyArray<RedriveItem>, now: Date, tz: string) =>
  redrives.map((r) => [
    r.redriveNumber,
    r.afterAttempt,
    at(r.at, now, tz),
    r.requestedBy,
    r.maxAttempts,
    oneLine(r.reason, 80),
  ]);

const expectedTrailLength = (v: HistoryView): number => v.attempts.length + v.redrives.length + (v.holds?.length ?? 0);

export const renderHistory = (v: HistoryView, now: Date, layout: Layout = PLAIN): string => {
  const parts = [stateFields(v.state, now, layout)];
  parts.push(
    v.attempts.length === 0
      ? '\nNo attempts yet.\n'
      : `\nAttempts (${v.attempts.length})\n${renderTable(ATTEMPT_COLUMNS, attemptRows(v, now, layout.zone), [], layout)}`,
  );
  if (v.attempts.some((a) => a.superseded)) {
    parts.push('* superseded: sent by a writer that had lost its lease; counted, status unchanged\n');
  }
  if (v.redrives.length > 0) {
    parts.push(
      `\nRe-drives (${v.redrives.length})\n${renderTable(REDRIVE_COLUMNS, redriveRows(v.redrives, now, layout.zone), [], layout)}`,
    );
  }
  const expected = expectedTrailLength(v);
  const lag =
    v.auditTrail.length < expected ? ` (projector behind: ${v.auditTrail.length} of ${expected} entries so far)` : '';
  parts.push(
    v.auditTrail.length === 0
      ? `\nAudit trail: empty${lag}\n`
      : `\nAudit trail (${plural(v.auditTrail.length, 'entry', 'entries')})${lag}\n${renderTable(TRAIL_COLUMNS, trailRows(v.auditTrail, now, layout.zone), [], layout)}`,
  );
  parts.push(expungeSection(v.expunges ?? [], now, layout));
  parts.push(requeueSection(v.requeues ?? [], now, layout));
  parts.push(holdSection(v.holds ?? [], now, layout));
  return parts.join('');
};

/** `dh history <id> --attempt N`: what was sent and what came back on one attempt. */
/**
 * A snippet as received: its lines kept; on a terminal each folded to the width (tabs as four
 * spaces there), so a long line is read whole without relying on the terminal's own wrapping.
 */
const snippetText = (snippet: string, width: number | null): string =>
  width === null
    ? display.text(snippet)
    : snippet
        .split('\n')
        .flatMap((l) => display.wrap(l.replace(/\t/g, '    '), width))
        .join('\n');

export const renderAttempt = (
  v: HistoryView,
  a: AttemptItem,
  now: Date,
  layout: Layout = PLAIN,
  body?: string | null,
): string => {
  const r = a.deliveryResult;
  const headers = (h: Readonly<Record<string, string>>): string =>
    Object.keys(h).length === 0
      ? '  (none)\n'
      : renderFields(
          Object.entries(h).map(([k, val]) => [`  ${k}:`, val] as const),
          layout,
          true,
        );
  const due = scheduledAt(v, a.attemptNumber);
  return [
    renderFields(
      [
        ['Message', v.state.messageId],
        ['Attempt', `${a.attemptNumber} of ${v.state.maxAttempts}${a.superseded ? ' (superseded)' : ''}`],
        ['Status', a.status],
        ['Scheduled', formatTime(due, now, layout.zone)],
        [
          'Started',
          `${formatTime(a.startedAt, now, layout.zone)}${lateness(v, a) === '-' ? '' : `, ${lateness(v, a)} late`}`,
        ],
        ['Completed', formatTime(a.completedAt, now, layout.zone)],
        ['Result', resultLine(r)],
        ['Next attempt', formatTime(a.nextAttemptAt, now, layout.zone)],
        ['Request', `${a.request.method} ${a.request.url} (${a.request.bodyBytes} bytes)`],
      ],
      layout,
      true,
    ),
    a.request.sentHeaders === undefined
      ? `\nRequest headers (as stored, redacted)\n${headers(a.request.headers)}`
      : `\nRequest headers (as sent, credentials redacted)\n${headers(a.request.sentHeaders)}`,
    body === undefined ? '' : `\nRequest body\n${body === null ? '  (not stored)' : snippetText(body, layout.width)}\n`,
    `\nResponse: ${display.fit(r.statusCode === null ? (r.errorDetails?.code ?? 'no response') : outcomeCode(r), (layout.width ?? Number.POSITIVE_INFINITY) - 10)}\n`,
    `\nResponse headers (kept)\n${a.response === null ? '  (no response)\n' : headers(a.response.headers)}`,
    // multi-line as received (newlines and tabs kept), every other control made visible
    `\nResponse body snippet\n${r.errorDetails?.responseSnippet == null || r.errorDetails.responseSnippet === '' ? '  (none kept)' : snippetText(r.errorDetails.responseSnippet, layout.width)}\n`,
  ].join('');
};
