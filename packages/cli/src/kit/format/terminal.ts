import { display } from '@delivery-history/core';
import type { Io } from '../io.js';

// How output is laid out for where it goes: on a terminal, tables fit its width and statuses
// are coloured; piped or redirected, nothing is cut and there are no escape codes (a file,
// a ticket, grep and awk see every character).

/** How tables fit where they go. */
export type Fit = {
  /** Columns to fit tables into; null: full width (piped, or --wide). */
  readonly width: number | null;
  readonly color: boolean;
};

/** How a view is shown: fitted, and its times in a zone. */
export type Layout = Fit & {
  /** The IANA zone times are shown in (--tz, else $TZ, else UTC). */
  readonly zone: string;
};

/** Full width, no colour, UTC: pipes, files, tests. */
export const PLAIN: Layout = { width: null, color: false, zone: 'UTC' };

const DEFAULT_COLUMNS = 80;

const set = (v: string | undefined): boolean => v !== undefined && v !== '';

/**
 * Colour on a terminal; `NO_COLOR` (any non-empty value, no-color.org) turns it off and wins;
 * `FORCE_COLOR` (non-empty, not `0`) turns it on where there is no terminal.
 */
export const colorOf = (io: Pick<Io, 'stdout' | 'env'>): boolean => {
  if (set(io.env.NO_COLOR)) return false;
  if (set(io.env.FORCE_COLOR)) return io.env.FORCE_COLOR !== '0';
  return io.stdout.isTTY === true;
};

/** The stream's own width (a resized terminal too), else $COLUMNS, else 80. */
const columnsOf = (io: Pick<Io, 'stdout' | 'env'>): number => {
  const own = io.stdout.columns;
  if (typeof own === 'number' && own > 0) return own;
  const env = Number(io.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : DEFAULT_COLUMNS;
};

/** The width of stderr when it is a terminal (warnings are folded to it), else null. */
export const stderrWidth = (io: Pick<Io, 'stderr' | 'env'>): number | null =>
  io.stderr.isTTY === true ? columnsOf({ stdout: io.stderr, env: io.env }) : null;

/**
 * A line for a person on stderr (a warning, an error): on a terminal folded to its width at
 * spaces, continuation lines indented, so it never wraps mid-word; piped it is one line.
 */
export const noteLine = (io: Pick<Io, 'stderr' | 'env'>, line: string): string => {
  const width = stderrWidth(io);
  const text = line.replace(/\n$/, '');
  return `${width === null ? text : display.wrap(text, width - 2).join('\n  ')}\n`;
};

/** The fit of a command's stdout; `--wide` keeps a terminal's tables at full width. */
export const layoutOf = (io: Pick<Io, 'stdout' | 'env'>, wide: boolean | undefined): Fit => ({
  width: wide === true || io.stdout.isTTY !== true ? null : columnsOf(io),
  color: colorOf(io),
});

/** The layout of a command's views: its fit (`--wide`) and zone (`--tz`, decoded to the effective zone). */
export const viewLayout = (
  io: Pick<Io, 'stdout' | 'env'>,
  a: { readonly wide: boolean | undefined; readonly tz: string },
): Layout => ({ ...layoutOf(io, a.wide), zone: a.tz });
