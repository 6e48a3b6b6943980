import {
  endpointHealthOf,
  failuresByMinute,
  type HealthBucket,
  hourlySeriesOf,
  type MinuteFailures,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags, hostMatches } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { withContext } from '../kit/context.js';
import { renderEndpoints, renderSeries } from './endpointsView.js';
import { toJson } from '../kit/format/json.js';
import { absoluteTime } from '../kit/format/time.js';
import { type Layout, layoutOf } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { type CommandResult, done, fail, NotFound, storeFailure } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { endpointsArgs } from './endpointsArgs.js';

// `dh endpoints [<host[:port]>] [--since T] [--until T] [--wide] [--json]`: endpoint health from the
// projector's hourly aggregates (the store's readEndpointHealth: never a scan).

const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

/** The hours the aggregates cover for a window: [since's hour, until's hour end) (the store reads whole hours). */
const effectiveOf = (since: Date, until: Date): { since: Date; until: Date } => ({
  since: new Date(Math.floor(since.getTime() / HOUR_MS) * HOUR_MS),
  until: new Date(Math.ceil(until.getTime() / HOUR_MS) * HOUR_MS),
});

/** The JSON document (public: see the cli README); the console's endpoint pages render it too. */
export const endpointsDocument = (since: Date, until: Date, buckets: readonly HealthBucket[], series: boolean) => {
  const effective = effectiveOf(since, until);
  const mine = (endpoint: string) => buckets.filter((b) => b.endpoint === endpoint);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    // what the numbers cover: health is kept per hour, so the window is widened to whole hours
    effectiveSince: effective.since.toISOString(),
    effectiveUntil: effective.until.toISOString(),
    endpoints: endpointHealthOf(buckets).map((row) =>
      series
        ? {
            ...row,
            hours: hourlySeriesOf(mine(row.endpoint)),
            minutes: failuresByMinute(mine(row.endpoint), since, until),
          }
        : row,
    ),
  };
};

/** The window line above a table: the hours read, and the window asked when it was widened. */
const windowLine = (doc: ReturnType<typeof endpointsDocument>): string => {
  const widened = doc.effectiveSince !== doc.since || doc.effectiveUntil !== doc.until;
  return `Window: ${absoluteTime(doc.effectiveSince)} to ${absoluteTime(doc.effectiveUntil)}${widened ? ' (whole hours)' : ''}\n`;
};

const MARKS = ['▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The recent hour minute by minute: `·` none failed, a bar for some (scaled to the busiest minute), blank unknown. */
const minuteLines = (m: MinuteFailures): string => {
  const max = Math.max(0, ...m.failures.map((n) => n ?? 0));
  const marks = m.failures
    .map((n) => (n === null ? ' ' : n === 0 ? '·' : (MARKS[Math.ceil((n / max) * MARKS.length) - 1] ?? '█')))
    .join('');
  return `Failures per minute from ${absoluteTime(m.from)} (60 min, busiest ${max}):\n${marks}\n`;
};

type Window = { readonly since: Date; readonly until: Date; readonly host: string | undefined };

const describeWindow = (w: Window): string =>
  `endpoint health${w.host === undefined ? '' : ` for ${w.host}`} between ${w.since.toISOString()} and ${w.until.toISOString()}`;

/** Prints the table (or, for one host, its hourly series) or the JSON; an empty answer exits 1. */
const print = (
  io: Io,
  w: Window,
  buckets: readonly HealthBucket[],
  json: boolean,
  now: Date,
  layout: Layout,
): CommandResult => {
  const doc = endpointsDocument(w.since, w.until, buckets, w.host !== undefined);
  if (json) io.stdout.write(toJson(doc));
  else if (doc.endpoints.length === 0) {
    // nothing to show: the NotFound line on stderr says so
  } else if (w.host === undefined) io.stdout.write(`${windowLine(doc)}${renderEndpoints(doc.endpoints, now, layout)}`);
  else
    io.stdout.write(
      `${windowLine(doc)}${doc.endpoints
        .map(
          (r) =>
            `${renderSeries(r, 'hours' in r ? r.hours : [], now, layout)}${'minutes' in r ? `\n${minuteLines(r.minutes)}` : ''}`,
        )
        .join('\n')}`,
    );
  return doc.endpoints.length === 0 ? fail(NotFound(json ? null : `no ${describeWindow(w)}`)) : done;
};

const keepOf = (host: string | undefined) =>
  host === undefined ? {} : { keep: (endpoint: string) => hostMatches(host, endpoint) };

export const runEndpoints = async (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const [sub, ...rest] = argv;
  if (sub === 'pause' || sub === 'resume')
    return (await import('./endpointControl.js')).runEndpointControl(sub, rest, io);
  const now = io.now();
  return withArgs(endpointsArgs, argv, io, now, configFlags, async (a, config) => {
    const until = a.until ?? now;
    const w: Window = { since: a.since ?? new Date(until.getTime() - DAY_MS), until, host: a.host };
    const wrong = timeWindowError(w, now);
    if (wrong !== null) return usageFailure(wrong);
    return withContext(config, io, async (ctx) => {
      const read = await ctx.store.readEndpointHealth({ since: w.since, until, ...keepOf(w.host) })();
      if (E.isLeft(read)) return fail(storeFailure(read.left, describeWindow(w)));
      return print(io, w, read.right, a.json === true, now, layoutOf(io, a.wide));
    });
  });
};
