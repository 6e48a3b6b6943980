import { type Cell, type Column, renderTable } from '../kit/format/table.js';
import type { Layout } from '../kit/format/terminal.js';

/**
 * A section of operator events in `dh history` (holds, requeues, expunges): nothing when there
 * are none, else `Title (n): what they mean` over their table.
 */
export const eventSection = (
  title: string,
  meaning: string,
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  layout: Layout,
): string =>
  rows.length === 0 ? '' : `\n${title} (${rows.length}): ${meaning}\n${renderTable(columns, rows, [], layout)}`;
