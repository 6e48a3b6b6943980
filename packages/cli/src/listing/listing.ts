import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { StoreError } from '@delivery-history/store';
import { type Order, type Output, outputOf } from './listArgs.js';
import { isoWindowError } from '../kit/args/timeWindow.js';
import { toJson } from '../kit/format/json.js';
import { type ListPage, listJson, renderList, renderListTsv, type SummaryRow, type TimeColumn } from './summaryList.js';
import { type Layout, viewLayout } from '../kit/format/terminal.js';
import { onInterrupt } from '../kit/interrupt.js';
import { shelveCursor, unshelveCursor } from './cursorShelf.js';
import type { Io } from '../kit/io.js';
import { type CommandResult, done, fail, NotFound, storeFailure } from '../kit/failure.js';

// The list commands (failed, endpoint, correlation): fetch one page (filling it when a
// client-side filter drops rows) or every page (--all), print it, print the cursor of the
// next page. The cursor carries the window the first page resolved (`-1h` is an instant
// once), so repeating the command with it continues the same query.

export const DEFAULT_LIMIT = 50;
/** Round trips one page may take when a filter drops rows (the cursor resumes after them). */
const MAX_FETCHES = 20;

/** One store page; `count`: with the window's total (`Page.total`). */
export type Fetch = (limit: number, cursor: string | null, count?: boolean) => TE.TaskEither<StoreError, ListPage>;

/** The resolved window of a list query (ISO instants; null = open). */
export type Window = {
  readonly since: string | null;
  readonly until: string | null;
  /** The created-time window (`--created-since/--created-until`). */
  readonly createdSince: string | null;
  readonly createdUntil: string | null;
};

// ---------------------------------------------------------------------------
// cursor: the store's cursor plus the resolved window and the order
// ---------------------------------------------------------------------------

/** The query's filters a cursor carries (`--exhausted`, `--endpoint`, `--status`), by flag name. */
export type Filters = Readonly<Record<string, string | true>>;

type ListCursor = Window & { readonly order: Order; readonly filters: Filters; readonly store: string };

export const encodeListCursor = (c: ListCursor): string =>
  Buffer.from(
    JSON.stringify({
      v: 2,
      w: [c.since, c.until],
      ...(c.createdSince !== null || c.createdUntil !== null ? { c: [c.createdSince, c.createdUntil] } : {}),
      ...(c.order === 'newest' ? { o: 'newest' } : {}),
      ...(Object.keys(c.filters).length > 0 ? { f: c.filters } : {}),
      s: c.store,
    }),
    'utf8',
  ).toString('base64url');

const isoOrNull = (u: unknown): u is string | null =>
  u === null || (typeof u === 'string' && !Number.isNaN(Date.parse(u)));

const pairOf = (u: unknown): [string | null, string | null] | null => {
  if (u === undefined) return [null, null];
  if (!Array.isArray(u)) return null;
  const [a, b] = u as unknown[];
  return isoOrNull(a) && isoOrNull(b) ? [a, b] : null;
};

const filtersOf = (u: unknown): Filters | null => {
  if (u === undefined) return {};
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return null;
  const entries = Object.entries(u as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === 'string' || v === true)
    ? (Object.fromEntries(entries) as Filters)
    : null;
};

/** A cursor this CLI issued; null for anything else (a bare store cursor goes to the store as is). */
export const decodeListCursor = (s: string): ListCursor | null => {
  try {
    const j = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (j.v !== 2 || !Array.isArray(j.w) || typeof j.s !== 'string') return null;
    const w = pairOf(j.w);
    const c = pairOf(j.c);
    const filters = filtersOf(j.f);
    if (w === null || c === null || filters === null || (j.o !== undefined && j.o !== 'newest')) return null;
    const order: Order = j.o === 'newest' ? 'newest' : 'oldest';
    return { since: w[0], until: w[1], createdSince: c[0], createdUntil: c[1], order, filters, store: j.s };
  } catch {
    return null;
  }
};

export type Start = {
  readonly window: Window;
  readonly order: Order;
  readonly filters: Filters;
  readonly store: string | null;
};

type StartFlags = {
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
  readonly createdSince?: Date | undefined;
  readonly createdUntil?: Date | undefined;
  readonly order?: Order | undefined;
};

const isoOf = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/** The filters given as flags (absent ones left out). */
export const filtersGiven = (f: Readonly<Record<string, string | boolean | undefined>>): Filters =>
  Object.fromEntries(
    Object.entries(f).flatMap(([k, v]) => (v === undefined || v === false ? [] : [[k, v] as const])),
  ) as Filters;

const flagText = (name: string, v: string | true): string => (v === true ? `--${name}` : `--${name} ${v}`);

/** A filter flag that says a different query than the cursor's, or null. */
const filterConflict = (cursor: Filters, flags: Filters): string | null => {
  for (const [k, v] of Object.entries(flags)) {
    if (cursor[k] !== v) {
      const had = Object.entries(cursor).map(([n, x]) => flagText(n, x));
      return `--cursor continues a list ${had.length === 0 ? 'without filters' : `with ${had.join(' ')}`}; it cannot page ${flagText(k, v)}`;
    }
  }
  return null;
};

/**
 * Where a list starts: the window, order and store cursor a --cursor carries (they win over
 * the flags: `-1h` was resolved once, by the first page), else the flags'. A cursor of one
 * order is refused with the other (`--order` says a different query).
 */
export const startOf = (
  env: Readonly<Record<string, string | undefined>>,
  given: string | undefined,
  flags: StartFlags,
  filters: Filters = {},
): E.Either<string, Start> => {
  const full = given === undefined ? E.right(undefined) : unshelveCursor(env, given);
  if (E.isLeft(full)) return full;
  const cursor = full.right;
  const c = cursor === undefined ? null : decodeListCursor(cursor);
  if (c !== null) {
    if (flags.order !== undefined && flags.order !== c.order) {
      return E.left(`--cursor continues a list in --order ${c.order}; it cannot page --order ${flags.order}`);
    }
    const conflict = filterConflict(c.filters, filters);
    if (conflict !== null) return E.left(conflict);
    const { store, order, filters: carried, ...window } = c;
    return E.right({ window, order, filters: carried, store });
  }
  return E.right({
    window: {
      since: isoOf(flags.since),
      until: isoOf(flags.until),
      createdSince: isoOf(flags.createdSince),
      createdUntil: isoOf(flags.createdUntil),
    },
    order: flags.order ?? 'oldest',
    filters,
    store: cursor ?? null,
  });
};

/**
 * `--count` with a filter applied to the rows read (not a key of the index): the index counts
 * its window, not the filtered rows, and counting those would read every row. A usage error.
 */
export const countFilterError = (count: boolean | undefined, flag: string, instead: string): string | null =>
  count === true
    ? `--count counts the index's window; ${flag} filters the rows read after it, so it cannot be counted cheaply (${instead})`
    : null;

/** `--created-since/--created-until` as the store takes them (absent when open). */
export const createdInput = (w: Window): { createdSince?: string; createdUntil?: string } => ({
  ...(w.createdSince !== null ? { createdSince: w.createdSince } : {}),
  ...(w.createdUntil !== null ? { createdUntil: w.createdUntil } : {}),
});

/** A created window that ends before it starts, or starts in the future: a usage error. */
export const createdWindowError = (w: Window, now: Date, fromCursor: boolean): string | null => {
  return isoWindowError(w.createdSince, w.createdUntil, now, {
    names: { since: '--created-since', until: '--created-until' },
    future: !fromCursor,
  });
};

// ---------------------------------------------------------------------------
// fetching
// ---------------------------------------------------------------------------

export const fetchPage = async (
  fetch: Fetch,
  limit: number,
  cursor: string | null,
  keep: (r: SummaryRow) => boolean = () => true,
  count = false,
): Promise<E.Either<StoreError, ListPage>> => {
  const items: SummaryRow[] = [];
  let next = cursor;
  let total: number | undefined;
  for (let i = 0; i < MAX_FETCHES; i++) {
    // ask only for what is missing, so every fetched page is used whole and the cursor is exact;
    // the window's total once, with the first
    const page = await fetch(limit - items.length, next, count && i === 0)();
    if (E.isLeft(page)) return page;
    items.push(...page.right.items.filter(keep));
    total ??= page.right.total;
    next = page.right.cursor;
    if (next === null || items.length >= limit) break;
  }
  return E.right({ items, cursor: next, ...(total !== undefined ? { total } : {}) });
};

/** Every page (`--all`), `limit` rows per round trip; `onPage` sees the running count. */
export const fetchAll = async (
  fetch: Fetch,
  limit: number,
  cursor: string | null,
  keep: (r: SummaryRow) => boolean = () => true,
  onPage: (rows: number) => void = () => {},
  count = false,
): Promise<E.Either<StoreError, ListPage>> => {
  const items: SummaryRow[] = [];
  let next = cursor;
  let total: number | undefined;
  do {
    const page = await fetchPage(fetch, limit, next, keep, count && total === undefined);
    if (E.isLeft(page)) return page;
    items.push(...page.right.items);
    total ??= page.right.total;
    next = page.right.cursor;
    onPage(items.length);
  } while (next !== null);
  return E.right({ items, cursor: null, ...(total !== undefined ? { total } : {}) });
};

// ---------------------------------------------------------------------------
// printing
// ---------------------------------------------------------------------------

export type PrintOptions = {
  readonly output: Output;
  readonly layout: Layout;
  readonly timeColumn: TimeColumn;
  readonly what: string;
  readonly order: Order;
  readonly window?: Window;
  /** The filters the next page's cursor carries. */
  readonly filters?: Filters;
  /** The command the next page repeats with `--cursor` (default `dh <name>`; with the positional). */
  readonly repeat?: string;
};

/** The window as --json echoes it: since/until always, the created window when given. */
const windowJson = (w: Window | undefined) =>
  w === undefined
    ? {}
    : {
        since: w.since,
        until: w.until,
        ...(w.createdSince !== null ? { createdSince: w.createdSince } : {}),
        ...(w.createdUntil !== null ? { createdUntil: w.createdUntil } : {}),
      };

/** The command for the next page, pasteable: the cursor alone carries the query. */
const nextCommand = (io: Io, repeat: string, cursor: string): string =>
  `${repeat} --cursor ${shelveCursor(io.env, cursor, io.now().getTime())}`;

/** `50 of 1234 failed messages between ...` (`--count`), or null. */
const totalLine = (p: ListPage, what: string): string | null =>
  p.total === undefined ? null : `${p.items.length} of ${p.total} ${what}`;

const write = (io: Io, name: string, p: ListPage, o: PrintOptions): void => {
  if (o.output === 'json') {
    io.stdout.write(
      toJson({
        ...listJson(p),
        ...(p.total !== undefined ? { total: p.total } : {}),
        ...windowJson(o.window),
        order: o.order,
      }),
    );
    return;
  }
  const total = totalLine(p, o.what);
  if (p.items.length === 0) {
    if (total !== null) io.stderr.write(`dh ${name}: ${total}\n`);
    return;
  }
  if (o.output === 'tsv') {
    io.stdout.write(renderListTsv(p));
    if (total !== null) io.stderr.write(`dh ${name}: ${total}\n`);
    // stdout stays data only
    if (p.cursor !== null)
      io.stderr.write(`dh ${name}: more results: ${nextCommand(io, o.repeat ?? `dh ${name}`, p.cursor)} (or --all)\n`);
    return;
  }
  io.stdout.write(renderList(p, io.now(), o.timeColumn, o.layout));
  if (total !== null) io.stdout.write(`\n${total}\n`);
  if (p.cursor !== null)
    io.stdout.write(`\nMore results: ${nextCommand(io, o.repeat ?? `dh ${name}`, p.cursor)} (or --all)\n`);
};

export const printPage = (
  io: Io,
  name: string,
  page: E.Either<StoreError, ListPage>,
  o: PrintOptions,
): CommandResult => {
  if (E.isLeft(page)) return fail(storeFailure(page.left, o.what));
  const window = o.window;
  const cursor =
    page.right.cursor === null || window === undefined
      ? page.right.cursor
      : encodeListCursor({ ...window, order: o.order, filters: o.filters ?? {}, store: page.right.cursor });
  const p: ListPage = {
    items: page.right.items,
    cursor,
    ...(page.right.total !== undefined ? { total: page.right.total } : {}),
  };
  write(io, name, p, o);
  return p.items.length === 0
    ? emptyPage(io, name, p.cursor, { json: o.output === 'json', what: o.what, repeat: o.repeat ?? `dh ${name}` })
    : done;
};

/** Like grep: an empty answer exits 1; --json says it in the document, not on stderr. */
const emptyPage = (
  io: Io,
  name: string,
  cursor: string | null,
  o: { json: boolean; what: string; repeat: string },
): CommandResult => {
  if (cursor === null) return fail(NotFound(o.json ? null : `no ${o.what}`));
  if (!o.json) io.stderr.write(`dh ${name}: no ${o.what} on this page (next: ${nextCommand(io, o.repeat, cursor)})\n`);
  return done;
};

// ---------------------------------------------------------------------------
// the front of a list command
// ---------------------------------------------------------------------------

/** The format (`--output`, `--json`) and the terminal layout (`--wide`) of a list. */
export const listOutput = (
  io: Io,
  a: {
    readonly json?: boolean | undefined;
    readonly output?: Output | undefined;
    readonly wide: boolean | undefined;
    readonly tz: string;
  },
): E.Either<string, { readonly output: Output; readonly layout: Layout }> =>
  E.map((output: Output) => ({ output, layout: viewLayout(io, a) }))(outputOf(a));

/**
 * One page (`--limit`, default 50) or, with `--all`, every page (1000 rows per round trip
 * unless `--limit`); Ctrl-C during `--all` says how many rows were read.
 */
export const readList = async (
  name: string,
  fetch: Fetch,
  a: {
    readonly all?: boolean | undefined;
    readonly limit?: number | undefined;
    readonly count?: boolean | undefined;
  },
  store: string | null,
  keep?: (r: SummaryRow) => boolean,
): Promise<E.Either<StoreError, ListPage>> => {
  const count = a.count === true;
  if (a.all !== true) return fetchPage(fetch, a.limit ?? DEFAULT_LIMIT, store, keep, count);
  let rows = 0;
  const forget = onInterrupt(name, () => `${rows} messages read`);
  try {
    return await fetchAll(
      fetch,
      a.limit ?? 1000,
      store,
      keep,
      (n) => {
        rows = n;
      },
      count,
    );
  } finally {
    forget();
  }
};
