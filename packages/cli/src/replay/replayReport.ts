import { display } from '@delivery-history/core';
import type { MessageReplay, ReplayReport } from './replayProjections.js';
import { type Column, renderTable, renderText } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatDuration } from '../kit/format/time.js';

const show = (v: unknown): string => display.cut(JSON.stringify(v) ?? 'undefined', 60);

const trailText = (d: MessageReplay): string | null => {
  const t = d.auditTrail;
  if (t === null) return null;
  return t.kind === 'behind'
    ? `${t.stored} of ${t.expected} entries (behind)`
    : `differs at entry ${t.at + 1} (${t.stored} stored, ${t.expected} expected)`;
};

/** One row per drifting field (and one for the trail), so a reader sees what changed. */
export const driftRows = (drift: ReadonlyArray<MessageReplay>) =>
  drift.flatMap((d) => {
    const rows = d.fields.map((f) => [d.messageId, f.field, show(f.stored), show(f.expected), d.action]);
    const trail = trailText(d);
    if (trail !== null) rows.push([d.messageId, 'auditTrail', trail, 'rebuild', d.action]);
    if (d.error !== null) rows.push([d.messageId, '(error)', d.error, '-', d.action]);
    if (rows.length === 0) rows.push([d.messageId, '-', '-', '-', d.action]);
    return rows;
  });

const DRIFT_COLUMNS: ReadonlyArray<Column> = [
  { head: 'MESSAGE' },
  { head: 'FIELD', shrink: 10 },
  { head: 'STORED', shrink: 10 },
  { head: 'EXPECTED (FROM ATTEMPTS)', shrink: 10 },
  { head: 'ACTION', drop: 1 },
];

export const renderReplayReport = (r: ReplayReport, layout: Layout = PLAIN): string => {
  const head = r.dryRun ? 'Dry run (nothing written)' : 'Replay';
  const counts = Object.entries(r.actions)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  const lines = [
    renderText(
      `${head}: ${r.scanned} messages checked in ${formatDuration(r.durationMs)}; ${r.drifted} with drift${counts === '' ? '' : ` (${counts})`}.`,
      layout,
    ),
  ];
  if (r.drift.length > 0) {
    lines.push('', renderTable(DRIFT_COLUMNS, driftRows(r.drift), [], layout).trimEnd());
    if (r.omitted > 0) lines.push(renderText(`(${r.omitted} more messages with drift not listed)`, layout));
  }
  return `${lines.join('\n')}\n`;
};

/** `replay projections --json` (documented in the README). */
export const replayReportJson = (r: ReplayReport) => ({
  dryRun: r.dryRun,
  scanned: r.scanned,
  drifted: r.drifted,
  actions: r.actions,
  drift: r.drift.map((d) => ({
    messageId: d.messageId,
    fields: d.fields,
    auditTrail: d.auditTrail,
    error: d.error,
    action: d.action,
    detail: d.detail,
  })),
  omitted: r.omitted,
  durationMs: r.durationMs,
});
