import { redriveFailure } from './redriveExit.js';
import { exitCodeOf } from '../kit/exitCodes.js';
import type { RedriveOutcome, RedriveReport, RedriveResult } from './redrive.js';
import { display } from '@delivery-history/core';
import { type Column, renderTable, renderText } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';

/** `SUCCESS 200`, `FAILED (final) 500 server_error`, `FAILED (retry) 503 server_error`, `PENDING`; with attempts. */
const outcomeText = (o: RedriveOutcome | null): string => {
  if (o === null) return '-';
  const status = o.status === 'FAILED' ? (o.final ? 'FAILED (final)' : 'FAILED (retry)') : o.status;
  const result =
    o.status === 'SUCCESS'
      ? [o.statusCode]
      : o.status === 'FAILED'
        ? [o.statusCode, o.category, o.statusCode === null ? o.errorCode : null]
        : [];
  const parts = [status, ...result.filter((x) => x !== null)].join(' ');
  return `${parts}, ${o.attempts} of ${o.maxAttempts} attempts`;
};

/** A warning's gist (`target 127.0.0.1 is blocked`): the whole text is printed once, on stderr. */
const gistOf = (w: string): string => w.split(/ \(|: /)[0] ?? w;

const detailOf = (m: RedriveResult): string =>
  [m.detail, ...m.warnings.map((w) => `warning: ${gistOf(w)}`)].filter((x) => x !== null).join('; ');

const COLUMNS: ReadonlyArray<Column> = [
  { head: 'MESSAGE' },
  { head: 'ACTION' },
  { head: 'REDRIVE', align: 'right', drop: 2 },
  { head: 'AFTER ATTEMPT', align: 'right', drop: 1 },
  { head: 'NEW LIMIT', align: 'right', drop: 3 },
  { head: 'OUTCOME', shrink: 14 },
  { head: 'DETAIL', shrink: 12 },
];

const outcomeLine = (r: RedriveReport): string | null => {
  const o = r.outcomes;
  if (o === null) return null;
  // the exit code this run ends with (an interrupted one exits 130, whatever failed before)
  const failure = redriveFailure(r);
  const verdict = failure === null || failure._tag === 'NotFound' ? '' : ` (exit ${exitCodeOf(failure)})`;
  const left = o.notFinished > 0 ? ': not finished ones stay reopened or retrying in the table' : '';
  return `Outcome: ${o.success} SUCCESS, ${o.failed} FAILED, ${o.notFinished} not finished${verdict}${left}.`;
};

/** `selection`: what was selected, said when nothing matched ("no FAILED message ... was ..."). */
export const renderRedriveReport = (r: RedriveReport, selection?: string, layout: Layout = PLAIN): string => {
  const counts = Object.entries(r.actions)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  const why = r.considered === 0 && selection !== undefined ? `: no ${selection}` : '';
  const lines = [
    renderText(
      `${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.considered} messages considered${counts === '' ? why : `: ${counts}`}.`,
      layout,
    ),
  ];
  if (r.beyondLimit !== null && r.beyondLimit.count > 0)
    lines.push(
      renderText(
        `--limit reached: ${r.beyondLimit.atLeast ? 'at least ' : ''}${r.beyondLimit.count} more selected messages not looked at; run again to continue.`,
        layout,
      ),
    );
  if (r.messages.length > 0) {
    lines.push(
      '',
      renderTable(
        COLUMNS,
        r.messages.map((m) => [
          m.messageId,
          m.action,
          m.redriveNumber,
          m.afterAttempt,
          m.maxAttempts,
          outcomeText(m.outcome),
          detailOf(m),
        ]),
        [],
        layout,
      ).trimEnd(),
    );
  }
  if (r.delivery !== null) lines.push('', renderText(r.delivery, layout));
  const outcome = outcomeLine(r);
  if (outcome !== null) lines.push(renderText(outcome, layout));
  return `${lines.join('\n')}\n`;
};

/** Up to this many ids are named per warning on stderr. */
const WARNED_IDS = 3;

/**
 * Each distinct warning once on stderr, with the messages it concerns; on a terminal folded
 * to its width (continuation lines indented); null when none.
 */
export const redriveWarningSummary = (r: RedriveReport, width: number | null = null): string | null => {
  const by = new Map<string, string[]>();
  for (const m of r.messages) for (const w of m.warnings) by.set(w, [...(by.get(w) ?? []), m.messageId]);
  if (by.size === 0) return null;
  const lines = [...by].map(([w, ids]) => {
    const named = ids.slice(0, WARNED_IDS).join(', ') + (ids.length > WARNED_IDS ? `, ... (${ids.length})` : '');
    const line = `warning: ${w} [${named}]`;
    return width === null ? line : display.wrap(line, width - 2).join('\n  ');
  });
  return `${lines.join('\n')}\n`;
};

/** `replay redrive --json` (documented in the README). */
export const redriveReportJson = (r: RedriveReport) => ({
  dryRun: r.dryRun,
  considered: r.considered,
  beyondLimit: r.beyondLimit,
  actions: r.actions,
  messages: r.messages,
  delivery: r.delivery,
  outcomes: r.outcomes,
});
