import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Machine } from './machine.js';

// One row per printed figure; the JSON keeps every row plus each section's raw detail.

export type Row = {
  readonly section: string;
  readonly metric: string;
  readonly value: number | string;
  readonly unit: string;
  readonly note?: string;
};

export type SectionResult = {
  readonly name: string;
  readonly rows: ReadonlyArray<Row>;
  readonly detail: unknown;
  readonly seconds: number;
  readonly error?: string;
};

export type BenchReport = {
  readonly startedAt: string;
  readonly mode: 'default' | 'quick';
  readonly machine: Machine;
  readonly totalSeconds: number;
  readonly sections: ReadonlyArray<SectionResult>;
};

const fmt = (v: number | string): string => {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
};

export const formatTable = (sections: ReadonlyArray<SectionResult>): string => {
  const rows = sections.flatMap((s) =>
    s.error !== undefined
      ? [{ section: s.name, metric: 'FAILED', value: (s.error.split('\n')[0] ?? '').slice(0, 160), unit: '' } as Row]
      : s.rows,
  );
  const cells = rows.map((r) => [r.section, r.metric, fmt(r.value), r.unit, r.note ?? '']);
  const head = ['section', 'metric', 'value', 'unit', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: ReadonlyArray<string>) =>
    c
      .map((x, i) => (i === 2 ? x.padStart(widths[i] ?? 0) : x.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w)))];
  let last = '';
  for (const c of cells) {
    const section = c[0] ?? '';
    out.push(line([section === last ? '' : section, ...c.slice(1)]));
    last = section;
  }
  return out.join('\n');
};

/** Writes the report as `bench-results/bench-<timestamp>.json` and `latest.json`; returns the path. */
export const writeReport = (report: BenchReport, dir: string): string => {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const file = join(out, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(out, 'latest.json'), text);
  return file;
};
