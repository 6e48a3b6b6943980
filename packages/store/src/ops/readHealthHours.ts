import { type HealthHour, HealthHourItem, hourOf, isExpired, sumShards } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { endpointOfHourKey, healthDayPartition, healthHourKey, type Key } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { batchGet } from '../support/batchGet.js';
import { decodeItem } from '../support/decode.js';
import { chunks, traverseInWaves } from '../support/waves.js';
import { queryAll } from './listAttempts.js';
import { type HealthWindow, readEndpointHealth } from './readEndpointHealth.js';

// What the faces read (`dh endpoints`, the console, `dh tail`'s backfill): the endpoint-hour
// roll-ups of a window, one item per endpoint and hour whatever the shard count. The day items
// (one Query per day) name the endpoints; an endpoint with a run of hours in the window is
// read by one Query over its roll-up partition's hour range, scattered hours by BatchGetItem.
// A 24 h window of 20 endpoints is 2 day Queries and 20 range Queries returning 480 items (the
// shards' read was 1,920 index rows and 1,920 buckets). A day without day items (written
// before the roll-ups existed) is read from its shards and summed, unless `rollupsOnly`.

export type HoursWindow = HealthWindow & {
  /** Replay's read: the roll-ups as stored, no day read from the shards. */
  readonly rollupsOnly?: boolean;
};

const DayRow = t.type({ type: t.literal('HEALTH_DAY'), sk: t.string });

const HOUR_MS = 3_600_000;
/** Reads (Queries and BatchGets) at once. */
const READS_IN_FLIGHT = 16;
/** An endpoint with this many hours of the window or more is read by one Query over its hours. */
const RANGE_FROM_HOURS = 12;

/** The window's hours (`yyyy-mm-ddThh`), first to last, widened to whole hours. */
const hoursOf = (w: HealthWindow): string[] => {
  const from = Date.parse(`${hourOf(w.since.toISOString())}:00:00Z`);
  const to = Math.max(from, w.until.getTime() - 1);
  const out: string[] = [];
  for (let h = from; h <= to; h += HOUR_MS) out.push(new Date(h).toISOString().slice(0, 13));
  return out;
};

/** The endpoints with roll-ups in a day (live, decoded, kept). */
const endpointsOfDay = (env: Env, ctx: ErrorContext, day: string, w: HealthWindow) =>
  pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': healthDayPartition(day) },
    }),
    TE.chainEitherK((items) =>
      E.traverseArray((i: Record<string, unknown>) => decodeItem(DayRow, i, { ...ctx, item: String(i.sk) }))(
        items.filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
      ),
    ),
    TE.map((rows) => ({
      day,
      // a day with day items (any endpoint, kept or not) is read from its roll-ups
      listed: rows.length > 0,
      endpoints: rows.map((r) => r.sk).filter((e) => w.keep === undefined || w.keep(e)),
    })),
  );

type Read =
  | { readonly _tag: 'range'; readonly endpoint: string; readonly hours: readonly string[] }
  | { readonly _tag: 'keys'; readonly keys: readonly Key[] }
  | { readonly _tag: 'shards'; readonly since: Date; readonly until: Date };

/** The reads of the window: per endpoint a range or keys, per day without day items its shards. */
const readsOf = (
  w: HoursWindow,
  hours: readonly string[],
  days: ReadonlyArray<{ day: string; listed: boolean; endpoints: readonly string[] }>,
): Read[] => {
  const byEndpoint = new Map<string, string[]>();
  for (const { day, endpoints } of days)
    for (const e of endpoints)
      byEndpoint.set(e, [...(byEndpoint.get(e) ?? []), ...hours.filter((h) => h.startsWith(day))]);
  const reads: Read[] = [];
  const scattered: Key[] = [];
  for (const [endpoint, hs] of byEndpoint) {
    if (hs.length >= RANGE_FROM_HOURS) reads.push({ _tag: 'range', endpoint, hours: hs });
    else scattered.push(...hs.map((h) => healthHourKey(endpoint, h)));
  }
  reads.push(...chunks(scattered, 100).map((keys): Read => ({ _tag: 'keys', keys })));
  if (w.rollupsOnly !== true)
    for (const { day, listed } of days)
      if (!listed) {
        const dayStart = Date.parse(`${day}T00:00:00Z`);
        reads.push({
          _tag: 'shards',
          since: new Date(Math.max(w.since.getTime(), dayStart)),
          until: new Date(Math.min(w.until.getTime(), dayStart + 24 * HOUR_MS)),
        });
      }
  return reads;
};

/** What one read gives: roll-up items as stored, or (a day without day items) its shards summed. */
type Got = { readonly items: Record<string, unknown>[]; readonly summed: HealthHour[] };

const read = (env: Env, ctx: ErrorContext, w: HealthWindow, r: Read): TE.TaskEither<StoreError, Got> => {
  if (r._tag === 'shards')
    return pipe(
      readEndpointHealth(env, { since: r.since, until: r.until, ...(w.keep === undefined ? {} : { keep: w.keep }) }),
      TE.map((buckets) => ({ items: [], summed: sumShards(buckets) })),
    );
  if (r._tag === 'keys')
    return pipe(
      batchGet(env, ctx, r.keys, false),
      TE.map((items) => ({ items, summed: [] })),
    );
  const first = healthHourKey(r.endpoint, r.hours[0] ?? '');
  const last = healthHourKey(r.endpoint, r.hours[r.hours.length - 1] ?? '');
  const named = new Set(r.hours.map((h) => healthHourKey(r.endpoint, h).sk));
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': first.pk, ':from': first.sk, ':to': last.sk },
    }),
    // exactly the hours of the days that list the endpoint, as a read by key would return
    TE.map((items) => ({ items: items.filter((i) => named.has(String(i.sk))), summed: [] })),
  );
};

/** Every endpoint-hour of the window (decoded), for every endpoint `keep` admits. */
export const readHealthHours = (env: Env, w: HoursWindow): TE.TaskEither<StoreError, HealthHour[]> => {
  const ctx: ErrorContext = { op: 'readHealthHours' };
  const hours = hoursOf(w);
  const dayList = [...new Set(hours.map((h) => h.slice(0, 10)))];
  return pipe(
    traverseInWaves(dayList, READS_IN_FLIGHT, (day) => endpointsOfDay(env, ctx, day, w)),
    TE.chain((days) => traverseInWaves(readsOf(w, hours, days), READS_IN_FLIGHT, (r) => read(env, ctx, w, r))),
    TE.chainEitherK((got) =>
      pipe(
        // retention: an hour past its TTL is gone, however much of it DynamoDB deleted yet
        got
          .flatMap((g) => g.items)
          .filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
        E.traverseArray((i) =>
          decodeItem(
            HealthHourItem,
            { ...i, endpoint: endpointOfHourKey(String(i.pk)) },
            { ...ctx, item: String(i.pk) },
          ),
        ),
        E.map((rollups) => [...rollups, ...got.flatMap((g) => g.summed)]),
      ),
    ),
  );
};
