import type { AttemptItem, AuditEntry, ExpungeItem, RedriveItem, StateItem } from '@delivery-history/core';
import { isRedriveEntry } from '@delivery-history/core';
import { oneLine, outcomeCode, resultLine, statusPhrase } from './describe.js';
import { expungeSection } from './expungeView.js';
import { renderFields, renderTable } from './table.js';
import { absoluteTime, formatLatency, formatTime, relativeTime } from './time.js';

// `dh history <id>`: the STATE, every attempt, and the audit trail, for a support person.

export type HistoryView = {
  readonly state: StateItem;
  readonly attempts: ReadonlyArray<AttemptItem>;
  readonly redrives: ReadonlyArray<RedriveItem>;
  readonly auditTrail: ReadonlyArray<AuditEntry>;
  /** EXPUNGE#k events (content removed on purpose). */
  readonly expunges?: ReadonlyArray<ExpungeItem>;
};

const stateFields = (s: StateItem, now: Date): string =>
  renderFields([
    ['Message', s.messageId],
    ['Status', statusPhrase(s)],
    ['Endpoint', s.endpoint],
    ['Request', `${s.request.method} ${s.request.url} (${s.request.bodyBytes} bytes)`],
    ['Correlation', s.correlationId],
    ['Attempts', `${s.attempts} of ${s.maxAttempts}`],
    ['Last result', resultLine(s.deliveryResult)],
    ['Created', formatTime(s.createdAt, now)],
    ['Last attempt', formatTime(s.lastDeliveryAttempt, now)],
    ['Last updated', formatTime(s.lastUpdatedAt, now)],
    ['Next attempt', s.status === 'FAILED' && s.retryEligible ? formatTime(s.nextAttemptAt, now) : '-'],
    ['Lease', s.lease === null ? '-' : `${s.lease.leaseId} until ${formatTime(s.lease.expiresAt, now)}`],
    ['Re-drives', s.redrives],
  ]);

const attemptRows = (attempts: ReadonlyArray<AttemptItem>, now: Date) =>
  attempts.map((a) => [
    a.attemptNumber,
    `${absoluteTime(a.completedAt)} (${relativeTime(a.completedAt, now)})`,
    a.superseded ? `${a.status}*` : a.status,
    a.deliveryResult.category,
    outcomeCode(a.deliveryResult),
    formatLatency(a.deliveryResult.responseTime),
    a.nextAttemptAt === null ? '-' : absoluteTime(a.nextAttemptAt),
    a.deliveryResult.errorDetails === null ? '' : oneLine(a.deliveryResult.errorDetails.message, 60),
  ]);

const trailRows = (trail: ReadonlyArray<AuditEntry>, now: Date) =>
  trail.map((e) =>
    isRedriveEntry(e)
      ? [
          `after ${e.n}`,
          `${absoluteTime(e.at)} (${relativeTime(e.at, now)})`,
          'REDRIVE',
          `by ${e.by}`,
          oneLine(e.reason, 60),
          '',
          '',
        ]
      : [
          e.n,
          `${absoluteTime(e.at)} (${relativeTime(e.at, now)})`,
          e.status,
          e.category,
          e.statusCode ?? '-',
          formatLatency(e.responseTime),
          e.retry === 'retry' && e.nextAttemptAt !== null ? `retry at ${absoluteTime(e.nextAttemptAt)}` : e.retry,
        ],
  );

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const redriveRows = (redrives: ReadonlyArray<RedriveItem>, now: Date) =>
  redrives.map((r) => [
    r.redriveNumber,
    r.afterAttempt,
    `${absoluteTime(r.at)} (${relativeTime(r.at, now)})`,
    r.requestedBy,
    r.maxAttempts,
    oneLine(r.reason, 80),
  ]);

const expectedTrailLength = (v: HistoryView): number => v.attempts.length + v.redrives.length;

export const renderHistory = (v: HistoryView, now: Date): string => {
  const parts = [stateFields(v.state, now)];
  parts.push(
    v.attempts.length === 0
      ? '\nNo attempts yet.\n'
      : `\nAttempts (${v.attempts.length})\n${renderTable(
          ['#', 'COMPLETED', 'STATUS', 'CATEGORY', 'CODE', 'TIME', 'NEXT ATTEMPT', 'ERROR'],
          attemptRows(v.attempts, now),
          ['right', 'left', 'left', 'left', 'left', 'right'],
        )}`,
  );
  if (v.attempts.some((a) => a.superseded)) {
    parts.push('* superseded: sent by a writer that had lost its lease; counted, status unchanged\n');
  }
  if (v.redrives.length > 0) {
    parts.push(
      `\nRe-drives (${v.redrives.length})\n${renderTable(
        ['#', 'AFTER ATTEMPT', 'AT', 'BY', 'NEW LIMIT', 'REASON'],
        redriveRows(v.redrives, now),
        ['right', 'right', 'left', 'left', 'right'],
      )}`,
    );
  }
  const expected = expectedTrailLength(v);
  const lag =
    v.auditTrail.length < expected ? ` (projector behind: ${v.auditTrail.length} of ${expected} entries so far)` : '';
  parts.push(
    v.auditTrail.length === 0
      ? `\nAudit trail: empty${lag}\n`
      : `\nAudit trail (${plural(v.auditTrail.length, 'entry', 'entries')})${lag}\n${renderTable(
          ['#', 'AT', 'EVENT', 'CATEGORY', 'CODE', 'TIME', 'RETRY'],
          trailRows(v.auditTrail, now),
          ['right', 'left', 'left', 'left', 'left', 'right'],
        )}`,
  );
  parts.push(expungeSection(v.expunges ?? [], now));
  return parts.join('');
};
