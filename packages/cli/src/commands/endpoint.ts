import * as t from 'io-ts';
import { HostArg, IntArg, optional, TimeArg, UrlArg } from '../args/codecs.js';
import { CommonArgs, configFlags } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { DEFAULT_LIMIT, fetchAll, fetchPage, printPage, startOf } from './listing.js';
import { usageFailure, withArgs } from './withArgs.js';

// `dh endpoint <host[:port]> [--since T] [--until T] [--status S] [--all]`.

const spec: CommandSpec = {
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    all: { type: 'boolean' },
    endpoint: { type: 'string' },
  },
  positionals: ['host'],
};

const Status = t.keyof(
  { SUCCESS: null, FAILED: null, PENDING: null, PROCESSING: null },
  'SUCCESS|FAILED|PENDING|PROCESSING',
);

const args = (now: Date) =>
  t.intersection([
    CommonArgs,
    t.type({
      host: HostArg,
      since: optional(TimeArg(now)),
      until: optional(TimeArg(now)),
      status: optional(Status),
      limit: optional(IntArg(1, 1000)),
      cursor: optional(t.string),
      all: optional(t.boolean),
      // debt: the DynamoDB URL under its old name (--endpoint-url is the flag); kept for scripts
      endpoint: optional(UrlArg),
    }),
  ]);

export const runEndpoint = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs('endpoint', argv, io, spec, args(now), configFlags, async (a, config) => {
    const start = startOf(a.cursor, { since: a.since, until: a.until ?? (a.since !== undefined ? now : undefined) });
    const since = start.window.since === null ? undefined : new Date(start.window.since);
    const until = start.window.until === null ? undefined : new Date(start.window.until);
    if (a.cursor === undefined && since !== undefined && since.getTime() > now.getTime()) {
      return usageFailure(`--since ${since.toISOString()} is in the future`);
    }
    if (since !== undefined && until !== undefined && until.getTime() <= since.getTime()) {
      return usageFailure('--until must be after --since');
    }
    return withContext(config, io, async (ctx) => {
      const fetch = (limit: number, cursor: string | null) =>
        ctx.store.queryByEndpoint({
          endpoint: a.host,
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
          limit,
          ...(cursor !== null ? { cursor } : {}),
        });
      const keep = (r: { status: string }) => a.status === undefined || r.status === a.status;
      const page =
        a.all === true
          ? await fetchAll(fetch, a.limit ?? 1000, start.store, keep)
          : await fetchPage(fetch, a.limit ?? DEFAULT_LIMIT, start.store, keep);
      return printPage(io, 'endpoint', page, {
        json: a.json === true,
        timeColumn: 'lastUpdatedAt',
        window: start.window,
        what: `${a.status === undefined ? '' : `${a.status} `}messages for endpoint ${a.host}`,
      });
    });
  });
};
