import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { type Context, withContext } from '../kit/context.js';
import { type CliFailure, CheckFailed, type CommandResult, done, fail } from '../kit/failure.js';
import { toJson } from '../kit/format/json.js';
import type { Progress } from '../kit/format/progress.js';
import { scanProgress } from '../kit/format/scanProgress.js';
import { viewLayout } from '../kit/format/terminal.js';
import { onInterrupt } from '../kit/interrupt.js';
import type { Io } from '../kit/io.js';
import { withArgs } from '../kit/withArgs.js';
import { verifyArgs } from './verifyArgs.js';
import { renderVerifyReport, verifyReportJson } from './verifyReport.js';
import { DEFAULT_ITEM_BUDGET, type VerifyReport, verifyTable } from './verifyTable.js';

// `dh verify`: every invariant over the table; exit 1 when any fails. The run reads and checks
// (verifyRun: the report, nothing printed; its progress goes to the `progress` it is given);
// the terminal face draws the progress and prints the report (renderVerifyOutput).

type Args = ArgsOf<typeof verifyArgs>;

/** `dh verify`'s answer: the report of every check over the table (or the --message list). */
export const verifyRun = async (
  ctx: Context,
  a: Args,
  progress: Progress,
): Promise<E.Either<CliFailure, VerifyReport>> =>
  verifyTable(
    {
      reader: ctx.reader,
      trailOf: ctx.trailOf,
      secrets: ctx.store.policies.secrets,
      progress,
      clock: () => ctx.now().getTime(),
    },
    {
      segments: a.segments,
      concurrency: a.concurrency,
      itemBudgetBytes: a['item-budget'] ?? DEFAULT_ITEM_BUDGET,
      allowLag: a['allow-lag'] === true,
      ...(a['stalled-after'] !== undefined ? { stalledAfterMs: a['stalled-after'] } : {}),
      ...(a['max-violations'] !== undefined ? { maxViolations: a['max-violations'] } : {}),
      ...(a.message !== undefined ? { messageIds: a.message } : {}),
    },
  )();

/** Prints the report (a table, or JSON); exit 1 when a check failed. */
export const renderVerifyOutput = (io: Io, report: VerifyReport, a: Args): CommandResult => {
  io.stdout.write(a.json === true ? toJson(verifyReportJson(report)) : renderVerifyReport(report, viewLayout(io, a)));
  return report.ok ? done : fail(CheckFailed);
};

export const runVerify = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(verifyArgs, argv, io, io.now(), configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      // the whole table is counted first (a Select: COUNT scan): say so, spin on a terminal
      const shown = scanProgress(io, {
        mode: a.progress,
        label: 'verify',
        counting: a.message === undefined ? 'dh verify: counting the messages first (one Select: COUNT scan)...' : null,
      });
      onInterrupt('verify', () => `${shown.soFar()} messages checked, nothing reported yet`);
      const report = await verifyRun(ctx, a, shown.progress);
      shown.stop();
      return E.isLeft(report) ? report : renderVerifyOutput(io, report.right, a);
    }),
  );
