import * as t from 'io-ts';
import { IntArg, optional } from '../args/codecs.js';
import { CommonArgs, configFlags, ProgressArgs } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { runDemo as run } from '../demo/runDemo.js';
import type { Io } from '../io.js';
import { withArgs } from './withArgs.js';

// `dh demo [--messages N] [--yes]`.

const spec: CommandSpec = {
  options: {
    messages: { type: 'string' },
    'max-attempts': { type: 'string' },
    concurrency: { type: 'string' },
    'timeout-seconds': { type: 'string' },
    yes: { type: 'boolean' },
    progress: { type: 'string' },
  },
  positionals: [],
};

const Args = t.intersection([
  CommonArgs,
  ProgressArgs,
  t.type({
    messages: optional(IntArg(1, 10_000)),
    'max-attempts': optional(IntArg(1, 10)),
    concurrency: optional(IntArg(1, 64)),
    'timeout-seconds': optional(IntArg(5, 3600)),
    yes: optional(t.boolean),
  }),
]);

export const runDemo = (argv: ReadonlyArray<string>, io: Io): Promise<number> =>
  withArgs('demo', argv, io, spec, Args, configFlags, (a, config) =>
    run(
      {
        messages: a.messages ?? 300,
        maxAttempts: a['max-attempts'] ?? 3,
        concurrency: a.concurrency ?? 8,
        progress: a.progress ?? 'auto',
        json: a.json === true,
        yes: a.yes === true,
        timeoutMs: (a['timeout-seconds'] ?? 100) * 1000,
      },
      config,
      io,
    ),
  );
