import * as E from 'fp-ts/lib/Either.js';
import { configFlags, hostMatches } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import type { Order } from '../listing/listArgs.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import type { Io } from '../kit/io.js';
import type { CommandResult } from '../kit/failure.js';
import type { Store } from '@delivery-history/store';
import { createdInput, createdWindowError, filtersGiven, type Window } from '../listing/listing.js';
import { runList, startOfList } from '../listing/runList.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { failedArgs } from './failedArgs.js';

// `dh failed --since T [--until T] [--exhausted | --held] [--endpoint HOST] [--order O] [--created-since T] [--all]`.
// `--held`: messages held by their endpoint's breaker (status HELD, by the time they were held);
// without it, held messages are left out (they have not failed: they wait for their endpoint).

type Args = ArgsOf<typeof failedArgs>;

/** The window, order and store cursor, or what is wrong with them. */
const resolve = (a: Args, now: Date, env: Io['env']) => {
  if (a.since === undefined && a.cursor === undefined)
    return E.left('--since: is required (or --cursor C from a page)');
  if (a.exhausted === true && a.held === true) return E.left('--exhausted and --held: a held message is not final');
  // a cursor carries the query its first page resolved (`-1h` once, not again per page)
  const start = startOfList(
    env,
    a,
    a.until ?? now,
    filtersGiven({ exhausted: a.exhausted, held: a.held, endpoint: a.endpoint ?? a.host }),
  );
  if (E.isLeft(start)) return start;
  const since = new Date(start.right.window.since ?? a.since?.toISOString() ?? now.toISOString());
  const until = new Date(start.right.window.until ?? now.toISOString());
  const wrong = timeWindowError({ since, until }, now, { future: a.cursor === undefined });
  if (wrong !== null) return E.left(wrong);
  const created = createdWindowError(start.right.window, now, a.cursor !== undefined);
  return created === null ? E.right({ ...start.right, since, until }) : E.left(created);
};

/** The `dh failed` query (the console's `/messages` calls it too): a page reader and the host filter on its rows. */
export const failedQuery = (
  store: Store,
  q: {
    readonly since: Date;
    readonly until: Date;
    readonly window: Window;
    readonly exhausted: boolean;
    /** Only messages held by their endpoint's breaker (else they are left out). */
    readonly held?: boolean;
    readonly order: Order;
    readonly host: string | undefined;
  },
) => ({
  fetch: (limit: number, cursor: string | null, count?: boolean) =>
    store.queryFailed({
      since: q.since,
      until: q.until,
      ...createdInput(q.window),
      exhaustedOnly: q.exhausted,
      order: q.order,
      limit,
      ...(cursor !== null ? { cursor } : {}),
      count: count === true,
    }),
  keep: failedKeep(q),
});

/** `dh failed`'s rows: the host rule; the failed index holds HELD messages too (keys.ts inFailedIndex): one list or the other. */
const failedKeep =
  (q: { readonly held?: boolean; readonly host: string | undefined }) =>
  (x: { readonly endpoint: string; readonly status: string }): boolean =>
    (q.host === undefined || hostMatches(q.host, x.endpoint)) && (x.status === 'HELD') === (q.held === true);

export const runFailed = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(failedArgs, argv, io, now, configFlags, async (a, config) => {
    const r = resolve(a, now, io.env);
    if (E.isLeft(r)) return usageFailure(r.left);
    const { since, until, window, order, filters } = r.right;
    const host = typeof filters.endpoint === 'string' ? filters.endpoint : undefined;
    const exhausted = filters.exhausted === true;
    const held = filters.held === true;
    const q = { since, until, window, exhausted, held, order, host };
    return runList(io, config, a, {
      name: 'failed',
      store: r.right.store,
      rowFilter:
        host === undefined
          ? null
          : { flag: '--endpoint', instead: `dh endpoint ${host} --since T --count counts its index` },
      fetch: (store) => failedQuery(store, q).fetch,
      keep: failedKeep(q),
      print: {
        order,
        timeColumn: 'lastUpdatedAt',
        window: { ...window, since: since.toISOString(), until: until.toISOString() },
        filters,
        what: `${exhausted ? 'exhausted failed' : held ? 'held' : 'failed'} messages between ${since.toISOString()} and ${until.toISOString()}${host === undefined ? '' : ` for ${host}`}`,
      },
    });
  });
};
