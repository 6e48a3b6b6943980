import Table from 'cli-table3';

// Aligned, borderless tables (columns separated by two spaces), no colours: they are read
// in terminals, pasted into tickets and grepped.

export type Align = 'left' | 'right';

const PLAIN_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
} as const;

export type Cell = string | number | null;

const text = (c: Cell): string => (c === null ? '-' : String(c));

/** Renders rows under a header; `align` per column (numbers read better right-aligned). */
export const renderTable = (
  head: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  align: ReadonlyArray<Align> = [],
): string => {
  const table = new Table({
    head: [...head],
    chars: PLAIN_CHARS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: head.map((_, i) => align[i] ?? 'left'),
    wordWrap: false,
  });
  for (const row of rows) table.push(row.map(text));
  // cli-table3 pads the last column too; trailing spaces only make diffs noisy.
  return `${table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')}\n`;
};

/** `key  value` lines with the keys aligned (a record, not a list). */
export const renderFields = (fields: ReadonlyArray<readonly [string, Cell]>): string => {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return `${fields.map(([k, v]) => `${k.padEnd(width)}  ${text(v)}`.trimEnd()).join('\n')}\n`;
};
