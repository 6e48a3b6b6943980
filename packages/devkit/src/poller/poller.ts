import type { DocumentClient } from '@delivery-history/store';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import * as E from 'fp-ts/lib/Either.js';
import { makeProjectorDeps, type ProjectorDeps } from '@delivery-history/projector';
import { projectMessages } from '@delivery-history/projector';
import { projectWithRetry } from './batchRetry.js';
import { makeCaughtUp } from './caughtUp.js';
import { type CheckpointStore, tableCheckpoint } from './checkpoint.js';
import { countingTelemetry, emptyStats, type PollerStats } from './pollerStats.js';
import { type BatchInfo, runShard, type ShardLoopDeps } from './shardLoop.js';
import { makeShardRegistry, type ShardEntry } from './shardRegistry.js';
import { makeSleeper } from './sleeper.js';
import { describeStreamsError } from '@delivery-history/store';
import { type StreamsPort, streamsOf } from '@delivery-history/store';

export type { BatchInfo } from './shardLoop.js';
export type { PollerStats } from './pollerStats.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type PollerOptions = {
  readonly clients: {
    readonly doc: DocumentClient;
    readonly streams: DynamoDBStreamsClient | StreamsPort;
  };
  readonly tableName: string;
  readonly streamArn: string;
  /** Default: in the table (`tableCheckpoint`). */
  readonly checkpoint?: CheckpointStore;
  /** Called after each non-empty batch is projected and checkpointed. */
  readonly onBatch?: (batch: BatchInfo) => void | Promise<void>;
  /** First wait after an empty read of a shard; doubled per empty read up to `maxIdleBackoffMs`. */
  readonly idleBackoffMs?: number;
  readonly maxIdleBackoffMs?: number;
  /** GetRecords `Limit` (1..1000). */
  readonly batchLimit?: number;
  /** Where a shard without checkpoint starts. */
  readonly startAt?: 'TRIM_HORIZON' | 'LATEST';
  /** How often DescribeStream looks for new (child) shards. */
  readonly refreshMs?: number;
  /**
   * How long a batch's retryable message failures (throttling, contention, attempts not yet
   * visible) are retried, with back-off, before their records are skipped. Like Lambda's
   * retry-until-expiry, but bounded so one stuck message cannot hold its shard for a day.
   */
  readonly failedRecordRetryMs?: number;
  /** Longest wait between those retries. */
  readonly maxRetryBackoffMs?: number;
  /** Ignored records (not for the projector) after which a checkpoint is written anyway. */
  readonly checkpointAfterIgnored?: number;
  /** Overrides of the apply deps (budget, telemetry, clock, random, ...): the clock and random also drive the retries. */
  readonly deps?: Partial<Omit<ProjectorDeps, 'doc' | 'tableName'>>;
};

export type Poller = {
  /** Stops polling, lets an in-flight batch finish, resolves when every loop has ended. */
  stop(): Promise<void>;
  /**
   * Resolves once DescribeStream ran and every open shard returned no records, all after the
   * call: every write made before the call has been projected. Rejects if the poller stops.
   */
  caughtUp(): Promise<void>;
  readonly stats: Readonly<PollerStats>;
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The options with their defaults (everything but the clients and callbacks). */
const settingsOf = (o: PollerOptions) => {
  const idleMin = o.idleBackoffMs ?? 100;
  return {
    idle: { baseMs: idleMin, maxMs: Math.max(idleMin, o.maxIdleBackoffMs ?? 2000) },
    retry: { baseMs: idleMin, maxMs: Math.max(idleMin, o.maxRetryBackoffMs ?? 5000) },
    retryForMs: o.failedRecordRetryMs ?? 10 * 60_000,
    refreshMs: o.refreshMs ?? 5000,
    batchLimit: o.batchLimit ?? 1000,
    startAt: o.startAt ?? 'TRIM_HORIZON',
    checkpointAfterIgnored: o.checkpointAfterIgnored ?? 1000,
  } as const;
};

/**
 * Polls a DynamoDB stream (DynamoDB Local's, or AWS's for tooling) and runs the same
 * `projectMessages` as the Lambda: shard discovery with child shards after their parents
 * (shardRegistry), iterators renewed on expiry and reset when trimmed (shardReader), bounded
 * batch retries (batchRetry), a checkpoint per shard after each batch and back-off while a
 * shard is idle (shardLoop), and `caughtUp()` (caughtUp).
 */
export const startPoller = (options: PollerOptions): Poller => {
  const s = settingsOf(options);
  const stats = emptyStats();
  const base = makeProjectorDeps({ doc: options.clients.doc, tableName: options.tableName }, options.deps);
  const deps: ProjectorDeps = { ...base, telemetry: countingTelemetry(base.telemetry, stats) };
  const log = deps.telemetry.logger;
  const sleeper = makeSleeper();
  const streams = streamsOf(options.clients.streams);
  const progress = makeCaughtUp();
  const registry = makeShardRegistry(streams, options.streamArn);
  const loops: Promise<void>[] = [];
  let stopped = false;
  const isStopped = (): boolean => stopped;

  const shardDeps: ShardLoopDeps = {
    streams,
    streamArn: options.streamArn,
    checkpoint:
      options.checkpoint ??
      tableCheckpoint({ doc: options.clients.doc, tableName: options.tableName, streamArn: options.streamArn }),
    startAt: s.startAt,
    batchLimit: s.batchLimit,
    idle: s.idle,
    checkpointAfterIgnored: s.checkpointAfterIgnored,
    projectBatch: projectWithRetry({
      backoff: s.retry,
      retryForMs: s.retryForMs,
      project: (records) => projectMessages(deps, records),
      clock: deps.clock,
      sleep: sleeper.sleep,
      random: deps.random,
      isStopped,
      logger: log,
    }),
    registry,
    progress,
    stats,
    logger: log,
    sleep: sleeper.sleep,
    random: deps.random,
    onBatch: options.onBatch,
    isStopped,
  };
  const run = runShard(shardDeps);

  const start = (entry: ShardEntry): void => {
    const { shardId } = entry.info;
    const loop = run(entry)
      .catch((e: unknown) => log.error('shard loop crashed', { shardId, error: errorMessage(e) }))
      .finally(() => registry.retire(shardId));
    loops.push(loop);
  };

  /** false when DescribeStream failed (the loop then backs off rather than spin). */
  const refresh = async (started: number): Promise<boolean> => {
    const found = await registry.discover();
    if (E.isLeft(found)) {
      stats.errors += 1;
      log.warn('DescribeStream failed', { streamArn: options.streamArn, error: describeStreamsError(found.left) });
      return false;
    }
    const added = found.right;
    stats.shardsSeen += added.length;
    for (const entry of added) progress.track(entry.info.shardId);
    // started after all are registered, so a child listed before its parent still waits for it
    for (const entry of added) start(entry);
    if (added.length > 0) log.info('shards discovered', { shardIds: added.map((a) => a.info.shardId) });
    progress.refreshed(started);
    return true;
  };

  const refreshLoop = (async () => {
    while (!stopped) {
      const started = progress.nextTick();
      const ok = await refresh(started);
      if (!ok || !progress.awaitedAfter(started)) await sleeper.sleep(s.refreshMs);
    }
  })();

  return {
    get stats() {
      return { ...stats };
    },
    caughtUp: () => {
      if (stopped) return Promise.reject(new Error('poller stopped'));
      const caughtUp = progress.wait();
      // poll now rather than at the end of the current back-offs
      sleeper.wakeAll();
      return caughtUp;
    },
    stop: async () => {
      stopped = true;
      sleeper.wakeAll();
      await refreshLoop;
      await Promise.all(loops);
      progress.failAll(new Error('poller stopped'));
    },
  };
};
