import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { StoreError } from '@delivery-history/store';
import { toJson } from '../format/json.js';
import { type ListPage, listJson, renderList, type SummaryRow } from '../format/summaryList.js';
import type { Io } from '../io.js';
import { type CommandResult, done, fail, NotFound, storeFailure } from './failure.js';

// The list commands (failed, endpoint, correlation): fetch one page (filling it when a
// client-side filter drops rows), print it, print the cursor of the next page.

export const DEFAULT_LIMIT = 50;
/** Round trips one page may take when a filter drops rows (the cursor resumes after them). */
const MAX_FETCHES = 20;

export type Fetch = (limit: number, cursor: string | null) => TE.TaskEither<StoreError, ListPage>;

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

export const printPage = (
  io: Io,
  name: string,
  page: E.Either<StoreError, ListPage>,
  o: { json: boolean; timeColumn: 'lastUpdatedAt' | 'createdAt'; what: string },
): CommandResult => {
  if (E.isLeft(page)) return fail(storeFailure(page.left, o.what));
  const p = page.right;
  if (o.json) io.stdout.write(toJson(listJson(p)));
  else if (p.items.length > 0) {
    io.stdout.write(renderList(p, io.now(), o.timeColumn));
    if (p.cursor !== null) io.stdout.write(`\nMore results: repeat with --cursor ${p.cursor}\n`);
  }
  if (p.items.length === 0) {
    // like grep: an empty answer exits 1; --json says it in the document, not on stderr
    if (p.cursor === null) return fail(NotFound(o.json ? null : `no ${o.what}`));
    if (!o.json) io.stderr.write(`dh ${name}: no ${o.what} on this page (next: --cursor ${p.cursor})\n`);
  }
  return done;
};
