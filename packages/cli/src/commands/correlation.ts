import * as t from 'io-ts';
import { IntArg, NonEmptyArg, optional, UrlArg } from '../args/codecs.js';
import { CommonArgs, configFlags } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { DEFAULT_LIMIT, fetchAll, fetchPage, printPage } from './listing.js';
import { withArgs } from './withArgs.js';

// `dh correlation <correlationId>`.

const spec: CommandSpec = {
  options: {
    limit: { type: 'string' },
    cursor: { type: 'string' },
    all: { type: 'boolean' },
    endpoint: { type: 'string' },
  },
  positionals: ['correlationId'],
};

const Args = t.intersection([
  CommonArgs,
  t.type({
    correlationId: NonEmptyArg,
    limit: optional(IntArg(1, 1000)),
    cursor: optional(t.string),
    all: optional(t.boolean),
    endpoint: optional(UrlArg),
  }),
]);

export const runCorrelation = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs('correlation', argv, io, spec, Args, configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const fetch = (limit: number, cursor: string | null) =>
        ctx.store.queryByCorrelation({ correlationId: a.correlationId, limit, ...(cursor !== null ? { cursor } : {}) });
      const page =
        a.all === true
          ? await fetchAll(fetch, a.limit ?? 1000, a.cursor ?? null)
          : await fetchPage(fetch, a.limit ?? DEFAULT_LIMIT, a.cursor ?? null);
      return printPage(io, 'correlation', page, {
        json: a.json === true,
        timeColumn: 'createdAt',
        what: `messages with correlation id "${a.correlationId}"`,
      });
    }),
  );
