import { type AttemptItem, healthDeltaOf, hourOf, maxMarker } from '@delivery-history/core';
import { type Store, type StoreError, type StoreInput, tableKeys } from '@delivery-history/store';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { endpointOf } from '@delivery-history/core';
import type { ProjectorDeps } from './deps.js';

type AuditStep = StoreInput<'writeAuditStep', 1>;
type BucketShard = StoreInput<'putHealthIndex'>[number];
type HealthMarker = StoreInput<'raiseHealthMarkers'>[number];
type HealthWrite = NonNullable<StoreInput<'writeAuditStep', 2>>;

// Endpoint health in the apply: the counts ride in the AUDIT steps' transactions (the store's
// writeAuditStep `health`: the shard and its endpoint-hour roll-up), so the head's high-water
// mark makes them exactly-once; the window index and the newest success/failure markers are
// idempotent and written outside it.

/**
 * Hour buckets one apply may touch: each is two ADDs (the shard and the endpoint-hour roll-up),
 * so with a step's own actions (head, tail, 16 segments) the transaction stays under DynamoDB's
 * 100 actions. A longer stretch is applied in rounds.
 */
export const MAX_HEALTH_BUCKETS = 40;

/** The longest prefix of `attempts` (in order) whose completion times span at most MAX_HEALTH_BUCKETS hours. */
export const withinBucketLimit = (attempts: readonly AttemptItem[]): readonly AttemptItem[] => {
  const hours = new Set<string>();
  for (const [i, a] of attempts.entries()) {
    hours.add(hourOf(a.completedAt));
    if (hours.size > MAX_HEALTH_BUCKETS) return attempts.slice(0, i);
  }
  return attempts;
};

/** The counts of exactly the attempts a step applies: those it moves the mark over. */
export const healthOfStep = (
  deps: Pick<ProjectorDeps, 'healthShards'>,
  messageId: string,
  step: AuditStep,
  attempts: readonly AttemptItem[],
): HealthWrite => {
  const from = step.expect?.through ?? 0;
  const mine = attempts.filter((a) => a.attemptNumber > from && a.attemptNumber <= step.summary.through);
  return { shard: tableKeys.healthShardOf(messageId, deps.healthShards), deltas: healthDeltaOf(mine) };
};

/** Index items a process remembers having written (a day of 100 endpoints x 4 shards is 9,600). */
const MAX_REMEMBERED = 20_000;

const indexId = (tableName: string, b: BucketShard): string => `${tableName} ${b.hour} ${b.shard} ${b.endpoint}`;

/**
 * Writes the window-index items of the buckets `attempts` touch, before their counts (so a
 * counted bucket is always listed); skips those this process already wrote.
 */
export const ensureHealthIndex = (
  deps: Pick<ProjectorDeps, 'healthShards' | 'healthIndexWritten' | 'tableName'>,
  store: Store,
  messageId: string,
  attempts: readonly AttemptItem[],
): TE.TaskEither<StoreError, void> => {
  const shard = tableKeys.healthShardOf(messageId, deps.healthShards);
  const wanted = new Map<string, BucketShard>();
  for (const a of attempts) {
    const b = { endpoint: endpointOf(a.request.url), hour: hourOf(a.completedAt), shard };
    const id = indexId(deps.tableName, b);
    if (!deps.healthIndexWritten.has(id)) wanted.set(id, b);
  }
  if (wanted.size === 0) return TE.right(undefined);
  return pipe(
    store.putHealthIndex([...wanted.values()]),
    TE.map(() => {
      // bounded: forgetting only costs a repeated (idempotent) index Put
      if (deps.healthIndexWritten.size > MAX_REMEMBERED) deps.healthIndexWritten.clear();
      for (const id of wanted.keys()) deps.healthIndexWritten.add(id);
      return undefined;
    }),
  );
};

/** The newest success and failure per bucket shard of a message's attempts. */
export const markersOf = (
  deps: Pick<ProjectorDeps, 'healthShards'>,
  messageId: string,
  attempts: readonly AttemptItem[],
): HealthMarker[] => {
  const shard = tableKeys.healthShardOf(messageId, deps.healthShards);
  return healthDeltaOf(attempts).flatMap((d) => [
    ...(d.lastOk === null
      ? []
      : [{ endpoint: d.endpoint, hour: d.hour, shard, kind: 'lastOk' as const, marker: d.lastOk }]),
    ...(d.lastFail === null
      ? []
      : [{ endpoint: d.endpoint, hour: d.hour, shard, kind: 'lastFail' as const, marker: d.lastFail }]),
  ]);
};

/** One marker per bucket shard and kind: the max (coalescing a batch to one update per bucket). */
export const coalesceMarkers = (markers: readonly HealthMarker[]): HealthMarker[] => {
  const byKey = new Map<string, HealthMarker>();
  for (const m of markers) {
    const k = `${m.kind} ${m.hour} ${m.shard} ${m.endpoint}`;
    const prev = byKey.get(k);
    byKey.set(k, prev === undefined ? m : { ...m, marker: maxMarker(prev.marker, m.marker) ?? m.marker });
  }
  return [...byKey.values()];
};
