// Every key and index attribute the store writes is built here, so the layout lives in
// one place (see tableDefinition.ts for the index definitions).
import { ENDPOINT_INDEX_SHARDS, FAILED_INDEX_SHARDS } from './tableDefinition.js';

export const STATE_SK = 'STATE';
export const ATTEMPT_PREFIX = 'ATTEMPT#';
export const REDRIVE_PREFIX = 'REDRIVE#';
export const AUDIT_PREFIX = 'AUDIT#';
export const RESOLVED_PREFIX = 'RESOLVED#';
export const EXPUNGE_PREFIX = 'EXPUNGE#';
export const HOLD_PREFIX = 'HOLD#';
export const REQUEUE_PREFIX = 'REQUEUE#';

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export const messagePk = (messageId: string): string => `MSG#${messageId}`;

export type Key = { readonly pk: string; readonly sk: string };

export const stateKey = (messageId: string): Key => ({ pk: messagePk(messageId), sk: STATE_SK });
export const attemptSk = (n: number): string => `${ATTEMPT_PREFIX}${pad(n, 6)}`;
export const attemptKey = (messageId: string, n: number): Key => ({ pk: messagePk(messageId), sk: attemptSk(n) });
export const resolutionSk = (n: number): string => `${RESOLVED_PREFIX}${pad(n, 6)}`;
export const resolutionKey = (messageId: string, n: number): Key => ({
  pk: messagePk(messageId),
  sk: resolutionSk(n),
});
export const redriveSk = (k: number): string => `${REDRIVE_PREFIX}${pad(k, 4)}`;
export const redriveKey = (messageId: string, k: number): Key => ({ pk: messagePk(messageId), sk: redriveSk(k) });
export const auditSk = (segment: number): string => `${AUDIT_PREFIX}${pad(segment, 4)}`;
export const auditKey = (messageId: string, segment: number): Key => ({
  pk: messagePk(messageId),
  sk: auditSk(segment),
});

export const holdSk = (k: number): string => `${HOLD_PREFIX}${pad(k, 4)}`;
export const holdKey = (messageId: string, k: number): Key => ({ pk: messagePk(messageId), sk: holdSk(k) });

/**
 * Endpoint breakers: one partition, one item per endpoint (`BREAKER` / `EP#<endpoint>`), so
 * `dh endpoints` lists them with one Query. Written per projector batch and per probe take,
 * far below a partition's write limit.
 */
export const BREAKER_PK = 'BREAKER';
export const breakerKey = (endpoint: string): Key => ({ pk: BREAKER_PK, sk: `EP#${endpoint}` });

/**
 * An endpoint's move log (`EPMOVE#<endpoint>` / `MOVE#<breaker version>`): the operator's and
 * receivers' breaker changes, immutable, one per version (so a repeat cannot log twice). The
 * projector publishes their operator events from the stream.
 */
export const MOVE_PREFIX = 'MOVE#';
export const moveKey = (endpoint: string, version: number): Key => ({
  pk: `EPMOVE#${endpoint}`,
  sk: `${MOVE_PREFIX}${pad(version, 10)}`,
});

/**
 * Held messages of an endpoint, oldest first (`HELD#<endpoint>` / `<createdAt>#<messageId>`):
 * written in the hold's transaction, deleted in the release's or expiry's, so the drain reads
 * them in creation order and `dh endpoints` counts them with one Query.
 * debt: one partition per endpoint (about 500 holds/s at 2 WCU each); shard it for busier ones.
 */
export const heldPartition = (endpoint: string): string => `HELD#${endpoint}`;
export const heldKey = (endpoint: string, createdAt: string, messageId: string): Key => ({
  pk: heldPartition(endpoint),
  sk: indexSk(createdAt, messageId),
});

export const expungeSk = (k: number): string => `${EXPUNGE_PREFIX}${pad(k, 4)}`;
export const expungeKey = (messageId: string, k: number): Key => ({ pk: messagePk(messageId), sk: expungeSk(k) });

/** A requeue event: by time, then a random id (two operators in the same millisecond both record). */
export const requeueSk = (at: string, id: string): string => `${REQUEUE_PREFIX}${at}#${id}`;
export const requeueKey = (messageId: string, at: string, id: string): Key => ({
  pk: messagePk(messageId),
  sk: requeueSk(at, id),
});

/** Poller checkpoints: one partition per stream, outside every message's partition. */
export const CHECKPOINT_PREFIX = 'PROJECTOR#';
export const checkpointKey = (streamArn: string, shardId: string): Key => ({
  pk: `${CHECKPOINT_PREFIX}${streamArn}`,
  sk: `SHARD#${shardId}`,
});

/** FNV-1a 32-bit: stable across processes and versions (shards must never move). */
export const stableHash = (s: string): number => {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
};

export const failedShardOf = (messageId: string): number => stableHash(messageId) % FAILED_INDEX_SHARDS;
export const endpointShardOf = (messageId: string): number => stableHash(messageId) % ENDPOINT_INDEX_SHARDS;

/** `yyyy-mm-dd` (UTC) of an ISO timestamp. */
export const dayOf = (iso: string): string => iso.slice(0, 10);

export const failedPartition = (day: string, shard: number): string => `FAILED#${day}#${shard}`;
export const endpointPartition = (endpoint: string, shard: number): string => `EP#${endpoint}#${shard}`;
export const correlationPartition = (correlationId: string): string => `CORR#${correlationId}`;

/** Index sort keys are `<timestamp>#<messageId>`: unique per partition, ordered by time. */
export const indexSk = (timestamp: string, messageId: string): string => `${timestamp}#${messageId}`;

/** The messageId inside an index sort key (timestamps contain no `#`). */
export const messageIdOfIndexSk = (sk: string): string => sk.slice(sk.indexOf('#') + 1);

/**
 * gsi1 (byFailedTime) holds FAILED messages, and HELD ones (held by their endpoint's breaker:
 * `dh failed --held` lists them by the time they were held). The one rule for every writer.
 */
export const inFailedIndex = (status: string): boolean => status === 'FAILED' || status === 'HELD';

/** gsi1 (byFailedTime): present only while `inFailedIndex` says so. */
export const failedIndexKeys = (messageId: string, lastUpdatedAt: string): { gsi1pk: string; gsi1sk: string } => ({
  gsi1pk: failedPartition(dayOf(lastUpdatedAt), failedShardOf(messageId)),
  gsi1sk: indexSk(lastUpdatedAt, messageId),
});

/**
 * gsi2 (byEndpoint): fixed at creation, by createdAt. A key that followed lastUpdatedAt would
 * move the index row (a delete and a put, at 2x inside the append's transaction) on every
 * STATE change.
 */
export const endpointIndexKeys = (
  messageId: string,
  endpoint: string,
  createdAt: string,
): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: endpointPartition(endpoint, endpointShardOf(messageId)),
  gsi2sk: indexSk(createdAt, messageId),
});

/** gsi3 (byCorrelation): fixed at creation. */
export const correlationIndexKeys = (
  messageId: string,
  correlationId: string,
  createdAt: string,
): { gsi3pk: string; gsi3sk: string } => ({
  gsi3pk: correlationPartition(correlationId),
  gsi3sk: indexSk(createdAt, messageId),
});

/** The index attributes of a whole STATE item (used by create and repair). */
export const stateIndexAttributes = (s: {
  messageId: string;
  status: string;
  endpoint: string;
  correlationId: string;
  createdAt: string;
  lastUpdatedAt: string;
}): Record<string, string> => ({
  ...(inFailedIndex(s.status) ? failedIndexKeys(s.messageId, s.lastUpdatedAt) : {}),
  ...endpointIndexKeys(s.messageId, s.endpoint, s.createdAt),
  ...correlationIndexKeys(s.messageId, s.correlationId, s.createdAt),
});

// ---------------------------------------------------------------------------
// Endpoint health (the projector's aggregates; see the projector README, "Endpoint health")
// ---------------------------------------------------------------------------

/** Default shards of one endpoint's buckets (DELIVERY_HEALTH_SHARDS): writes of a busy endpoint spread over this many partitions. */
export const DEFAULT_HEALTH_SHARDS = 4;

export const healthShardOf = (messageId: string, shards: number): number => stableHash(messageId) % shards;

/**
 * One shard of one endpoint-hour bucket: `HEALTH#<endpoint>#<shard>` / `HOUR#<yyyy-mm-ddThh>`.
 * An endpoint-shard's hours share a partition, so its hourly series is one range of it.
 */
export const healthKey = (endpoint: string, shard: number, hour: string): Key => ({
  pk: `HEALTH#${endpoint}#${shard}`,
  sk: `HOUR#${hour}`,
});

/**
 * The window index: which endpoint-shard buckets exist in an hour, one small item each, in one
 * partition per day (`HEALTHIDX#<yyyy-mm-dd>` / `<hour>#<shard>#<endpoint>`), so the endpoints
 * of a window are one Query per day, never a scan. Written once per bucket per projector
 * process (idempotent Puts), not per delivery.
 */
export const healthIndexKey = (hour: string, shard: number, endpoint: string): Key => ({
  pk: `HEALTHIDX#${hour.slice(0, 10)}`,
  sk: `${hour}#${shard}#${endpoint}`,
});

export const healthIndexPartition = (day: string): string => `HEALTHIDX#${day}`;

/**
 * The roll-up of one endpoint-hour, every shard summed: `HEALTH#<endpoint>#sum` / `HOUR#<hour>`
 * (`sum` is never a shard number). Counted in the same transactions as the shards, so the faces
 * read one item per endpoint-hour, and an endpoint's hours are one range of its partition.
 */
export const healthHourKey = (endpoint: string, hour: string): Key => ({
  pk: `HEALTH#${endpoint}#sum`,
  sk: `HOUR#${hour}`,
});

/** The endpoint of a roll-up's pk (the item keeps it in its key only). */
export const endpointOfHourKey = (pk: string): string => pk.slice('HEALTH#'.length, -'#sum'.length);

/**
 * The endpoints with roll-ups in a day, one small item each (`HEALTHIDX#<yyyy-mm-dd>#sum` /
 * `<endpoint>`): a window's endpoints are one Query per day, written once per endpoint-day per
 * projector process (idempotent Puts).
 */
export const healthDayKey = (day: string, endpoint: string): Key => ({
  pk: healthDayPartition(day),
  sk: endpoint,
});

export const healthDayPartition = (day: string): string => `HEALTHIDX#${day}#sum`;
