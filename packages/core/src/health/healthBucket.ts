import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { NonNegativeInt } from '../codecs/primitives.js';
import { isCounterName } from './counters.js';
import type { EventMarker } from './healthDelta.js';

// ---------------------------------------------------------------------------
// model: one stored endpoint-hour bucket (one shard of it), decoded
// ---------------------------------------------------------------------------

export type HealthBucket = {
  readonly endpoint: string;
  readonly hour: string;
  readonly shard: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly lastOk: EventMarker | null;
  readonly lastFail: EventMarker | null;
};

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
