import type { RedriveReport } from '../replay/redrive.js';
import { renderTable } from './table.js';

export const renderRedriveReport = (r: RedriveReport): string => {
  const counts = Object.entries(r.actions)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  const lines = [
    `${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.considered} messages considered${counts === '' ? '' : `: ${counts}`}.`,
  ];
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
  actions: r.actions,
  messages: r.messages,
  delivery: r.delivery,
});
