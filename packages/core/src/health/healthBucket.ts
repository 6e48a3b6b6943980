import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { NonNegativeInt } from '../codecs/primitives.js';
import { isCounterName } from './counters.js';
import { addCounters } from './counters.js';
import { type EventMarker, maxMarker } from './healthDelta.js';

// ---------------------------------------------------------------------------
// model: one endpoint-hour (every shard summed: the roll-up the faces read), and one stored
// shard of it (what the projector counts into), decoded
// ---------------------------------------------------------------------------

export type HealthHour = {
  readonly endpoint: string;
  readonly hour: string;
  readonly counters: Readonly<Record<string, number>>;
  readonly lastOk: EventMarker | null;
  readonly lastFail: EventMarker | null;
};

export type HealthBucket = HealthHour & { readonly shard: number };

const Hour = new t.Type<string, string, unknown>(
  'Hour (yyyy-mm-ddThh)',
  (u): u is string => typeof u === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const Fields = t.intersection([
  t.type({ type: t.literal('HEALTH'), endpoint: t.string, hour: Hour, shard: NonNegativeInt }),
  t.partial({ lastOk: t.string, lastFail: t.string }),
]);

const HourFields = t.intersection([
  t.type({ type: t.literal('HEALTH_HOUR'), endpoint: t.string, hour: Hour }),
  t.partial({ lastOk: t.string, lastFail: t.string }),
]);

const Record_ = t.record(t.string, t.unknown);

/** Counters are the item's top-level attributes named by `COUNTER_NAME`; each a non-negative integer. */
const countersOf = (item: Record<string, unknown>, c: t.Context): t.Validation<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) {
    if (!isCounterName(k)) continue;
    const n = NonNegativeInt.validate(v, t.appendContext(c, k, NonNegativeInt, v));
    if (E.isLeft(n)) return n;
    out[k] = n.right;
  }
  return t.success(out);
};

type CountedFields = {
  readonly endpoint: string;
  readonly hour: string;
  readonly lastOk?: string;
  readonly lastFail?: string;
};

/**
 * A stored item of counters: its named fields by `fields`, its counters by `countersOf`, then
 * `shape` keeps what the model holds (keys and unknown attributes are dropped).
 */
const countedItem = <F extends CountedFields, A>(
  name: string,
  is: (u: object) => boolean,
  fields: t.Decoder<unknown, F>,
  shape: (f: F, hour: HealthHour) => A,
): t.Type<A, unknown, unknown> =>
  new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => typeof u === 'object' && u !== null && 'counters' in u && is(u),
    (u, c) => {
      const raw = Record_.validate(u, c);
      if (E.isLeft(raw)) return raw;
      const named = fields.validate(u, c);
      if (E.isLeft(named)) return named;
      const counters = countersOf(raw.right, c);
      if (E.isLeft(counters)) return counters;
      const f = named.right;
      return t.success(
        shape(f, {
          endpoint: f.endpoint,
          hour: f.hour,
          counters: counters.right,
          lastOk: f.lastOk ?? null,
          lastFail: f.lastFail ?? null,
        }),
      );
    },
    t.identity,
  );

/** A stored bucket item: one shard of an endpoint-hour. */
export const HealthBucketItem = countedItem(
  'HealthBucketItem',
  () => true,
  Fields,
  // the key order of before (shard after hour), for output that serialises a bucket
  (f, h): HealthBucket => ({
    endpoint: h.endpoint,
    hour: h.hour,
    shard: f.shard,
    counters: h.counters,
    lastOk: h.lastOk,
    lastFail: h.lastFail,
  }),
);

/** A stored endpoint-hour roll-up item. */
export const HealthHourItem = countedItem(
  'HealthHourItem',
  (u) => !('shard' in u),
  HourFields,
  (_, hour): HealthHour => hour,
);

/**
 * The endpoint-hours of shard buckets: every shard of an endpoint and hour summed (counts add,
 * markers take the max), ordered by hour then endpoint. What the roll-up of those shards holds.
 */
export const sumShards = (buckets: readonly HealthHour[]): HealthHour[] => {
  const byKey = new Map<string, HealthHour>();
  for (const b of buckets) {
    const k = `${b.hour} ${b.endpoint}`;
    const prev = byKey.get(k);
    byKey.set(
      k,
      prev === undefined
        ? { endpoint: b.endpoint, hour: b.hour, counters: b.counters, lastOk: b.lastOk, lastFail: b.lastFail }
        : {
            ...prev,
            counters: addCounters(prev.counters, b.counters),
            lastOk: maxMarker(prev.lastOk, b.lastOk),
            lastFail: maxMarker(prev.lastFail, b.lastFail),
          },
    );
  }
  return [...byKey].sort(([a], [b]) => a.localeCompare(b)).map(([, h]) => h);
};
