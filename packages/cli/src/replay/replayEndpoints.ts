import { tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { type Context, withContext } from '../kit/context.js';
import { toJson } from '../kit/format/json.js';
import type { Io } from '../kit/io.js';
import { type HealthRebuildReport, rebuildEndpointHealth } from './rebuildEndpointHealth.js';
import { CheckFailed, type CliFailure, type CommandResult, done, fail, storeFailure } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { replayEndpointsArgs } from './replayEndpointsArgs.js';

// `dh replay endpoints [--since T] [--until T] [--shards N] [--dry-run] [--json]`.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_REPORTED = 20;

const render = (r: HealthRebuildReport): string => {
  const head = `${r.dryRun ? 'would rewrite' : 'rewrote'} ${r.dryRun ? r.differences.length : r.written} of ${r.buckets} bucket shards (${r.attempts} attempts of ${r.scanned} messages, ${r.since} to ${r.until})`;
  const lines = r.differences
    .slice(0, MAX_REPORTED)
    .map((d) => `  ${d.hour} ${d.endpoint} shard ${d.shard}: stored ${d.stored} deliveries, expected ${d.expected}`);
  const more = r.differences.length > MAX_REPORTED ? [`  ... and ${r.differences.length - MAX_REPORTED} more`] : [];
  const h = r.rollups;
  // the roll-ups only when one differs: a clean run reads as before
  const hours =
    h.differences.length === 0
      ? []
      : [
          `${r.dryRun ? 'would rewrite' : 'rewrote'} ${r.dryRun ? h.differences.length : h.written} of ${h.hours} endpoint-hour roll-ups`,
          ...h.differences
            .slice(0, MAX_REPORTED)
            .map((d) => `  ${d.hour} ${d.endpoint}: stored ${d.stored} deliveries, expected ${d.expected}`),
          ...(h.differences.length > MAX_REPORTED ? [`  ... and ${h.differences.length - MAX_REPORTED} more`] : []),
        ];
  return `${[head, ...lines, ...more, ...hours].join('\n')}\n`;
};

/** Hours closed at `now`: the default window ends at the start of the current hour (the projector still writes it). */
const startOfHour = (d: Date): Date => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);

type Args = ArgsOf<typeof replayEndpointsArgs>;

/** `dh replay endpoints`' answer: the window's buckets recomputed, and those that differ (written unless --dry-run). */
export const replayEndpointsRun = async (
  ctx: Context,
  a: Args,
  window: { readonly since: Date; readonly until: Date },
): Promise<E.Either<CliFailure, HealthRebuildReport>> => {
  const report = await rebuildEndpointHealth(
    {
      reader: ctx.reader,
      readBuckets: (w) => ctx.store.readEndpointHealth(w),
      putBuckets: (b) => ctx.store.putHealthBuckets(b),
      readHours: (w) => ctx.store.readHealthHours({ ...w, rollupsOnly: true }),
      putHours: (h) => ctx.store.putHealthHours(h),
      segments: a.segments,
      concurrency: 4,
      shards: a.shards ?? tableKeys.DEFAULT_HEALTH_SHARDS,
    },
    { ...window, dryRun: a['dry-run'] === true },
  );
  return E.isLeft(report) ? E.left(storeFailure(report.left, 'endpoint health')) : report;
};

/** Prints the report (lines, or JSON); exit 1 on a dry run that found differing buckets or roll-ups. */
export const renderReplayEndpointsOutput = (io: Io, r: HealthRebuildReport, a: Args): CommandResult => {
  io.stdout.write(a.json === true ? toJson(r) : render(r));
  return r.dryRun && (r.differences.length > 0 || r.rollups.differences.length > 0) ? fail(CheckFailed) : done;
};

export const runReplayEndpoints = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(replayEndpointsArgs, argv, io, now, configFlags, async (a, config) => {
    const until = a.until ?? startOfHour(now);
    const since = a.since ?? new Date(until.getTime() - DAY_MS);
    if (until.getTime() <= since.getTime()) return usageFailure('--until must be after --since');
    return withContext(config, io, async (ctx) => {
      const report = await replayEndpointsRun(ctx, a, { since, until });
      return E.isLeft(report) ? report : renderReplayEndpointsOutput(io, report.right, a);
    });
  });
};
