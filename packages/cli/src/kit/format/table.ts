import { display } from '@delivery-history/core';
import { type Color, paint } from './color.js';
import { type Fit, PLAIN } from './terminal.js';

// Aligned, borderless tables (columns separated by two spaces): they are read in terminals,
// pasted into tickets and grepped. The one table renderer: on a terminal (a Layout with a
// width) a table is fitted to it, cutting free text (error messages) with "…" first, then
// using the short form of times, then hiding the least useful columns; ids are never cut.
// Piped (no width) every cell is printed whole. Colour only paints; it never changes widths.
// Every cell and field is a raw string that passes the output rule (core's display.line) here,
// before any width is measured or any cut is made: a view cannot forget it, widths count the
// escapes as printed, and a cut never splits one.

export type Align = 'left' | 'right';

/** A cell with a shorter form for a narrow terminal (a time without its absolute part). */
export type Narrowable = { readonly text: string; readonly narrow: string };

export type Cell = string | number | null | Narrowable;

/** A column: its header and how it may give way when the table must fit a terminal. */
export type Column = {
  readonly head: string;
  readonly align?: Align;
  /** Free text that may be cut with "…", down to this many characters. */
  readonly shrink?: number;
  /**
   * A name that is cut only when nothing else is left to give (every droppable column hidden,
   * free text at its floor): down to this many characters. A long host in `dh endpoints`.
   */
  readonly lastResort?: number;
  /** May be hidden to fit: the lowest rank goes first. Ids and statuses have none. */
  readonly drop?: number;
  /** The colour of a cell on a colour terminal (by its text). */
  readonly color?: (text: string) => Color | null;
};

const GAP = 2;
/** First pass: free text is cut down to this before times get short or columns go. */
const SOFT_SHRINK = 20;

const isNarrowable = (c: Cell): c is Narrowable => typeof c === 'object' && c !== null;

// Cells stay raw until written: widths count them as shown (escapes included, wide characters
// two columns), a cut is made between raw characters, and `cut`/`escaped` escape what is written.
const full = (c: Cell): string => (c === null ? '-' : isNarrowable(c) ? c.text : String(c));
const short = (c: Cell): string => (isNarrowable(c) ? c.narrow : full(c));

/** Width on a terminal of the escaped text. */
const len = display.width;

/** The escaped text, cut with "…" to `width` (never inside an escape). */
const cut = display.fit;

/** The escaped text, whole. */
const escaped = display.line;

// ---------------------------------------------------------------------------
// fitting
// ---------------------------------------------------------------------------

type Plan = {
  /** Indexes of the columns shown, in order. */
  readonly show: ReadonlyArray<number>;
  readonly widths: ReadonlyMap<number, number>;
  readonly narrow: boolean;
};

const total = (widths: ReadonlyMap<number, number>): number =>
  [...widths.values()].reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.size - 1);

/** Cuts the widest shrinkable column by one until the table fits or none can give more. */
const shrinkToFit = (
  columns: ReadonlyArray<Column>,
  natural: ReadonlyMap<number, number>,
  width: number,
  pass: 'soft' | 'hard' | 'lastResort',
): Map<number, number> => {
  const widths = new Map(natural);
  const floor = (i: number): number => {
    const col = columns[i];
    const allowed = col?.shrink ?? (pass === 'lastResort' ? col?.lastResort : undefined) ?? Number.POSITIVE_INFINITY;
    const min = Math.max(allowed, len(col?.head ?? ''), 2);
    return pass === 'soft' ? Math.max(min, Math.min(SOFT_SHRINK, natural.get(i) ?? 0)) : min;
  };
  while (total(widths) > width) {
    let widest: number | null = null;
    for (const [i, w] of widths) if (w > floor(i) && (widest === null || w > (widths.get(widest) ?? 0))) widest = i;
    if (widest === null) break;
    widths.set(widest, (widths.get(widest) ?? 0) - 1);
  }
  return widths;
};

const naturalWidths = (
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  show: ReadonlyArray<number>,
  narrow: boolean,
): Map<number, number> =>
  new Map(
    show.map((i) => [
      i,
      Math.max(len(columns[i]?.head ?? ''), ...rows.map((r) => len((narrow ? short : full)(r[i] ?? null)))),
    ]),
  );

/** The candidate layouts, least lossy first: as is, short times, then one more column hidden each. */
const candidates = (columns: ReadonlyArray<Column>): Array<Omit<Plan, 'widths'>> => {
  const all = columns.map((_, i) => i);
  const droppable = all
    .filter((i) => columns[i]?.drop !== undefined)
    .sort((a, b) => (columns[a]?.drop ?? 0) - (columns[b]?.drop ?? 0));
  const out: Array<Omit<Plan, 'widths'>> = [
    { show: all, narrow: false },
    { show: all, narrow: true },
  ];
  for (let k = 1; k <= droppable.length; k++) {
    const hidden = new Set(droppable.slice(0, k));
    out.push({ show: all.filter((i) => !hidden.has(i)), narrow: true });
  }
  return out;
};

/** The least lossy layout that fits `width` (the last candidate when none does). */
const layoutPlan = (
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  width: number | null,
): Plan => {
  const all = columns.map((_, i) => i);
  if (width === null) return { show: all, widths: naturalWidths(columns, rows, all, false), narrow: false };
  const options = candidates(columns);
  let last: Plan | null = null;
  for (const pass of ['soft', 'hard'] as const) {
    for (const c of options) {
      const widths = shrinkToFit(columns, naturalWidths(columns, rows, c.show, c.narrow), width, pass);
      last = { ...c, widths };
      if (total(widths) <= width) return last;
    }
  }
  const least = options[options.length - 1];
  if (least !== undefined) {
    const natural = naturalWidths(columns, rows, least.show, least.narrow);
    return { ...least, widths: shrinkToFit(columns, natural, width, 'lastResort') };
  }
  return last ?? { show: all, widths: naturalWidths(columns, rows, all, false), narrow: false };
};

// ---------------------------------------------------------------------------
// rendering
// ---------------------------------------------------------------------------

const columnOf = (c: string | Column, align: Align | undefined): Column =>
  typeof c === 'string' ? { head: c, ...(align !== undefined ? { align } : {}) } : c;

const lossOf = (plan: Plan, rows: ReadonlyArray<ReadonlyArray<Cell>>, columns: ReadonlyArray<Column>): boolean =>
  plan.show.length < columns.length ||
  (plan.narrow && rows.some((r) => r.some((c) => isNarrowable(c) && c.narrow !== c.text))) ||
  rows.some((r) => plan.show.some((i) => len((plan.narrow ? short : full)(r[i] ?? null)) > (plan.widths.get(i) ?? 0)));

/** `out` (`text` as written, maybe painted) padded to `width` outside any colour; no fill after a left-aligned last cell. */
const fill = (text: string, out: string, width: number, align: Align | undefined, last: boolean): string => {
  if (last && align !== 'right') return out;
  const room = ' '.repeat(Math.max(0, width - len(text)));
  return align === 'right' ? `${room}${out}` : `${out}${room}`;
};

/** A cell cut to its column, painted, then padded to it. */
const cellText = (c: Cell, col: Column, width: number, last: boolean, narrow: boolean, layout: Fit): string => {
  const text = cut((narrow ? short : full)(c), width);
  const color = layout.color ? (col.color?.(text) ?? null) : null;
  return fill(text, color === null ? text : paint(color, text), width, col.align, last);
};

/**
 * Renders rows under a header. Columns are header strings (then `align` per column) or
 * `Column`s saying how each may give way on a narrow terminal; `layout` is where it goes
 * (default: full width, no colour).
 */
export const renderTable = (
  head: ReadonlyArray<string | Column>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  align: ReadonlyArray<Align> = [],
  layout: Fit = PLAIN,
): string => {
  const columns = head.map((c, i) => columnOf(c, align[i]));
  const plan = layoutPlan(columns, rows, layout.width);
  const shown = plan.show.map((i) => ({ i, col: columns[i] ?? { head: '' }, width: plan.widths.get(i) ?? 0 }));
  // Each cell is padded to its column's planned width (the plan measured every cell as shown),
  // the last one not at all when left-aligned: no line ends in spaces.
  const lastAt = shown.length - 1;
  const line = (cells: ReadonlyArray<string>): string => cells.join(' '.repeat(GAP)).trimEnd();
  const headLine = line(
    shown.map(({ col, width }, k) => {
      const text = escaped(col.head);
      return fill(text, layout.color ? paint('bold', text) : text, width, col.align, k === lastAt);
    }),
  );
  const body = [
    headLine,
    ...rows.map((row) =>
      line(
        shown.map(({ i, col, width }, k) => cellText(row[i] ?? null, col, width, k === lastAt, plan.narrow, layout)),
      ),
    ),
  ].join('\n');
  const note =
    layout.width !== null && lossOf(plan, rows, columns)
      ? `\n${layout.color ? paint('dim', '(fitted to the terminal; --wide for every column in full)') : '(fitted to the terminal; --wide for every column in full)'}`
      : '';
  return `${body}${note}\n`;
};

/**
 * A column of a streamed table: rows come one at a time, so widths are fixed up front; `narrow`
 * is its width when cells show their short form.
 */
export type StreamColumn = Column & { readonly width: number; readonly narrow?: number };

/** The last column of a stream keeps at least this much room before other columns give way. */
const STREAM_LAST_MIN = 16;

type StreamPlan = { readonly show: ReadonlyArray<StreamColumn>; readonly narrow: boolean };

/**
 * Which stream columns a terminal shows, least lossy first (as tables do): all, then short
 * forms, then the lowest `drop` rank hidden one at a time. The plan depends on the columns and
 * the width only, so the header and every row agree.
 */
const streamPlan = (columns: ReadonlyArray<StreamColumn>, width: number | null): StreamPlan => {
  if (width === null) return { show: columns, narrow: false };
  const need = (cols: ReadonlyArray<StreamColumn>, narrow: boolean): number =>
    cols.slice(0, -1).reduce((sum, c) => sum + (narrow ? (c.narrow ?? c.width) : c.width) + GAP, 0) +
    Math.min(STREAM_LAST_MIN, cols[cols.length - 1]?.width ?? 0);
  const options = candidates(columns).map((c) => ({
    show: c.show.map((i) => columns[i]).filter((x) => x !== undefined),
    narrow: c.narrow,
  }));
  return (
    options.find((o) => need(o.show, o.narrow) <= width) ??
    options[options.length - 1] ?? { show: columns, narrow: true }
  );
};

const pad = (text: string, width: number, align: Align | undefined): string => {
  const fill = ' '.repeat(Math.max(0, width - len(text)));
  return align === 'right' ? `${fill}${text}` : `${text}${fill}`;
};

/** A stream cell in its colour on a colour terminal (headers bold). */
const painted = (out: string, col: Column, text: string, layout: Fit, header: boolean): string => {
  const color = !layout.color ? null : header ? 'bold' : (col.color?.(text) ?? null);
  return color === null ? out : paint(color, out);
};

/** A stream cell before padding: free text (`shrink`) is cut to its column on a terminal; the rest whole. */
const cellOf = (text: string, col: Column, width: number, layout: Fit): string =>
  layout.width !== null && col.shrink !== undefined ? cut(text, width) : escaped(text);

/** The last stream column takes what is left of a terminal's width (all of its text when piped). */
const lastRoom = (col: StreamColumn, text: string, width: number | null, used: number): number =>
  width === null ? len(text) : Math.max(Math.min(col.width, STREAM_LAST_MIN), width - used);

/**
 * One line of a streamed table (`dh tail`; the header is a row of the heads). On a terminal
 * the columns that fit are chosen as tables choose them (short forms, then `drop` ranks);
 * every shown column but the last is padded to its width (free text, `shrink`, is cut to it;
 * a longer id pushes the rest right); the last takes what is left of a terminal's width, cut
 * with "…", and all of it when piped.
 */
export const streamRow = (
  columns: ReadonlyArray<StreamColumn>,
  cells: ReadonlyArray<Cell>,
  layout: Fit = PLAIN,
  header = false,
): string => {
  let used = 0;
  const plan = streamPlan(columns, layout.width);
  const parts = plan.show.map((col, i) => {
    const cell = cells[columns.indexOf(col)] ?? null;
    const text = plan.narrow ? short(cell) : full(cell);
    const width = plan.narrow ? (col.narrow ?? col.width) : col.width;
    const out =
      i === plan.show.length - 1
        ? cut(text, lastRoom(col, text, layout.width, used))
        : pad(cellOf(text, col, width, layout), width, col.align);
    used += len(out) + GAP;
    return painted(out, col, text, layout, header);
  });
  return `${parts.join(' '.repeat(GAP)).trimEnd()}\n`;
};

/**
 * Sentences for a person (a report's summary lines): on a terminal each line is folded to the
 * width at spaces, continuation lines indented; piped, as is. Through the output rule either way.
 */
export const renderText = (text: string, layout: Fit = PLAIN): string =>
  text
    .split('\n')
    .map((l) => (layout.width === null ? escaped(l) : display.wrap(l, layout.width - 2).join('\n  ')))
    .join('\n');

/** Tab-separated values: a header line, then one line per row; nothing cut, no colour. */
export const renderTsv = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string => {
  // display.line writes a tab, CR or newline inside a value as `\t`, `\r`, `\n`: one field, one line.
  const field = (c: Cell): string => (c === null ? '' : escaped(full(c)));
  return `${[head.map((h) => field(h)), ...rows.map((r) => r.map(field))].map((r) => r.join('\t')).join('\n')}\n`;
};

/**
 * `key  value` lines with the keys aligned (a record, not a list). On a terminal a value is cut
 * with "…" to the line's width, or with `wrap` folded onto indented lines (a detail view, where
 * nothing should be lost); piped it is whole on its line.
 */
export const renderFields = (
  fields: ReadonlyArray<readonly [string, Cell]>,
  layout: Fit = PLAIN,
  wrap = false,
): string => {
  const width = Math.max(0, ...fields.map(([k]) => len(k)));
  const room = layout.width === null ? null : Math.max(layout.width - width - GAP, 8);
  const indent = `\n${' '.repeat(width + GAP)}`;
  const value = (v: Cell): string =>
    room === null ? escaped(full(v)) : wrap ? display.wrap(full(v), room).join(indent) : cut(full(v), room);
  return `${fields.map(([k, v]) => `${pad(escaped(k), width, 'left')}  ${value(v)}`.trimEnd()).join('\n')}\n`;
};

/** The header line of a stream (its column heads, laid out as its rows will be). */
export const streamHeader = (columns: ReadonlyArray<StreamColumn>, layout: Fit = PLAIN): string =>
  streamRow(
    columns,
    columns.map((c) => c.head),
    layout,
    true,
  );
