import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { Io } from '../kit/io.js';
import type { CommandResult } from '../kit/failure.js';
import { createdInput, createdWindowError } from '../listing/listing.js';
import { runList, startOfList } from '../listing/runList.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { correlationArgs } from './correlationArgs.js';

// `dh correlation <correlationId> [--created-since T] [--created-until T] [--order O]`: the
// index is sorted by creation time, so the created window is a key range.

export const runCorrelation = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(correlationArgs, argv, io, now, configFlags, async (a, config) => {
    const start = startOfList(io.env, a, undefined);
    if (E.isLeft(start)) return usageFailure(start.left);
    const { window, order } = start.right;
    const invalid = createdWindowError(window, now, a.cursor !== undefined);
    if (invalid !== null) return usageFailure(invalid);
    return runList(io, config, a, {
      name: 'correlation',
      store: start.right.store,
      rowFilter: null,
      fetch: (store) => (limit, cursor, count) =>
        store.queryByCorrelation({
          correlationId: a.correlationId,
          ...createdInput(window),
          order,
          limit,
          ...(cursor !== null ? { cursor } : {}),
          count: count === true,
        }),
      print: {
        order,
        timeColumn: 'createdAt',
        window,
        repeat: `dh correlation ${a.correlationId}`,
        what: `messages with correlation id "${a.correlationId}"`,
      },
    });
  });
};
