import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { withContext } from '../kit/context.js';
import type { Io } from '../kit/io.js';
import type { CommandResult } from '../kit/failure.js';
import { createdInput, createdWindowError, listOutput, printPage, readList, startOf } from '../listing/listing.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { correlationArgs } from './correlationArgs.js';

// `dh correlation <correlationId> [--created-since T] [--created-until T] [--order O]`: the
// index is sorted by creation time, so the created window is a key range.

export const runCorrelation = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(correlationArgs, argv, io, now, configFlags, async (a, config) => {
    const start = startOf(io.env, a.cursor, {
      createdSince: a['created-since'],
      createdUntil: a['created-until'],
      order: a.order,
    });
    if (E.isLeft(start)) return usageFailure(start.left);
    const { window, order } = start.right;
    const invalid = createdWindowError(window, now, a.cursor !== undefined);
    if (invalid !== null) return usageFailure(invalid);
    const out = listOutput(io, a);
    if (E.isLeft(out)) return usageFailure(out.left);
    return withContext(config, io, async (ctx) => {
      const fetch = (limit: number, cursor: string | null, count?: boolean) =>
        ctx.store.queryByCorrelation({
          correlationId: a.correlationId,
          ...createdInput(window),
          order,
          limit,
          ...(cursor !== null ? { cursor } : {}),
          count: count === true,
        });
      const page = await readList('correlation', fetch, a, start.right.store);
      return printPage(io, 'correlation', page, {
        ...out.right,
        order,
        timeColumn: 'createdAt',
        window,
        repeat: `dh correlation ${a.correlationId}`,
        what: `messages with correlation id "${a.correlationId}"`,
      });
    });
  });
};
