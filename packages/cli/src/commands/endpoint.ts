import * as t from 'io-ts';
import { HostArg, IntArg, optional, TimeArg, UrlArg } from '../args/codecs.js';
import { CommonArgs, configFlags } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { DEFAULT_LIMIT, fetchPage, printPage } from './listing.js';
import { usageFailure, withArgs } from './withArgs.js';

// `dh endpoint <host[:port]> [--since T] [--until T]`.

const spec: CommandSpec = {
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    endpoint: { type: 'string' },
  },
  positionals: ['host'],
};

const args = (now: Date) =>
  t.intersection([
    CommonArgs,
    t.type({
      host: HostArg,
      since: optional(TimeArg(now)),
      until: optional(TimeArg(now)),
      limit: optional(IntArg(1, 1000)),
      cursor: optional(t.string),
      endpoint: optional(UrlArg),
    }),
  ]);

export const runEndpoint = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs('endpoint', argv, io, spec, args(io.now()), configFlags, async (a, config) => {
    if (a.since !== undefined && a.until !== undefined && a.until.getTime() <= a.since.getTime()) {
      return usageFailure('--until must be after --since');
    }
    return withContext(config, io, async (ctx) => {
      const page = await fetchPage(
        (limit, cursor) =>
          ctx.store.queryByEndpoint({
            endpoint: a.host,
            ...(a.since !== undefined ? { since: a.since } : {}),
            ...(a.until !== undefined ? { until: a.until } : {}),
            limit,
            ...(cursor !== null ? { cursor } : {}),
          }),
        a.limit ?? DEFAULT_LIMIT,
        a.cursor ?? null,
      );
      return printPage(io, 'endpoint', page, {
        json: a.json === true,
        timeColumn: 'lastUpdatedAt',
        what: `messages for endpoint ${a.host}`,
      });
    });
  });
