import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { Config } from '../kit/config/readConfig.js';
import { CheckFailed, type CommandResult, done, fail, Interrupted, Refused } from '../kit/failure.js';
import { createProgress } from '../kit/format/progress.js';
import type { Io } from '../kit/io.js';
import { withArgs } from '../kit/withArgs.js';
import { demoArgs } from './demoArgs.js';
import { type DemoOptions, type DemoOutcome, demoRun, interruptedLine, renderDemoReport } from './runDemo.js';

// `dh demo [--messages N] [--yes]`. The run (demoRun) starts, delivers, verifies and returns
// how it ended; this terminal face prints its notes (stdout, or stderr with --json), the
// deliveries' progress, and the outcome.

/** The refusal, on stderr (exit 2). */
const refusal = (config: Config): string =>
  `dh demo: refusing to write demo traffic to table "${config.tableName}" at ${config.endpoint ?? 'AWS'} without --yes.\n` +
  '  Unset DELIVERY_TABLE_NAME / AWS_ENDPOINT_URL_DYNAMODB to use the embedded DynamoDB Local instead.\n';

/** Prints how the demo ended; the exit says it too. */
const renderDemoOutput = (io: Io, o: DemoOptions, config: Config, out: DemoOutcome): CommandResult => {
  switch (out._tag) {
    case 'Refused':
      io.stderr.write(refusal(config));
      return fail(Refused);
    case 'Interrupted':
      io.stderr.write(interruptedLine(out.report, out.graceMs, out.runId, config));
      return fail(Interrupted);
    case 'Done':
      renderDemoReport(o, io, config, out.report);
      return out.report.verify.ok ? done : fail(CheckFailed);
  }
};

export const runDemo = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(demoArgs, argv, io, io.now(), configFlags, async (a, config) => {
    const o: DemoOptions = {
      messages: a.messages,
      maxAttempts: a['max-attempts'],
      concurrency: a.concurrency,
      progress: a.progress,
      json: a.json === true,
      yes: a.yes === true,
      zone: a.tz,
      timeoutMs: a['timeout-seconds'] * 1000,
    };
    const out = await demoRun(o, config, {
      now: io.now,
      progress: createProgress({
        mode: o.progress,
        label: 'deliveries',
        stderr: io.stderr,
        clock: () => io.now().getTime(),
      }),
      // notes stay off stdout when it carries the JSON document
      onEvent: (e) => (o.json ? io.stderr : io.stdout).write(`${e.line}\n`),
    });
    return E.isLeft(out) ? out : renderDemoOutput(io, o, config, out.right);
  });
