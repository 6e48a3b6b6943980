import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { StoreError } from '@delivery-history/store';
import { toJson } from '../format/json.js';
import { type ListPage, listJson, renderList, type SummaryRow } from '../format/summaryList.js';
import type { Io } from '../io.js';
import { type CommandResult, done, fail, NotFound, storeFailure } from './failure.js';

// The list commands (failed, endpoint, correlation): fetch one page (filling it when a
// client-side filter drops rows) or every page (--all), print it, print the cursor of the
// next page. The cursor carries the window the first page resolved (`-1h` is an instant
// once), so repeating the command with it continues the same query.

export const DEFAULT_LIMIT = 50;
/** Round trips one page may take when a filter drops rows (the cursor resumes after them). */
const MAX_FETCHES = 20;

export type Fetch = (limit: number, cursor: string | null) => TE.TaskEither<StoreError, ListPage>;

/** The resolved window of a list query (ISO instants; null = open). */
export type Window = { readonly since: string | null; readonly until: string | null };

// ---------------------------------------------------------------------------
// cursor: the store's cursor plus the resolved window
// ---------------------------------------------------------------------------

type ListCursor = Window & { readonly store: string };

export const encodeListCursor = (c: ListCursor): string =>
  Buffer.from(JSON.stringify({ v: 2, w: [c.since, c.until], s: c.store }), 'utf8').toString('base64url');

const isoOrNull = (u: unknown): u is string | null =>
  u === null || (typeof u === 'string' && !Number.isNaN(Date.parse(u)));

/** A cursor this CLI issued; null for anything else (a bare store cursor goes to the store as is). */
export const decodeListCursor = (s: string): ListCursor | null => {
  try {
    const j = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: unknown; w?: unknown; s?: unknown };
    if (j.v !== 2 || !Array.isArray(j.w) || typeof j.s !== 'string') return null;
    const [since, until] = j.w as unknown[];
    return isoOrNull(since) && isoOrNull(until) ? { since, until, store: j.s } : null;
  } catch {
    return null;
  }
};

/** Where a list starts: the window and store cursor a --cursor carries, else the flags'. */
export const startOf = (
  cursor: string | undefined,
  flags: { since?: Date | undefined; until?: Date | undefined },
): { window: Window; store: string | null } => {
  const fromCursor = cursor === undefined ? null : decodeListCursor(cursor);
  if (fromCursor !== null)
    return { window: { since: fromCursor.since, until: fromCursor.until }, store: fromCursor.store };
  return {
    window: { since: flags.since?.toISOString() ?? null, until: flags.until?.toISOString() ?? null },
    store: cursor ?? null,
  };
};

// ---------------------------------------------------------------------------
// fetching
// ---------------------------------------------------------------------------

export const fetchPage = async (
  fetch: Fetch,
  limit: number,
  cursor: string | null,
  keep: (r: SummaryRow) => boolean = () => true,
): Promise<E.Either<StoreError, ListPage>> => {
  const items: SummaryRow[] = [];
  let next = cursor;
  for (let i = 0; i < MAX_FETCHES; i++) {
    // ask only for what is missing, so every fetched page is used whole and the cursor is exact
    const page = await fetch(limit - items.length, next)();
    if (E.isLeft(page)) return page;
    items.push(...page.right.items.filter(keep));
    next = page.right.cursor;
    if (next === null || items.length >= limit) break;
  }
  return E.right({ items, cursor: next });
};

/** Every page (`--all`), `limit` rows per round trip; `onPage` sees the running count. */
export const fetchAll = async (
  fetch: Fetch,
  limit: number,
  cursor: string | null,
  keep: (r: SummaryRow) => boolean = () => true,
  onPage: (rows: number) => void = () => {},
): Promise<E.Either<StoreError, ListPage>> => {
  const items: SummaryRow[] = [];
  let next = cursor;
  do {
    const page = await fetchPage(fetch, limit, next, keep);
    if (E.isLeft(page)) return page;
    items.push(...page.right.items);
    next = page.right.cursor;
    onPage(items.length);
  } while (next !== null);
  return E.right({ items, cursor: null });
};

// ---------------------------------------------------------------------------
// printing
// ---------------------------------------------------------------------------

export const printPage = (
  io: Io,
  name: string,
  page: E.Either<StoreError, ListPage>,
  o: { json: boolean; timeColumn: 'lastUpdatedAt' | 'createdAt'; what: string; window?: Window },
): CommandResult => {
  if (E.isLeft(page)) return fail(storeFailure(page.left, o.what));
  const window = o.window;
  const cursor =
    page.right.cursor === null || window === undefined
      ? page.right.cursor
      : encodeListCursor({ ...window, store: page.right.cursor });
  const p: ListPage = { items: page.right.items, cursor };
  if (o.json) io.stdout.write(toJson({ ...listJson(p), ...(window !== undefined ? window : {}) }));
  else if (p.items.length > 0) {
    io.stdout.write(renderList(p, io.now(), o.timeColumn));
    if (p.cursor !== null) io.stdout.write(`\nMore results: repeat with --cursor ${p.cursor} (or --all)\n`);
  }
  return p.items.length === 0 ? emptyPage(io, name, p.cursor, o) : done;
};

/** Like grep: an empty answer exits 1; --json says it in the document, not on stderr. */
const emptyPage = (io: Io, name: string, cursor: string | null, o: { json: boolean; what: string }): CommandResult => {
  if (cursor === null) return fail(NotFound(o.json ? null : `no ${o.what}`));
  if (!o.json) io.stderr.write(`dh ${name}: no ${o.what} on this page (next: --cursor ${cursor})\n`);
  return done;
};
