import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type AllowList,
  type DecodeError,
  defaultRetryPolicy,
  EMPTY_ALLOW_LIST,
  readEnv,
  sharedVars,
  stalled,
  withDefault,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags, hostMatches } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { operatorOf } from '../kit/config/operator.js';
import type { Config } from '../kit/config/readConfig.js';
import { type Context, unreachable, withContext } from '../kit/context.js';
import { toJson } from '../kit/format/json.js';
import { countedProgress, createProgress, type Progress } from '../kit/format/progress.js';
import { formatDuration } from '../kit/format/time.js';
import { onInterrupt } from '../kit/interrupt.js';
import { redriveReportJson, redriveWarningSummary, renderRedriveReport } from './redriveReport.js';
import { viewLayout, noteLine, stderrWidth } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { listSource } from '../kit/table/forEachParallel.js';
import { localRedriveQueue } from './localQueue.js';
import { type RedriveDeps, type RedriveQueue, type RedriveReport, redrive } from './redrive.js';
import { redriveWarnings } from './redriveWarnings.js';
import { sqsQueue } from './sqsQueue.js';
import { DEFAULT_STALLED_AFTER_MS } from '../verify/verifyTable.js';
import { type CliFailure, type CommandResult, done, fail } from '../kit/failure.js';
import { redriveFailure } from './redriveExit.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { redriveArgs } from './redriveArgs.js';
import type { ArgsOf } from '../kit/args/declaration.js';

// `dh replay redrive (--message ID... | --since T [--until T] [--exhausted] [--endpoint HOST]
//   | --stalled [--stalled-after D] [--since T] [--until T] [--endpoint HOST])
//   --reason TEXT [--by WHO] [--extra-attempts N] [--dry-run]`.
// `--stalled` selects every message that waited longer than --stalled-after for a worker
// (core's `stalled`; the same rule `dh verify` reports), by a scan of the STATE items; with
// --since/--until, only those waiting since that window.

const NAME = 'replay redrive';

type Args = ArgsOf<typeof redriveArgs>;

/** Stalled messages by filter: one Scan of STATE items, core's `stalled` rule. */
const stalledSelection = (a: Args, ctx: Context, now: Date): RedriveDeps['select'] => {
  const afterMs = a['stalled-after'] ?? DEFAULT_STALLED_AFTER_MS;
  return async (cursor) => {
    const page = await ctx.store.scanSegment({
      segment: 0,
      totalSegments: 1,
      ...(cursor !== null ? { cursor } : {}),
    })();
    if (E.isLeft(page)) return page;
    const items = page.right.items
      .filter((s) => {
        const stall = stalled(s, now, afterMs);
        if (stall === null) return false;
        if (a.endpoint !== undefined && !hostMatches(a.endpoint, s.endpoint)) return false;
        if (a.since !== undefined && stall.since < a.since.toISOString()) return false;
        return a.until === undefined || stall.since <= a.until.toISOString();
      })
      .map((s) => s.messageId);
    return E.right({ items, cursor: page.right.cursor });
  };
};

const selection = (a: Args, ctx: Context, now: Date): RedriveDeps['select'] => {
  if (a.message !== undefined) {
    const source = listSource(a.message);
    return (cursor) => source(0, 1, cursor);
  }
  if (a.stalled === true) return stalledSelection(a, ctx, now);
  return async (cursor) => {
    const page = await ctx.store.queryFailed({
      since: a.since ?? now,
      until: a.until ?? now,
      exhaustedOnly: a.exhausted === true,
      limit: 100,
      ...(cursor !== null ? { cursor } : {}),
    })();
    if (E.isLeft(page)) return page;
    const items = page.right.items
      .filter((r) => a.endpoint === undefined || hostMatches(a.endpoint, r.endpoint))
      .map((r) => r.messageId);
    return E.right({ items, cursor: page.right.cursor });
  };
};

/** What the selection was, for a run that found nothing ("0 messages considered: no ..."). */
const describeSelection = (a: Args, now: Date): string => {
  const to = a.endpoint !== undefined ? ` to ${a.endpoint}` : '';
  const since = (a.since ?? now).toISOString();
  const until = (a.until ?? now).toISOString();
  if (a.stalled === true)
    return `message${to} waited longer than ${formatDuration(a['stalled-after'] ?? DEFAULT_STALLED_AFTER_MS)} for a worker${a.since !== undefined ? ` since ${since}` : ''}`;
  const which = a.exhausted === true ? 'final FAILED' : 'FAILED';
  return `${which} message${to} was last updated between ${since} and ${until}`;
};

/** What finishes an interrupted local run: every message it left waiting, by filter. */
const finishCommand = (a: Args, startedAt: Date): string =>
  [
    'dh replay redrive --stalled --stalled-after 0s',
    `--since ${new Date(startedAt.getTime() - 1_000).toISOString()}`,
    ...(a.endpoint !== undefined ? [`--endpoint ${a.endpoint}`] : []),
    `--reason ${JSON.stringify(`finish: ${a.reason}`)}`,
  ].join(' ');

const openQueue = (
  config: Config,
  ctx: Context,
  io: { readonly env: Io['env']; readonly note: (line: string) => void },
  a: Args,
  startedAt: Date,
): { queue: RedriveQueue; close: () => void } => {
  const waitSeconds = a['wait-seconds'];
  if (config.queueUrl !== null) {
    const sqs = new SQSClient({
      ...(config.sqsEndpoint !== null ? { endpoint: config.sqsEndpoint } : {}),
      ...(config.region !== null ? { region: config.region } : {}),
    });
    return { queue: sqsQueue(sqs, config.queueUrl, startedAt), close: () => sqs.destroy() };
  }
  return {
    queue: localRedriveQueue({
      store: ctx.store,
      env: io.env,
      waitMs: waitSeconds * 1000,
      graceMs: a['grace-seconds'] * 1000,
      finishCommand: finishCommand(a, startedAt),
      note: io.note,
    }),
    close: () => {},
  };
};

// What a re-drive reads from the environment besides the table configuration (core's reader:
// a blank variable is absent, DELIVERY_MAX_ATTEMPTS has the worker's rule, and
// DELIVERY_ALLOW_TARGETS by the shared codec the worker reads it with, for the blocked-target warning).
const readRedriveEnv = readEnv('configuration', {
  DELIVERY_MAX_ATTEMPTS: withDefault(sharedVars.DELIVERY_MAX_ATTEMPTS, defaultRetryPolicy.maxAttempts),
  DELIVERY_ALLOW_TARGETS: withDefault(sharedVars.DELIVERY_ALLOW_TARGETS, EMPTY_ALLOW_LIST),
});

/** What a re-drive reads from the environment (the console's re-drive jobs read it too). */
export const redriveEnv = (
  env: Io['env'],
): E.Either<DecodeError, { readonly DELIVERY_MAX_ATTEMPTS: number; readonly DELIVERY_ALLOW_TARGETS: AllowList }> =>
  readRedriveEnv(env);

/** The store side of a re-drive (the console's re-drive jobs use it too); `reopened` counts stored REDRIVE events. */
export const storeRedriveDeps = (
  ctx: Context,
  reopened: () => void,
): Pick<RedriveDeps, 'getState' | 'appendRedrive' | 'appendRequeue'> => ({
  getState: async (id) => {
    const s = await ctx.store.getState(id)();
    return E.isRight(s) ? s : s.left._tag === 'NotFound' ? E.right(null) : E.left(s.left);
  },
  appendRedrive: async (input) => {
    const r = await ctx.store.appendRedrive(input)();
    if (E.isRight(r)) reopened();
    return E.isLeft(r)
      ? r
      : E.right({
          redriveNumber: r.right.redrive.redriveNumber,
          afterAttempt: r.right.redrive.afterAttempt,
          maxAttempts: r.right.redrive.maxAttempts,
        });
  },
  appendRequeue: (input) => ctx.store.appendRequeue(input)(),
});

const exitOf = (r: RedriveReport): CommandResult => {
  const failure = redriveFailure(r);
  return failure === null ? done : fail(failure);
};

/** What is wrong with the selection flags, or null. */
const validate = (a: Args, now: Date): string | null => {
  const byFilter = a.since !== undefined || a.stalled === true;
  if ((a.message !== undefined) === byFilter)
    return 'give either --message ID (repeatable), a filter starting with --since, or --stalled';
  if (a.stalled === true && a.exhausted !== undefined)
    return '--exhausted selects final FAILED messages; --stalled selects waiting ones';
  if (a.message !== undefined && (a.endpoint !== undefined || a.until !== undefined || a.exhausted !== undefined))
    return '--until, --exhausted and --endpoint filter a --since selection; not with --message';
  return timeWindowError({ since: a.since ?? null, until: a.since === undefined ? null : (a.until ?? now) }, now);
};

/** What `dh replay redrive` was asked, with what the terminal face read before it (operator, environment). */
export type RedriveInput = {
  readonly a: Args;
  /** Who is recorded on the REDRIVE events (operatorOf). */
  readonly operator: string;
  /** The environment the local delivery's worker reads, and the re-drive's own (redriveEnv). */
  readonly env: Io['env'];
  readonly settings: { readonly DELIVERY_MAX_ATTEMPTS: number; readonly DELIVERY_ALLOW_TARGETS: AllowList };
  /** The instant the selection window and stall are judged at. */
  readonly now: Date;
};

/** What a re-drive says as it goes: a REDRIVE event stored, a line of the local delivery's progress. */
export type RedriveEvent = { readonly _tag: 'Reopened' } | { readonly _tag: 'Note'; readonly line: string };

/**
 * `dh replay redrive`'s run: selects, reopens and enqueues (or, dry, says what it would), and
 * with the local driver waits for the outcomes; the report is the answer. Rows that failed
 * because the table is gone are not an answer: that failure is (Infrastructure, exit 3).
 */
export const redriveRun = async (
  ctx: Context,
  input: RedriveInput,
  progress: Progress,
  onEvent: (e: RedriveEvent) => void,
): Promise<E.Either<CliFailure, RedriveReport>> => {
  const { a, now } = input;
  const note = (line: string) => onEvent({ _tag: 'Note', line });
  const { queue, close } = openQueue(ctx.config, ctx, { env: input.env, note }, a, now);
  try {
    const report = await redrive(
      {
        select: selection(a, ctx, now),
        ...storeRedriveDeps(ctx, () => onEvent({ _tag: 'Reopened' })),
        queue,
        progress,
        warn: redriveWarnings({
          allow: input.settings.DELIVERY_ALLOW_TARGETS,
          remoteWorker: ctx.config.queueUrl !== null,
        }),
      },
      {
        dryRun: a['dry-run'] === true,
        reason: a.reason,
        requestedBy: input.operator,
        extraAttempts: a['extra-attempts'] ?? input.settings.DELIVERY_MAX_ATTEMPTS,
        ...(a.limit !== undefined ? { limit: a.limit } : {}),
        ...(a.endpoint !== undefined ? { endpoint: a.endpoint } : {}),
        stalled: { now, afterMs: a['stalled-after'] ?? DEFAULT_STALLED_AFTER_MS },
      },
    )();
    if (E.isLeft(report)) return report;
    const r = report.right;
    const gone = await unreachable(ctx, r.actions.failed > 0 ? redriveFailure(r) : null);
    return gone !== null ? E.left(gone) : report;
  } finally {
    close();
  }
};

/** Prints the report (warnings on stderr, then a table or JSON); the exit says whether every re-drive went out. */
export const renderRedriveOutput = (io: Io, r: RedriveReport, a: Args, now: Date): CommandResult => {
  const warned = redriveWarningSummary(r, stderrWidth(io));
  if (warned !== null) io.stderr.write(warned);
  io.stdout.write(
    a.json === true
      ? toJson(redriveReportJson(r))
      : renderRedriveReport(r, describeSelection(a, now), viewLayout(io, a)),
  );
  return exitOf(r);
};

export const runRedrive = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(redriveArgs, argv, io, now, configFlags, async (a, config) => {
    const problem = validate(a, now);
    if (problem !== null) return usageFailure(problem);
    const settings = readRedriveEnv(io.env);
    if (E.isLeft(settings)) return fail(settings.left);
    const who = operatorOf(a.by, io.env, (line) => io.stderr.write(noteLine(io, line)));
    if (E.isLeft(who)) return fail(who.left);
    const operator = who.right;
    return withContext(config, io, async (ctx) => {
      const counted = countedProgress(
        createProgress({ mode: a.progress, label: 'redrive', stderr: io.stderr, clock: () => io.now().getTime() }),
      );
      let reopened = 0;
      // Ctrl-C while selecting and reopening (local delivery has its own summary, see localQueue.ts)
      const forget = onInterrupt(
        NAME,
        () =>
          `${counted.done()} messages considered, ${reopened} reopened (REDRIVE events stored); ` +
          'run the same command again to finish: reopened ones are only enqueued, not re-driven twice',
      );
      const report = await redriveRun(
        ctx,
        { a, operator, env: io.env, settings: settings.right, now },
        counted.progress,
        (e) => {
          if (e._tag === 'Reopened') reopened++;
          else io.stderr.write(`${e.line}\n`);
        },
      );
      forget();
      return E.isLeft(report) ? report : renderRedriveOutput(io, report.right, a, now);
    });
  });
};
