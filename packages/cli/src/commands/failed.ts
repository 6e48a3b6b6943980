import * as t from 'io-ts';
import { HostArg, IntArg, optional, TimeArg } from '../args/codecs.js';
import { CommonArgs, configFlags, hostMatches } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import { onInterrupt } from '../interrupt.js';
import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { DEFAULT_LIMIT, fetchAll, fetchPage, printPage, startOf } from './listing.js';
import { usageFailure, withArgs } from './withArgs.js';

// `dh failed --since T [--until T] [--exhausted] [--endpoint HOST] [--all]`.

const spec: CommandSpec = {
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    exhausted: { type: 'boolean' },
    endpoint: { type: 'string' },
    host: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    all: { type: 'boolean' },
  },
  positionals: [],
};

const args = (now: Date) =>
  t.intersection([
    CommonArgs,
    t.type({
      since: TimeArg(now),
      until: optional(TimeArg(now)),
      exhausted: optional(t.boolean),
      endpoint: optional(HostArg),
      host: optional(HostArg),
      limit: optional(IntArg(1, 1000)),
      cursor: optional(t.string),
      all: optional(t.boolean),
    }),
  ]);

export const runFailed = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(
    'failed',
    argv,
    io,
    spec,
    args(now),
    (a) => configFlags({ ...a, endpoint: undefined }),
    async (a, config) => {
      // a cursor carries the window its first page resolved (`-1h` once, not again per page)
      const start = startOf(a.cursor, { since: a.since, until: a.until ?? now });
      const since = new Date(start.window.since ?? a.since.toISOString());
      const until = new Date(start.window.until ?? now.toISOString());
      if (a.cursor === undefined && since.getTime() > now.getTime()) {
        return usageFailure(`--since ${since.toISOString()} is in the future`);
      }
      if (until.getTime() <= since.getTime()) return usageFailure('--until must be after --since');
      const host = a.endpoint ?? a.host;
      return withContext(config, io, async (ctx) => {
        const fetch = (limit: number, cursor: string | null) =>
          ctx.store.queryFailed({
            since,
            until,
            exhaustedOnly: a.exhausted === true,
            limit,
            ...(cursor !== null ? { cursor } : {}),
          });
        const keep = (r: { endpoint: string }) => host === undefined || hostMatches(host, r.endpoint);
        let rows = 0;
        const forget = onInterrupt('failed', () => `${rows} messages read`);
        const page =
          a.all === true
            ? await fetchAll(fetch, a.limit ?? 1000, start.store, keep, (n) => {
                rows = n;
              })
            : await fetchPage(fetch, a.limit ?? DEFAULT_LIMIT, start.store, keep);
        forget();
        return printPage(io, 'failed', page, {
          json: a.json === true,
          timeColumn: 'lastUpdatedAt',
          window: { since: since.toISOString(), until: until.toISOString() },
          what: `${a.exhausted === true ? 'exhausted ' : ''}failed messages between ${since.toISOString()} and ${until.toISOString()}${host === undefined ? '' : ` for ${host}`}`,
        });
      });
    },
  );
};
