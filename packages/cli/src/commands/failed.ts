import * as t from 'io-ts';
import { HostArg, IntArg, optional, TimeArg } from '../args/codecs.js';
import { CommonArgs, configFlags } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { DEFAULT_LIMIT, fetchPage, printPage } from './listing.js';
import { usageFailure, withArgs } from './withArgs.js';

// `dh failed --since T [--until T] [--exhausted] [--endpoint HOST]`.

const spec: CommandSpec = {
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    exhausted: { type: 'boolean' },
    endpoint: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
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
      limit: optional(IntArg(1, 1000)),
      cursor: optional(t.string),
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
      const until = a.until ?? now;
      if (until.getTime() <= a.since.getTime()) return usageFailure('--until must be after --since');
      return withContext(config, io, async (ctx) => {
        const page = await fetchPage(
          (limit, cursor) =>
            ctx.store.queryFailed({
              since: a.since,
              until,
              exhaustedOnly: a.exhausted === true,
              limit,
              ...(cursor !== null ? { cursor } : {}),
            }),
          a.limit ?? DEFAULT_LIMIT,
          a.cursor ?? null,
          (r) => a.endpoint === undefined || r.endpoint === a.endpoint,
        );
        return printPage(io, 'failed', page, {
          json: a.json === true,
          timeColumn: 'lastUpdatedAt',
          what: `${a.exhausted === true ? 'exhausted ' : ''}failed messages between ${a.since.toISOString()} and ${until.toISOString()}${a.endpoint === undefined ? '' : ` for ${a.endpoint}`}`,
        });
      });
    },
  );
};
