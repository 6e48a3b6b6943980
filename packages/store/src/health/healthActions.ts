import { type HealthBucket, type HealthDelta, type HealthHour, healthExpiry } from '@delivery-history/core';
import type { PutAction, UpdateAction } from '../audit/auditActions.js';
import { healthDayKey, healthHourKey, healthIndexKey, healthKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';

// Action builders of the endpoint-health writes. The counted part (`bucketAddAction` on the
// message's shard, `hourAddAction` on the endpoint-hour roll-up) carries no condition: it only
// ever goes into the AUDIT head's transaction (ops/writeAudit.ts), whose high-water-mark guard
// decides for it. The markers (`markerAction`) are a max: idempotent on
// their own, so they are written outside the guard, also for records already applied.

/** The counted attributes of one shard of one bucket, added (`ADD`: created at 0 when absent). */
export type HealthWrite = {
  /** The message's shard (`healthShardOf`): one message always lands in the same shard. */
  readonly shard: number;
  readonly deltas: readonly HealthDelta[];
};

/** Retention (DELIVERY_RETENTION_DAYS): the TTL attribute of a health item of `hour`, if any. */
const expiryOf = (hour: string, retentionDays: number | null): Record<string, number> => {
  const ttl = healthExpiry(hour, retentionDays);
  return ttl === null ? {} : { [TTL_ATTRIBUTE]: ttl };
};

/** The item's own attributes (type, endpoint, hour, shard of a shard bucket; TTL), SET on every write. */
const identity = (fields: Readonly<Record<string, string | number>>, hour: string, retentionDays: number | null) => {
  const ttl = healthExpiry(hour, retentionDays);
  const all: Record<string, string | number> = { ...fields, ...(ttl === null ? {} : { [TTL_ATTRIBUTE]: ttl }) };
  const keys = Object.keys(all);
  return {
    names: Object.fromEntries(keys.map((k, i) => [`#i${i}`, k])),
    values: Object.fromEntries(keys.map((k, i) => [`:i${i}`, all[k]])),
    set: keys.map((_, i) => `#i${i} = :i${i}`).join(', '),
  };
};

const shardFields = (b: { endpoint: string; hour: string }, shard: number) => ({
  type: 'HEALTH',
  endpoint: b.endpoint,
  hour: b.hour,
  shard,
});

// the endpoint of a roll-up (and of a day item) is in its key only (keys.ts: endpointOfHourKey)
const hourFields = (b: { hour: string }) => ({ type: 'HEALTH_HOUR', hour: b.hour });

/** `SET` of the item's own attributes and `ADD` of the counters (created at 0 when absent). */
const addAction = (
  tableName: string,
  key: Record<string, string>,
  id: ReturnType<typeof identity>,
  counters: HealthDelta['counters'],
): UpdateAction => {
  const nonZero = Object.entries(counters).filter(([, v]) => v !== 0);
  const names: Record<string, string> = { ...id.names };
  const values: Record<string, unknown> = { ...id.values };
  nonZero.forEach(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
  });
  const add = nonZero.map((_, i) => `#c${i} :c${i}`).join(', ');
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${id.set}${add === '' ? '' : ` ADD ${add}`}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** `ADD` of a delta's counters to its shard bucket (no condition: see above). */
export const bucketAddAction = (
  tableName: string,
  shard: number,
  d: HealthDelta,
  retentionDays: number | null,
): UpdateAction =>
  addAction(
    tableName,
    healthKey(d.endpoint, shard, d.hour),
    identity(shardFields(d, shard), d.hour, retentionDays),
    d.counters,
  );

/**
 * `ADD` of a delta's counters to its endpoint-hour roll-up: in the same transaction as the
 * shard's ADD (under the same guard), so the roll-up is the sum of the shards, exactly once.
 */
export const hourAddAction = (tableName: string, d: HealthDelta, retentionDays: number | null): UpdateAction =>
  addAction(tableName, healthHourKey(d.endpoint, d.hour), identity(hourFields(d), d.hour, retentionDays), d.counters);

export type MarkerKind = 'lastOk' | 'lastFail';

/**
 * Raises a bucket's newest success or failure marker to `marker` unless it is already at or
 * past it; `shard` null raises the endpoint-hour roll-up's (the max over its shards' markers).
 * Race: two invocations (or a replayed batch) raising the same item in any order end at the
 * max; a refusal means a newer one is there, which is success.
 */
export const markerAction = (
  tableName: string,
  at: { endpoint: string; hour: string; shard: number | null },
  kind: MarkerKind,
  marker: string,
  retentionDays: number | null,
): UpdateAction['Update'] =>
  at.shard === null
    ? raiseAction(
        tableName,
        healthHourKey(at.endpoint, at.hour),
        identity(hourFields(at), at.hour, retentionDays),
        kind,
        marker,
      )
    : raiseAction(
        tableName,
        healthKey(at.endpoint, at.shard, at.hour),
        identity(shardFields(at, at.shard), at.hour, retentionDays),
        kind,
        marker,
      );

const raiseAction = (
  tableName: string,
  key: Record<string, string>,
  id: ReturnType<typeof identity>,
  kind: MarkerKind,
  marker: string,
): UpdateAction['Update'] => ({
  TableName: tableName,
  Key: key,
  UpdateExpression: `SET ${id.set}, #m = :m`,
  ConditionExpression: 'attribute_not_exists(#m) OR #m < :m',
  ExpressionAttributeNames: { ...id.names, '#m': kind },
  ExpressionAttributeValues: { ...id.values, ':m': marker },
});

/** The window index item of one bucket shard (an idempotent Put: same content every time). */
export const indexItem = (
  hour: string,
  shard: number,
  endpoint: string,
  retentionDays: number | null,
): Record<string, unknown> => ({
  ...healthIndexKey(hour, shard, endpoint),
  type: 'HEALTH_INDEX',
  hour,
  shard,
  endpoint,
  ...expiryOf(hour, retentionDays),
});

/** A whole recomputed bucket (replay): replaces what is stored. */
export const bucketPutAction = (tableName: string, b: HealthBucket, retentionDays: number | null): PutAction => ({
  Put: {
    TableName: tableName,
    Item: {
      ...healthKey(b.endpoint, b.shard, b.hour),
      type: 'HEALTH',
      endpoint: b.endpoint,
      hour: b.hour,
      shard: b.shard,
      ...Object.fromEntries(Object.entries(b.counters).filter(([, v]) => v !== 0)),
      ...(b.lastOk === null ? {} : { lastOk: b.lastOk }),
      ...(b.lastFail === null ? {} : { lastFail: b.lastFail }),
      ...expiryOf(b.hour, retentionDays),
    },
  },
});

/** The day's endpoint item of a roll-up (an idempotent Put; it expires with the day's last hour). */
export const dayIndexItem = (day: string, endpoint: string, retentionDays: number | null): Record<string, unknown> => ({
  ...healthDayKey(day, endpoint),
  type: 'HEALTH_DAY',
  ...expiryOf(`${day}T23`, retentionDays),
});

/** A whole endpoint-hour roll-up (the sum of its shards as recomputed): replaces what is stored. */
export const hourPutItem = (h: HealthHour, retentionDays: number | null): Record<string, unknown> => ({
  ...healthHourKey(h.endpoint, h.hour),
  type: 'HEALTH_HOUR',
  hour: h.hour,
  ...Object.fromEntries(Object.entries(h.counters).filter(([, v]) => v !== 0)),
  ...(h.lastOk === null ? {} : { lastOk: h.lastOk }),
  ...(h.lastFail === null ? {} : { lastFail: h.lastFail }),
  ...expiryOf(h.hour, retentionDays),
});
