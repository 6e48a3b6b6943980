import { type Percentiles, percentiles, type Summary } from './summary.js';
import { renderTable } from '../kit/format/table.js';
import { type Layout, PLAIN } from '../kit/format/terminal.js';
import { formatDuration, formatLatency } from '../kit/format/time.js';

// The demo's closing tables.

const pct = (n: number, of: number): string => (of === 0 ? '-' : `${((n / of) * 100).toFixed(1)}%`);

const latencyCells = (p: Percentiles): string[] =>
  [p.p50, p.p90, p.p99, p.max].map((v) => (v === null ? '-' : formatLatency(v)));

export const renderDemoSummary = (s: Summary, elapsedMs: number, layout: Layout = PLAIN): string => {
  const outcomes = [...s.outcomes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => {
      const [status = '', category = ''] = key.split(' ');
      return [status, category, n, pct(n, s.messages)];
    });
  const perMessage = [...s.attemptsPerMessage.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, n]) => [k, n, pct(n, s.messages)]);
  return [
    `Delivered ${s.messages} messages with ${s.attempts} attempts in ${formatDuration(elapsedMs)}.`,
    '',
    'Outcome by status and category (of the last attempt)',
    renderTable(['STATUS', 'CATEGORY', 'MESSAGES', 'SHARE'], outcomes, ['left', 'left', 'right', 'right'], layout),
    'Attempts per message',
    renderTable(['ATTEMPTS', 'MESSAGES', 'SHARE'], perMessage, ['right', 'right', 'right'], layout),
    'Latency',
    renderTable(
      ['MEASURE', 'P50', 'P90', 'P99', 'MAX'],
      [
        ['attempt response time', ...latencyCells(percentiles(s.latencies))],
        ['created -> delivered', ...latencyCells(percentiles(s.timeToSuccess))],
      ],
      ['left', 'right', 'right', 'right', 'right'],
      layout,
    ),
  ].join('\n');
};

export const demoSummaryJson = (s: Summary, elapsedMs: number) => ({
  messages: s.messages,
  attempts: s.attempts,
  durationMs: elapsedMs,
  outcomes: [...s.outcomes.entries()].map(([key, count]) => {
    const [status = '', category = ''] = key.split(' ');
    return { status, category, count };
  }),
  attemptsPerMessage: Object.fromEntries(s.attemptsPerMessage),
  latencyMs: percentiles(s.latencies),
  timeToSuccessMs: percentiles(s.timeToSuccess),
});
