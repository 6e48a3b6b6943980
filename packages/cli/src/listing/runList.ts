import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { Config } from '../kit/config/readConfig.js';
import { withContext } from '../kit/context.js';
import type { CommandResult } from '../kit/failure.js';
import type { Io } from '../kit/io.js';
import { usageFailure } from '../kit/withArgs.js';
import type { Order, Output } from './listArgs.js';
import {
  countFilterError,
  type Fetch,
  type Filters,
  listOutput,
  type PrintOptions,
  printPage,
  readList,
  type Start,
  startOf,
} from './listing.js';
import type { SummaryRow } from './summaryList.js';

// The one flow of a list command (failed, endpoint, correlation) once its query is known:
// where the list starts (--cursor, else the window flags), the output format, the --count
// rule, the read (a page, or --all) and the page printed with its next cursor.

/** The list flags, decoded (each list command declares LIST and CREATED; `--since` where it has one). */
type ListFlags = {
  readonly cursor?: string | undefined;
  readonly since?: Date | undefined;
  readonly 'created-since'?: Date | undefined;
  readonly 'created-until'?: Date | undefined;
  readonly order?: Order | undefined;
};

/** Where the list starts: what `--cursor` carries, else the flags (`until` as the command resolves it). */
export const startOfList = (
  env: Io['env'],
  a: ListFlags,
  until: Date | undefined,
  filters: Filters = {},
): E.Either<string, Start> =>
  startOf(
    env,
    a.cursor,
    {
      since: a.since,
      until,
      createdSince: a['created-since'],
      createdUntil: a['created-until'],
      order: a.order,
    },
    filters,
  );

type ReadFlags = {
  readonly json?: boolean | undefined;
  readonly output?: Output | undefined;
  readonly wide: boolean | undefined;
  readonly tz: string;
  readonly all?: boolean | undefined;
  readonly limit?: number | undefined;
  readonly count?: boolean | undefined;
};

export type ListQuery = {
  readonly name: string;
  /** The store cursor the list resumes at (`Start.store`). */
  readonly store: string | null;
  /** A filter on the rows read, which `--count` cannot count: its flag and what to run instead. */
  readonly rowFilter: { readonly flag: string; readonly instead: string } | null;
  readonly fetch: (store: Store) => Fetch;
  readonly keep?: (r: SummaryRow) => boolean;
  readonly print: Omit<PrintOptions, 'output' | 'layout'>;
};

/** Reads the list (one page, or every page with --all) and prints it; usage errors first. */
export const runList = (io: Io, config: Config, a: ReadFlags, q: ListQuery): Promise<CommandResult> => {
  const out = listOutput(io, a);
  if (E.isLeft(out)) return Promise.resolve(usageFailure(out.left));
  const uncountable = q.rowFilter === null ? null : countFilterError(a.count, q.rowFilter.flag, q.rowFilter.instead);
  if (uncountable !== null) return Promise.resolve(usageFailure(uncountable));
  return withContext(config, io, async (ctx) => {
    const page = await readList(q.name, q.fetch(ctx.store), a, q.store, q.keep);
    return printPage(io, q.name, page, { ...out.right, ...q.print });
  });
};
