// The write side of the design at a given load, partition by partition: which DynamoDB
// partitions every delivery writes, how many write units each takes per second, the first
// one to cross AWS's 1,000 WCU per-partition limit (a GSI partition has the same limit, and
// a throttled index write throttles the base-table write), the shard counts that keep all
// of them under it, the TransactionConflict exposure of health buckets, and the DynamoDB
// write and SQS request cost per million deliveries. Pure: item sizes come in (capacity.ts
// measures them on items shaped by the real code), so a test can check it by hand.

/** AWS's per-partition write throughput limit (base table and each GSI). */
export const PARTITION_WCU_LIMIT = 1_000;

/** Sizes (bytes) of the items one delivery writes. */
export type ItemSizes = {
  readonly state: number;
  readonly attempt: number;
  /** One audit segment (the projector writes the message's current one per attempt). */
  readonly audit: number;
  /** One endpoint-health bucket item. */
  readonly healthBucket: number;
  /** One index item of byFailedTime, byEndpoint, byCorrelation (keys + projected attributes). */
  readonly failedIndex: number;
  readonly endpointIndex: number;
  readonly correlationIndex: number;
};

export type Shards = { readonly failedIndex: number; readonly endpointIndex: number; readonly health: number };

export type Load = {
  /** New messages per second. */
  readonly rate: number;
  /** Receivers the traffic spreads over (evenly). */
  readonly endpoints: number;
  /** Probability that one attempt fails retryably (the next one is independent). */
  readonly failure: number;
  readonly maxAttempts: number;
};

/** One write unit per started KiB; a transaction's items cost twice. */
export const wcu = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

export type Mix = {
  /** Attempts per message: 1 + p + ... + p^(m-1). */
  readonly attempts: number;
  readonly failedAttempts: number;
  /** Messages that end FAILED for good (p^m). */
  readonly finalFailed: number;
};

export const mixOf = (load: Load): Mix => {
  let attempts = 0;
  for (let k = 0; k < load.maxAttempts; k++) attempts += load.failure ** k;
  const finalFailed = load.failure ** load.maxAttempts;
  return { attempts, failedAttempts: attempts - (1 - finalFailed), finalFailed };
};

/** Write units of one attempt, by where they land (store ops and the projector's writes). */
export const unitsPerAttempt = (s: ItemSizes) => ({
  // upsert-and-claim: one Update of STATE
  claim: wcu(s.state),
  // the append: TransactWriteItems of Put ATTEMPT + Update STATE
  append: 2 * (wcu(s.attempt) + wcu(s.state)),
  // the projector: the audit segment and the health bucket ADD in one transaction
  projector: 2 * (wcu(s.audit) + wcu(s.healthBucket)),
});

/**
 * Index writes once per message: byEndpoint and byCorrelation are KEYS_ONLY with keys fixed at
 * creation (store's tableDefinition), so the upsert that creates STATE puts one row in each
 * and no claim, append or retry touches them again.
 */
export const unitsPerMessage = (s: ItemSizes) => ({
  endpointIndex: wcu(s.endpointIndex),
  correlationIndex: wcu(s.correlationIndex),
});

/** byFailedTime per message: a put per failed attempt, a delete at each claim after one that is not final. */
export const failedIndexUnitsPerMessage = (s: ItemSizes, mix: Mix): number =>
  (2 * mix.failedAttempts - mix.finalFailed) * wcu(s.failedIndex);

export const wcuPerDelivery = (s: ItemSizes, load: Load): number => {
  const u = unitsPerAttempt(s);
  const once = unitsPerMessage(s);
  const mix = mixOf(load);
  const perAttempt = u.claim + u.append + u.projector;
  return mix.attempts * perAttempt + once.endpointIndex + once.correlationIndex + failedIndexUnitsPerMessage(s, mix);
};

export type PartitionKind = 'message' | 'endpointIndex' | 'failedIndex' | 'health' | 'correlationIndex';

export type PartitionLoad = {
  readonly kind: PartitionKind;
  /** The partition key shape, as the store builds it. */
  readonly key: string;
  /** WCU per second on the busiest partition of this kind. */
  readonly wcuPerSecond: number;
  /** The rate (messages/s) at which it crosses the limit (Infinity: never, it does not grow with the rate). */
  readonly limitRate: number;
  /** Shards that keep it under the limit at this load. */
  readonly shardsNeeded: number;
};

/** The busiest partition of each kind the design writes. */
export const partitionLoads = (s: ItemSizes, load: Load, shards: Shards): PartitionLoad[] => {
  const u = unitsPerAttempt(s);
  const once = unitsPerMessage(s);
  const mix = mixOf(load);
  const of = (kind: PartitionKind, key: string, perRateUnsharded: number, shardCount: number): PartitionLoad => {
    const unsharded = perRateUnsharded * load.rate;
    return {
      kind,
      key,
      wcuPerSecond: unsharded / shardCount,
      limitRate: (PARTITION_WCU_LIMIT * shardCount) / perRateUnsharded,
      shardsNeeded: Math.max(1, Math.ceil(unsharded / PARTITION_WCU_LIMIT)),
    };
  };
  // One message's partition takes one attempt's writes within about a second, whatever the rate.
  const message = u.claim + u.append + u.projector;
  return [
    { kind: 'message', key: 'MSG#<messageId>', wcuPerSecond: message, limitRate: Infinity, shardsNeeded: 1 },
    {
      kind: 'correlationIndex',
      key: 'CORR#<correlationId>',
      wcuPerSecond: once.correlationIndex,
      limitRate: Infinity,
      shardsNeeded: 1,
    },
    of('endpointIndex', 'EP#<host>#<shard>', once.endpointIndex / load.endpoints, shards.endpointIndex),
    of('failedIndex', 'FAILED#<day>#<shard>', failedIndexUnitsPerMessage(s, mix), shards.failedIndex),
    of('health', 'HEALTH#<host>#<shard>', (mix.attempts * 2 * wcu(s.healthBucket)) / load.endpoints, shards.health),
  ];
};

/** The partition kind that crosses the limit first as the rate grows, and at what rate. */
export const firstBottleneck = (loads: readonly PartitionLoad[]): PartitionLoad =>
  [...loads].sort((a, b) => a.limitRate - b.limitRate)[0] as PartitionLoad;

/** Lambda's stream poller: concurrent batches per stream shard (infra default, projectorParallelization). */
export const PROJECTOR_PARALLELIZATION = 2;

/**
 * Health buckets take an ADD inside each projector transaction (one per attempt): two
 * transactions on one bucket item at once conflict (one is cancelled and retried). In flight
 * at once: the transactions per second times how long each holds its items (`holdMs`), at
 * most the projector's concurrency (stream shards, about one per 1,000 WCU/s of table writes,
 * times the parallelization). A transaction conflicts when another in flight has its bucket:
 * 1 - (1 - 1/buckets)^(inFlight - 1), buckets = endpoints x health shards.
 */
export const healthConflict = (s: ItemSizes, load: Load, shards: Shards, holdMs = 25) => {
  const perSecond = mixOf(load).attempts * load.rate;
  const streamShards = Math.max(1, Math.ceil((wcuPerDelivery(s, load) * load.rate) / PARTITION_WCU_LIMIT));
  const inFlight = Math.min((perSecond * holdMs) / 1000, streamShards * PROJECTOR_PARALLELIZATION);
  const buckets = load.endpoints * shards.health;
  return {
    transactionsPerSecondPerBucket: perSecond / buckets,
    inFlight,
    conflictProbability: inFlight <= 1 ? 0 : 1 - (1 - 1 / buckets) ** (inFlight - 1),
  };
};

/** us-east-1 on-demand (test/bench/cost.ts has the sources): DynamoDB per million WRU, SQS per million requests. */
export const PRICES = { writeRequestUnit: 0.625, sqsRequest: 0.4 } as const;

/** SQS requests per attempt: a receive (10 per batch), a delete or a visibility change. */
export const SQS_REQUESTS_PER_ATTEMPT = 0.1 + 1;

export const costPerMillion = (s: ItemSizes, load: Load) => {
  const dynamo = wcuPerDelivery(s, load) * PRICES.writeRequestUnit;
  // the producer's send, then per attempt
  const sqs = (1 + mixOf(load).attempts * SQS_REQUESTS_PER_ATTEMPT) * PRICES.sqsRequest;
  return { dynamo, sqs, total: dynamo + sqs };
};
