import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { withContext } from '../kit/context.js';
import { toJson } from '../kit/format/json.js';
import { afterPhase, countedProgress, createProgress, startPhase } from '../kit/format/progress.js';
import { onInterrupt } from '../kit/interrupt.js';
import { renderReplayReport, replayReportJson } from './replayReport.js';
import { viewLayout } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { replayProjections } from './replayProjections.js';
import { storeRepair } from './storeRepair.js';
import { trailWriter } from './writeTrail.js';
import { CheckFailed, type CommandResult, done, fail } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { replayProjectionsArgs } from './replayProjectionsArgs.js';

// `dh replay projections (--message ID... | --all) [--dry-run]`.

export const runReplayProjections = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(replayProjectionsArgs, argv, io, io.now(), configFlags, async (a, config) => {
    if ((a.message === undefined) === (a.all !== true)) {
      return usageFailure('give either --message ID (repeatable) or --all');
    }
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one command's flow (select, replay, repair, report) read top to bottom; its steps are already functions
    return withContext(config, io, async (ctx) => {
      const mode = a.progress;
      const clock = () => io.now().getTime();
      // --all counts first (a Select: COUNT scan, seconds on a big table): say so, spin on a terminal
      const phase =
        a.all === true
          ? startPhase({
              mode,
              stderr: io.stderr,
              clock,
              text: 'dh replay projections: counting the messages first (one Select: COUNT scan)...',
            })
          : { stop() {} };
      const counted = countedProgress(
        afterPhase(
          phase,
          createProgress({
            mode,
            label: a['dry-run'] === true ? 'replay (dry run)' : 'replay',
            stderr: io.stderr,
            clock,
          }),
        ),
      );
      const progress = counted.progress;
      onInterrupt(
        'replay projections',
        () =>
          `${counted.done()}${counted.total() === null ? '' : ` of ${counted.total()}`} messages replayed (repairs written so far stay; run it again to finish)`,
      );
      const report = await replayProjections(
        {
          reader: ctx.reader,
          trailOf: ctx.trailOf,
          repairProjection: storeRepair((id, expected, observed) => ctx.store.repairProjection(id, expected, observed)),
          repairTrail: trailWriter({ doc: ctx.clients.doc, tableName: config.tableName, clock: io.now }),
          progress,
          clock: () => io.now().getTime(),
        },
        {
          dryRun: a['dry-run'] === true,
          segments: a.segments,
          concurrency: a.concurrency,
          ...(a['max-report'] !== undefined ? { maxReported: a['max-report'] } : {}),
          ...(a.message !== undefined ? { messageIds: a.message } : {}),
        },
      )();
      phase.stop();
      if (E.isLeft(report)) return fail(report.left);
      const r = report.right;
      io.stdout.write(a.json === true ? toJson(replayReportJson(r)) : renderReplayReport(r, viewLayout(io, a)));
      const left = r.actions['would-repair'] + r.actions.busy + r.actions.failed + r.actions['skipped-in-flight'];
      return left > 0 || r.actions['not-found'] > 0 ? fail(CheckFailed) : done;
    });
  });
