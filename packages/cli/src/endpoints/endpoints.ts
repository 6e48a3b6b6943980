import {
  type EndpointHealth,
  endpointHealthOf,
  failuresByMinute,
  type HealthHour,
  hourlySeriesOf,
  type MinuteFailures,
  quietEndpointHealth,
} from '@delivery-history/core';
import { type BreakerRow, CLOSED, needsAttention, readBreakerRows } from './breakerRows.js';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags, hostMatches } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { type Context, withContext } from '../kit/context.js';
import { renderEndpoints, renderSeries } from './endpointsView.js';
import { toJson } from '../kit/format/json.js';
import { absoluteTime } from '../kit/format/time.js';
import { type Layout, viewLayout } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { type CliFailure, type CommandResult, done, fail, NotFound, storeFailure } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { endpointsArgs } from './endpointsArgs.js';

// `dh endpoints [<host[:port]>] [--since T] [--until T] [--wide] [--json]`: endpoint health from the
// projector's hourly aggregates (the store's readHealthHours, the endpoint-hour roll-ups: never a scan).

const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

/** The hours the aggregates cover for a window: [since's hour, until's hour end) (the store reads whole hours). */
const effectiveOf = (since: Date, until: Date): { since: Date; until: Date } => ({
  since: new Date(Math.floor(since.getTime() / HOUR_MS) * HOUR_MS),
  until: new Date(Math.ceil(until.getTime() / HOUR_MS) * HOUR_MS),
});

/**
 * Health rows with their breakers: an endpoint with a breaker and no traffic in the window (a
 * paused one) gets a quiet row; rows whose breaker needs attention (not closed, or holding) first.
 */
const withBreakers = (
  health: readonly EndpointHealth[],
  breakers: ReadonlyMap<string, BreakerRow>,
): (EndpointHealth & { readonly breaker: BreakerRow })[] => {
  const seen = new Set(health.map((h) => h.endpoint));
  const quiet = [...breakers.keys()]
    .filter((e) => !seen.has(e))
    .sort()
    .map(quietEndpointHealth);
  const rows = [...health, ...quiet].map((h) => ({ ...h, breaker: breakers.get(h.endpoint) ?? CLOSED }));
  return [...rows.filter((r) => needsAttention(r.breaker)), ...rows.filter((r) => !needsAttention(r.breaker))];
};

/** The JSON document (public: see the cli README); the console's endpoint pages render it too. */
export const endpointsDocument = (
  since: Date,
  until: Date,
  buckets: readonly HealthHour[],
  series: boolean,
  breakers: ReadonlyMap<string, BreakerRow> = new Map(),
) => {
  const effective = effectiveOf(since, until);
  const mine = (endpoint: string) => buckets.filter((b) => b.endpoint === endpoint);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    // what the numbers cover: health is kept per hour, so the window is widened to whole hours
    effectiveSince: effective.since.toISOString(),
    effectiveUntil: effective.until.toISOString(),
    endpoints: withBreakers(endpointHealthOf(buckets), breakers).map((row) =>
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
const windowLine = (doc: ReturnType<typeof endpointsDocument>, tz: string): string => {
  const widened = doc.effectiveSince !== doc.since || doc.effectiveUntil !== doc.until;
  return `Window: ${absoluteTime(doc.effectiveSince, tz)} to ${absoluteTime(doc.effectiveUntil, tz)}${widened ? ' (whole hours)' : ''}\n`;
};

const MARKS = ['▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The recent hour minute by minute: `·` none failed, a bar for some (scaled to the busiest minute), blank unknown. */
const minuteLines = (m: MinuteFailures, tz: string): string => {
  const max = Math.max(0, ...m.failures.map((n) => n ?? 0));
  const marks = m.failures
    .map((n) => (n === null ? ' ' : n === 0 ? '·' : (MARKS[Math.ceil((n / max) * MARKS.length) - 1] ?? '█')))
    .join('');
  return `Failures per minute from ${absoluteTime(m.from, tz)} (60 min, busiest ${max}):\n${marks}\n`;
};

type Window = { readonly since: Date; readonly until: Date; readonly host: string | undefined };

const describeWindow = (w: Window): string =>
  `endpoint health${w.host === undefined ? '' : ` for ${w.host}`} between ${w.since.toISOString()} and ${w.until.toISOString()}`;

const keepOf = (host: string | undefined) =>
  host === undefined ? {} : { keep: (endpoint: string) => hostMatches(host, endpoint) };

/** `dh endpoints`' answer, read: the document (view model) the terminal and JSON renderers print. */
export const endpointsRun = async (
  ctx: Context,
  w: Window,
): Promise<E.Either<CliFailure, ReturnType<typeof endpointsDocument>>> => {
  const read = await ctx.store.readHealthHours({ since: w.since, until: w.until, ...keepOf(w.host) })();
  if (E.isLeft(read)) return E.left(storeFailure(read.left, describeWindow(w)));
  const host = w.host;
  const breakers = await readBreakerRows(ctx.store, (e) => host === undefined || hostMatches(host, e));
  if (E.isLeft(breakers)) return E.left(storeFailure(breakers.left, 'endpoint breakers'));
  return E.right(endpointsDocument(w.since, w.until, read.right, w.host !== undefined, breakers.right));
};

/** Prints the table (or, for one host, its hourly series) or the JSON; an empty answer exits 1. */
const renderEndpointsOutput = (
  io: Io,
  w: Window,
  doc: ReturnType<typeof endpointsDocument>,
  json: boolean,
  now: Date,
  layout: Layout,
): CommandResult => {
  if (json) io.stdout.write(toJson(doc));
  else if (doc.endpoints.length === 0) {
    // nothing to show: the NotFound line on stderr says so
  } else if (w.host === undefined)
    io.stdout.write(`${windowLine(doc, layout.zone)}${renderEndpoints(doc.endpoints, now, layout)}`);
  else
    io.stdout.write(
      `${windowLine(doc, layout.zone)}${doc.endpoints
        .map(
          (r) =>
            `${renderSeries(r, 'hours' in r ? r.hours : [], now, layout)}${'minutes' in r ? `\n${minuteLines(r.minutes, layout.zone)}` : ''}`,
        )
        .join('\n')}`,
    );
  return doc.endpoints.length === 0 ? fail(NotFound(json ? null : `no ${describeWindow(w)}`)) : done;
};

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
      const doc = await endpointsRun(ctx, w);
      return E.isLeft(doc)
        ? E.left(doc.left)
        : renderEndpointsOutput(io, w, doc.right, a.json === true, now, viewLayout(io, a));
    });
  });
};
