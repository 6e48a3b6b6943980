import { AttemptItem, display } from '@delivery-history/core';
import { makeStreamClients, type StreamTail, tailStream } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags, hostMatches } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { type Context, clientOptionsOf, withContext } from '../kit/context.js';
import { oneLine, outcomeCode } from '../kit/format/describe.js';
import { statusColor } from '../kit/format/color.js';
import { type StreamColumn, streamHeader, streamRow } from '../kit/format/table.js';
import { type Layout, viewLayout } from '../kit/format/terminal.js';
import { absoluteTime, resultTime } from '../kit/format/time.js';
import { onInterrupt } from '../kit/interrupt.js';
import type { Io } from '../kit/io.js';
import { type CliFailure, type CommandResult, storeFailure } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { tailArgs } from './tailArgs.js';
import { attemptKey, type Backfill, readBackfill, retrySpanMs } from './tailBackfill.js';

type Args = ArgsOf<typeof tailArgs>;

// `dh tail [--since T] [--endpoint HOST] [--status S] [--message ID...] [--json]`: new attempts
// as they are appended, from the table's stream (read-only), until Ctrl-C (a one-line summary,
// 130). --since first prints the attempts completed since T (tailBackfill.ts), newest last.

export const hostOf = (url: string): string => {
  try {
    const u = new URL(url);
    return u.port === '' ? u.hostname : `${u.hostname}:${u.port}`;
  } catch {
    return '-';
  }
};

// On a narrow terminal the time shows its time of day, then CATEGORY, TIME, CODE and ENDPOINT
// give way in that order; the message, its attempt, status and error stay.
const COLUMNS: ReadonlyArray<StreamColumn> = [
  { head: 'COMPLETED', width: 20, narrow: 9 },
  { head: 'MESSAGE', width: 28 },
  { head: '#', width: 3, align: 'right' },
  { head: 'STATUS', width: 14, color: statusColor },
  { head: 'CATEGORY', width: 13, drop: 1 },
  { head: 'CODE', width: 22, narrow: 12, shrink: 12, drop: 3 },
  { head: 'TIME', width: 8, align: 'right', drop: 2 },
  { head: 'ENDPOINT', width: 22, shrink: 12, drop: 4 },
  { head: 'ERROR', width: 12 },
];

/** A failed attempt with a retry scheduled is not the message's end: told apart as in the lists. */
const isFinal = (a: AttemptItem): boolean => a.status === 'SUCCESS' || a.nextAttemptAt === null;

export const statusOf = (a: AttemptItem): string =>
  a.status === 'FAILED' ? (isFinal(a) ? 'FAILED (final)' : 'FAILED (retry)') : a.status;

const row = (a: AttemptItem, layout: Layout): string =>
  streamRow(
    COLUMNS,
    [
      { text: absoluteTime(a.completedAt, layout.zone), narrow: absoluteTime(a.completedAt, layout.zone).slice(11) },
      a.messageId,
      String(a.attemptNumber),
      statusOf(a),
      a.deliveryResult.category,
      { text: outcomeCode(a.deliveryResult), narrow: display.cut(outcomeCode(a.deliveryResult), 12) },
      resultTime(a.deliveryResult),
      hostOf(a.request.url),
      a.deliveryResult.errorDetails === null ? '' : oneLine(a.deliveryResult.errorDetails.message, 200),
    ],
    layout,
  );

const jsonLine = (a: AttemptItem): string =>
  `${display.json({
    messageId: a.messageId,
    attemptNumber: a.attemptNumber,
    status: a.status,
    final: isFinal(a),
    startedAt: a.startedAt,
    completedAt: a.completedAt,
    endpoint: hostOf(a.request.url),
    superseded: a.superseded,
    nextAttemptAt: a.nextAttemptAt,
    deliveryResult: a.deliveryResult,
  })}\n`;

/** The --endpoint/--host, --status and --message filters as one predicate. */
export const filterOf = (a: {
  readonly endpoint?: string | undefined;
  readonly host?: string | undefined;
  readonly status?: string | undefined;
  readonly message?: ReadonlyArray<string> | undefined;
}): ((x: AttemptItem) => boolean) => {
  const host = a.endpoint ?? a.host;
  const ids = a.message === undefined ? null : new Set(a.message);
  return (x) =>
    (host === undefined || hostMatches(host, hostOf(x.request.url))) &&
    (a.status === undefined || x.status === a.status) &&
    (ids === null || ids.has(x.messageId));
};

/** The stream images that decode as attempts (other items and odd images are skipped). */
export const attemptsOf = (images: ReadonlyArray<Record<string, unknown>>): AttemptItem[] =>
  images.flatMap((image) => {
    if (image.type !== 'ATTEMPT') return [];
    const attempt = AttemptItem.decode(image);
    return E.isRight(attempt) ? [attempt.right] : [];
  });

/** What a tail run says as it goes; the terminal prints each (the console may stream them). */
export type TailEvent =
  /** The stream is open at LATEST: what follows has no gap. */
  | { readonly _tag: 'Opened' }
  /** --since: the attempts completed since then (newest last). */
  | { readonly _tag: 'Backfill'; readonly backfill: Backfill; readonly since: Date }
  /** From here on, new attempts as the stream brings them. */
  | { readonly _tag: 'Following'; readonly tableName: string }
  | { readonly _tag: 'Attempt'; readonly attempt: AttemptItem };

/**
 * The stream's attempts, until Ctrl-C; a stream error ends it (a StoreFailure, exit 3).
 * `seen`: the backfill's attempt keys, so an attempt both read and streamed shows once.
 */
const follow = async (
  tail: StreamTail,
  keep: (a: AttemptItem) => boolean,
  seen: ReadonlySet<string>,
  onEvent: (e: TailEvent) => void,
): Promise<E.Either<CliFailure, never>> => {
  for (;;) {
    const images = await tail.next()();
    if (E.isLeft(images)) return E.left(storeFailure(images.left, "the table's stream"));
    for (const attempt of attemptsOf(images.right).filter(keep)) {
      if (seen.has(attemptKey(attempt))) continue;
      onEvent({ _tag: 'Attempt', attempt });
    }
  }
};

/** What the backfill's line on stderr says. */
const backfillLine = (b: Backfill, since: Date): string =>
  `dh tail: ${b.attempts.length} attempts completed since ${since.toISOString()}${b.skipped > 0 ? ` (the newest; ${b.skipped} older not shown)` : ''}; then new ones as they come\n`;

/** The backfill of --since. */
const backfillOf = (ctx: Context, a: Args, since: Date, keep: (x: AttemptItem) => boolean) => {
  const host = a.endpoint ?? a.host;
  return readBackfill(
    ctx.store,
    {
      since,
      now: ctx.now(),
      endpoint: host,
      matches: host === undefined ? undefined : (e: string) => hostMatches(host, e),
      messages: a.message,
      lookbackMs: retrySpanMs(ctx.config.policies.retry),
    },
    keep,
  );
};

/**
 * `dh tail`'s run: opens the stream (LATEST), reads the --since backfill, then follows; every
 * step and attempt goes to `onEvent`. It ends only with a failure (or the process, on Ctrl-C).
 */
export const tailRun = async (
  ctx: Context,
  a: Args,
  onEvent: (e: TailEvent) => void,
): Promise<E.Either<CliFailure, never>> => {
  const keep = filterOf(a);
  const { tableName } = ctx.config;
  const streams = makeStreamClients(clientOptionsOf(ctx.config));
  try {
    // the stream's position is taken before the backfill reads: no gap at the seam
    const tail = await tailStream({ client: ctx.clients.client, streams: streams.streams, tableName })();
    if (E.isLeft(tail)) return E.left(storeFailure(tail.left, `the stream of table "${tableName}"`));
    onEvent({ _tag: 'Opened' });
    let seen: ReadonlySet<string> = new Set();
    if (a.since !== undefined) {
      const b = await backfillOf(ctx, a, a.since, keep);
      if (E.isLeft(b)) return E.left(storeFailure(b.left, `the attempts since ${a.since.toISOString()}`));
      onEvent({ _tag: 'Backfill', backfill: b.right, since: a.since });
      seen = new Set(b.right.attempts.map(attemptKey));
    }
    onEvent({ _tag: 'Following', tableName });
    return await follow(tail.right, keep, seen, onEvent);
  } finally {
    streams.destroy();
  }
};

/** The terminal face of the events: rows (or JSON lines) on stdout, the notes on stderr; `count` is the rows shown. */
const printer = (io: Io, a: Args, count: { n: number }) => {
  const layout = viewLayout(io, a);
  const print = a.json === true ? jsonLine : (x: AttemptItem) => row(x, layout);
  return (e: TailEvent): void => {
    switch (e._tag) {
      case 'Opened':
        if (a.json !== true) io.stdout.write(streamHeader(COLUMNS, layout));
        return;
      case 'Backfill':
        io.stderr.write(backfillLine(e.backfill, e.since));
        for (const x of e.backfill.attempts) io.stdout.write(print(x));
        count.n = e.backfill.attempts.length;
        return;
      case 'Following':
        io.stderr.write(`dh tail: following new attempts in "${e.tableName}" (Ctrl-C to stop)\n`);
        return;
      case 'Attempt':
        io.stdout.write(print(e.attempt));
        count.n++;
        return;
    }
  };
};

export const runTail = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(tailArgs, argv, io, now, configFlags, async (a, config) => {
    const wrong = a.since === undefined ? null : timeWindowError({ since: a.since, until: null }, now);
    if (wrong !== null) return usageFailure(wrong);
    return withContext(config, io, (ctx) => {
      const started = io.now().getTime();
      const count = { n: 0 };
      onInterrupt('tail', () => `${count.n} attempts shown in ${Math.round((io.now().getTime() - started) / 1000)}s`);
      return tailRun(ctx, a, printer(io, a, count));
    });
  });
};
