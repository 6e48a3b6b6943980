import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { type Context, withContext } from '../kit/context.js';
import { CheckFailed, type CliFailure, type CommandResult, done, fail } from '../kit/failure.js';
import { toJson } from '../kit/format/json.js';
import type { Progress } from '../kit/format/progress.js';
import { scanProgress } from '../kit/format/scanProgress.js';
import { viewLayout } from '../kit/format/terminal.js';
import { onInterrupt } from '../kit/interrupt.js';
import type { Io } from '../kit/io.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { type ReplayReport, replayProjections } from './replayProjections.js';
import { replayProjectionsArgs } from './replayProjectionsArgs.js';
import { renderReplayReport, replayReportJson } from './replayReport.js';
import { storeRepair } from './storeRepair.js';
import { trailWriter } from './writeTrail.js';

// `dh replay projections (--message ID... | --all) [--dry-run]`. The run replays and repairs
// (replayProjectionsRun: the report, nothing printed; progress goes to `progress`); the
// terminal face draws the progress and prints the report (renderReplayOutput).

type Args = ArgsOf<typeof replayProjectionsArgs>;

/** `dh replay projections`' answer: drift found, and what was repaired. */
export const replayProjectionsRun = (
  ctx: Context,
  a: Args,
  progress: Progress,
): Promise<E.Either<CliFailure, ReplayReport>> =>
  replayProjections(
    {
      reader: ctx.reader,
      trailOf: ctx.trailOf,
      repairProjection: storeRepair((id, expected, observed) => ctx.store.repairProjection(id, expected, observed)),
      repairTrail: trailWriter({ doc: ctx.clients.doc, tableName: ctx.config.tableName, clock: ctx.now }),
      progress,
      clock: () => ctx.now().getTime(),
    },
    {
      dryRun: a['dry-run'] === true,
      segments: a.segments,
      concurrency: a.concurrency,
      ...(a['max-report'] !== undefined ? { maxReported: a['max-report'] } : {}),
      ...(a.message !== undefined ? { messageIds: a.message } : {}),
    },
  )();

/** Prints the report (a table, or JSON); exit 1 when drift was found (dry run) or left unrepaired. */
export const renderReplayOutput = (io: Io, r: ReplayReport, a: Args): CommandResult => {
  io.stdout.write(a.json === true ? toJson(replayReportJson(r)) : renderReplayReport(r, viewLayout(io, a)));
  const left = r.actions['would-repair'] + r.actions.busy + r.actions.failed + r.actions['skipped-in-flight'];
  return left > 0 || r.actions['not-found'] > 0 ? fail(CheckFailed) : done;
};

export const runReplayProjections = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(replayProjectionsArgs, argv, io, io.now(), configFlags, async (a, config) => {
    if ((a.message === undefined) === (a.all !== true)) {
      return usageFailure('give either --message ID (repeatable) or --all');
    }
    return withContext(config, io, async (ctx) => {
      // --all counts first (a Select: COUNT scan, seconds on a big table): say so, spin on a terminal
      const shown = scanProgress(io, {
        mode: a.progress,
        label: a['dry-run'] === true ? 'replay (dry run)' : 'replay',
        counting:
          a.all === true ? 'dh replay projections: counting the messages first (one Select: COUNT scan)...' : null,
      });
      onInterrupt(
        'replay projections',
        () => `${shown.soFar()} messages replayed (repairs written so far stay; run it again to finish)`,
      );
      const report = await replayProjectionsRun(ctx, a, shown.progress);
      shown.stop();
      return E.isLeft(report) ? report : renderReplayOutput(io, report.right, a);
    });
  });
