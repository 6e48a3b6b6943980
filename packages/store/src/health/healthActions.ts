import { type HealthBucket, type HealthDelta, healthExpiry } from '@delivery-history/core';
import type { PutAction, UpdateAction } from '../audit/auditActions.js';
import { healthIndexKey, healthKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';

// Action builders of the endpoint-health writes. The counted part (`bucketAddAction`) carries
// no condition: it only ever goes into the AUDIT head's transaction (ops/writeAudit.ts), whose
// high-water-mark guard decides for it. The markers (`markerAction`) are a max: idempotent on
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

const identity = (d: { endpoint: string; hour: string }, shard: number, retentionDays: number | null) => {
  const ttl = healthExpiry(d.hour, retentionDays);
  return {
    names: {
      '#type': 'type',
      '#endpoint': 'endpoint',
      '#hour': 'hour',
      '#shard': 'shard',
      ...(ttl === null ? {} : { '#ttl': TTL_ATTRIBUTE }),
    },
    values: {
      ':type': 'HEALTH',
      ':endpoint': d.endpoint,
      ':hour': d.hour,
      ':shard': shard,
      ...(ttl === null ? {} : { ':ttl': ttl }),
    },
    set: `#type = :type, #endpoint = :endpoint, #hour = :hour, #shard = :shard${ttl === null ? '' : ', #ttl = :ttl'}`,
  };
};

/** `ADD` of a delta's counters to its bucket (no condition: see above). */
export const bucketAddAction = (
  tableName: string,
  shard: number,
  d: HealthDelta,
  retentionDays: number | null,
): UpdateAction => {
  const id = identity(d, shard, retentionDays);
  const counters = Object.entries(d.counters).filter(([, v]) => v !== 0);
  const names: Record<string, string> = { ...id.names };
  const values: Record<string, unknown> = { ...id.values };
  counters.forEach(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
  });
  const add = counters.map((_, i) => `#c${i} :c${i}`).join(', ');
  return {
    Update: {
      TableName: tableName,
      Key: healthKey(d.endpoint, shard, d.hour),
      UpdateExpression: `SET ${id.set}${add === '' ? '' : ` ADD ${add}`}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

export type MarkerKind = 'lastOk' | 'lastFail';

/**
 * Raises a bucket's newest success or failure marker to `marker` unless it is already at or
 * past it. Race: two invocations (or a replayed batch) raising the same bucket in any order
 * end at the max; a refusal means a newer one is there, which is success.
 */
export const markerAction = (
  tableName: string,
  bucket: { endpoint: string; hour: string; shard: number },
  kind: MarkerKind,
  marker: string,
  retentionDays: number | null,
): UpdateAction['Update'] => {
  const id = identity(bucket, bucket.shard, retentionDays);
  return {
    TableName: tableName,
    Key: healthKey(bucket.endpoint, bucket.shard, bucket.hour),
    UpdateExpression: `SET ${id.set}, #m = :m`,
    ConditionExpression: 'attribute_not_exists(#m) OR #m < :m',
    ExpressionAttributeNames: { ...id.names, '#m': kind },
    ExpressionAttributeValues: { ...id.values, ':m': marker },
  };
};

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
