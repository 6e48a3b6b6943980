import { configFlags } from '../kit/args/common.js';
import { runDemo as run } from './runDemo.js';
import { EXIT } from '../kit/exitCodes.js';
import type { Io } from '../kit/io.js';
import { CheckFailed, type CommandResult, done, fail, Interrupted, Refused } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';
import { demoArgs } from './demoArgs.js';

// `dh demo [--messages N] [--yes]`.

// debt: runDemo (demo/) still returns an exit code and prints its own refusal; it should
// return a CliFailure. Until then its four codes (ok, refused, check failed, interrupted) are read back here.
const demoResult = (code: number): CommandResult => {
  if (code === EXIT.ok) return done;
  if (code === EXIT.config) return fail(Refused);
  return fail(code === EXIT.interrupted ? Interrupted : CheckFailed);
};

export const runDemo = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(demoArgs, argv, io, io.now(), configFlags, async (a, config) =>
    demoResult(
      await run(
        {
          messages: a.messages,
          maxAttempts: a['max-attempts'],
          concurrency: a.concurrency,
          progress: a.progress,
          json: a.json === true,
          yes: a.yes === true,
          zone: a.tz,
          timeoutMs: a['timeout-seconds'] * 1000,
        },
        config,
        io,
      ),
    ),
  );
