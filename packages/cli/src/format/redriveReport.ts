import type { RedriveReport } from '../replay/redrive.js';
import { renderTable } from './table.js';

/** `selection`: what was selected, said when nothing matched ("no FAILED message ... was ..."). */
export const renderRedriveReport = (r: RedriveReport, selection?: string): string => {
  const counts = Object.entries(r.actions)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  const why = r.considered === 0 && selection !== undefined ? `: no ${selection}` : '';
  const lines = [
    `${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.considered} messages considered${counts === '' ? why : `: ${counts}`}.`,
  ];
  if (r.beyondLimit !== null && r.beyondLimit.count > 0)
    lines.push(
      `--limit reached: ${r.beyondLimit.atLeast ? 'at least ' : ''}${r.beyondLimit.count} more selected messages not looked at; run again to continue.`,
    );
  if (r.messages.length > 0) {
    lines.push(
      '',
      renderTable(
        ['MESSAGE', 'ACTION', 'REDRIVE', 'AFTER ATTEMPT', 'NEW LIMIT', 'DETAIL'],
        r.messages.map((m) => [m.messageId, m.action, m.redriveNumber, m.afterAttempt, m.maxAttempts, m.detail ?? '']),
        ['left', 'left', 'right', 'right', 'right'],
      ).trimEnd(),
    );
  }
  if (r.delivery !== null) lines.push('', r.delivery);
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
});
