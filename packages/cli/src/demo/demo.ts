import * as t from 'io-ts';
import { IntArg, optional } from '../kit/args/codecs.js';
import { CommonArgs, configFlags, ProgressArgs } from '../kit/args/common.js';
import type { CommandSpec } from '../kit/args/parse.js';
import { runDemo as run } from './runDemo.js';
import { EXIT } from '../kit/exitCodes.js';
import type { Io } from '../kit/io.js';
import { CheckFailed, type CommandResult, done, fail, Interrupted, Refused } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';

// `dh demo [--messages N] [--yes]`.

export const spec: CommandSpec = {
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

// debt: runDemo (demo/) still returns an exit code and prints its own refusal; it should
// return a CliFailure. Until then its four codes (ok, refused, check failed, interrupted) are read back here.
const demoResult = (code: number): CommandResult => {
  if (code === EXIT.ok) return done;
  if (code === EXIT.config) return fail(Refused);
  return fail(code === EXIT.interrupted ? Interrupted : CheckFailed);
};

export const runDemo = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs('demo', argv, io, spec, Args, configFlags, async (a, config) =>
    demoResult(
      await run(
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
    ),
  );
