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

/** A stored bucket item (keys and unknown attributes are dropped). */
export const HealthBucketItem = new t.Type<HealthBucket, unknown, unknown>(
  'HealthBucketItem',
  (u): u is HealthBucket => typeof u === 'object' && u !== null && 'counters' in u,
  (u, c) => {
    const raw = Record_.validate(u, c);
    if (E.isLeft(raw)) return raw;
    const fields = Fields.validate(u, c);
    if (E.isLeft(fields)) return fields;
    const counters = countersOf(raw.right, c);
    if (E.isLeft(counters)) return counters;
    const f = fields.right;
    return t.success({
      endpoint: f.endpoint,
      hour: f.hour,
      shard: f.shard,
      counters: counters.right,
      lastOk: f.lastOk ?? null,
      lastFail: f.lastFail ?? null,
    });
  },
  t.identity,
);

/** A stored endpoint-hour roll-up item (keys and unknown attributes are dropped). */
export const HealthHourItem = new t.Type<HealthHour, unknown, unknown>(
  'HealthHourItem',
  (u): u is HealthHour => typeof u === 'object' && u !== null && 'counters' in u && !('shard' in u),
  (u, c) => {
    const raw = Record_.validate(u, c);
    if (E.isLeft(raw)) return raw;
    const fields = HourFields.validate(u, c);
    if (E.isLeft(fields)) return fields;
    const counters = countersOf(raw.right, c);
    if (E.isLeft(counters)) return counters;
    const f = fields.right;
    return t.success({
      endpoint: f.endpoint,
      hour: f.hour,
      counters: counters.right,
      lastOk: f.lastOk ?? null,
      lastFail: f.lastFail ?? null,
    });
  },
  t.identity,
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
