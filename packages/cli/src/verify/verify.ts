import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { withContext } from '../kit/context.js';
import { toJson } from '../kit/format/json.js';
import { afterPhase, countedProgress, createProgress, startPhase } from '../kit/format/progress.js';
import { onInterrupt } from '../kit/interrupt.js';
import { viewLayout } from '../kit/format/terminal.js';
import { renderVerifyReport, verifyReportJson } from './verifyReport.js';
import type { Io } from '../kit/io.js';
import { DEFAULT_ITEM_BUDGET, verifyTable } from './verifyTable.js';
import { CheckFailed, type CommandResult, done, fail } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';
import { verifyArgs } from './verifyArgs.js';

// `dh verify`: every invariant over the table; exit 1 when any fails.

export const runVerify = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(verifyArgs, argv, io, io.now(), configFlags, (a, config) =>
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one command's flow (select, check, report, exit code) read top to bottom; its steps are already functions
    withContext(config, io, async (ctx) => {
      const mode = a.progress;
      const clock = () => io.now().getTime();
      // the whole table is counted first (a Select: COUNT scan): say so, spin on a terminal
      const phase =
        a.message === undefined
          ? startPhase({
              mode,
              stderr: io.stderr,
              clock,
              text: 'dh verify: counting the messages first (one Select: COUNT scan)...',
            })
          : { stop() {} };
      const counted = countedProgress(
        afterPhase(phase, createProgress({ mode, label: 'verify', stderr: io.stderr, clock })),
      );
      const progress = counted.progress;
      onInterrupt(
        'verify',
        () =>
          `${counted.done()}${counted.total() === null ? '' : ` of ${counted.total()}`} messages checked, nothing reported yet`,
      );
      const report = await verifyTable(
        {
          reader: ctx.reader,
          trailOf: ctx.trailOf,
          secrets: ctx.store.policies.secrets,
          progress,
          clock: () => io.now().getTime(),
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
      phase.stop();
      if (E.isLeft(report)) return fail(report.left);
      io.stdout.write(
        a.json === true ? toJson(verifyReportJson(report.right)) : renderVerifyReport(report.right, viewLayout(io, a)),
      );
      return report.right.ok ? done : fail(CheckFailed);
    }),
  );
