import type { VerifyReport } from './verifyTable.js';
import { CHECKS, type CheckName } from './verifyMessage.js';
import { type Column, renderTable, renderText } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatDuration } from '../kit/format/time.js';

const DESCRIPTION: Record<CheckName, string> = {
  missing: 'asked-for message exists',
  decode: 'every item decodes',
  'dense-attempts': 'attempts numbered 1..n, STATE.attempts == n',
  projection: 'STATE == fold(attempts, redrives, holds)',
  held: 'no attempt while held by its endpoint breaker',
  'audit-trail': 'audit trail == rebuild(attempts, redrives, holds, requeues)',
  'audit-trail-behind': 'audit trail caught up (projector lag)',
  'item-size': 'every item under the size budget',
  secrets: 'no unredacted credentials in headers, URLs, texts',
  stalled: 'every unfinished message has a worker coming back',
  'lease-expired': 'no PROCESSING lease past its end (a warning: the next claim records it lost)',
  retention: "every item carries its STATE's TTL (expired messages: gone)",
  expunge: 'every expunge completed (expunged content accepted)',
};

const CHECK_COLUMNS: ReadonlyArray<Column> = [{ head: 'CHECK' }, { head: 'INVARIANT', shrink: 12 }, { head: 'RESULT' }];
const VIOLATION_COLUMNS: ReadonlyArray<Column> = [
  { head: 'MESSAGE' },
  { head: 'CHECK', drop: 1 },
  { head: 'DETAIL', shrink: 12 },
];

export const renderVerifyReport = (r: VerifyReport, layout: Layout = PLAIN): string => {
  const rows = CHECKS.map((c) => {
    const failed = r.checks[c].failed;
    const verdict = failed === 0 ? 'ok' : r.warnings.includes(c) ? `WARN ${failed}` : `FAIL ${failed}`;
    return [c, DESCRIPTION[c], verdict];
  });
  const lines = [
    renderText(`Verified ${r.messages} messages (${r.items} items) in ${formatDuration(r.durationMs)}.`, layout),
    '',
    renderTable(CHECK_COLUMNS, rows, [], layout),
  ];
  if (r.violations.length > 0) {
    lines.push(
      renderText(
        `Violations${r.omitted > 0 ? ` (first ${r.violations.length}; ${r.omitted} more not listed)` : ''}:`,
        layout,
      ),
      renderTable(
        VIOLATION_COLUMNS,
        r.violations.map((v) => [v.messageId, v.check, v.detail]),
        [],
        layout,
      ),
    );
  }
  lines.push(r.ok ? 'All invariants hold.\n' : 'Some invariants do not hold (exit 1).\n');
  return lines.join('\n');
};

/** `verify --json` (documented in the README). */
export const verifyReportJson = (r: VerifyReport) => ({
  ok: r.ok,
  messages: r.messages,
  items: r.items,
  checks: r.checks,
  warnings: r.warnings,
  violations: r.violations,
  omitted: r.omitted,
  durationMs: r.durationMs,
});
