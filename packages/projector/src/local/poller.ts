import type { _Record, DynamoDBStreamsClient, ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeProjectorDeps, type ProjectorDeps } from '../apply/deps.js';
import { type ProjectionReport, projectMessages } from '../apply/projectMessages.js';
import { isRetryableProjectorError } from '../errors.js';
import type { ProjectorMetric, Telemetry } from '../telemetry.js';
import { type CheckpointStore, type ShardCheckpoint, tableCheckpoint } from './checkpoint.js';
import { describeShards, type ShardInfo } from './shards.js';
import { makeSleeper } from './sleeper.js';
import { isStreamsPort, type StreamsPort, streamsPortOf } from './streamsPort.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type BatchInfo = {
  readonly shardId: string;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  readonly report: ProjectionReport;
  /** Records given up on after bounded retries (their messages heal on a later record, or by replay). */
  readonly skipped: readonly string[];
  readonly checkpointed: boolean;
};

export type PollerStats = {
  batches: number;
  records: number;
  ignored: number;
  malformed: number;
  appended: number;
  duplicates: number;
  healed: number;
  failedMessages: number;
  skippedRecords: number;
  checkpoints: number;
  iteratorRenewals: number;
  trimmedResets: number;
  shardsSeen: number;
  shardsDone: number;
  errors: number;
};

export type PollerOptions = {
  readonly clients: {
    readonly doc: DynamoDBDocumentClient;
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
  /** Overrides of the apply deps (budget, telemetry, clock, ...). */
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

type ShardState = {
  readonly info: ShardInfo;
  done: boolean;
  /** Tick at which the last empty GetRecords started. */
  lastEmptyTick: number;
  lastSequenceNumber: string | null;
  ignoredSinceCheckpoint: number;
  /** Settles when the shard's loop has ended (children wait for it). */
  readonly finished: Promise<void>;
};

type Waiter = { readonly since: number; readonly ok: () => void; readonly fail: (e: Error) => void };

const errorName = (e: unknown): string => String((e as { name?: unknown } | null)?.name ?? 'Error');
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const METRIC_STATS: Partial<Record<ProjectorMetric, keyof PollerStats>> = {
  RecordsIgnored: 'ignored',
  MalformedRecords: 'malformed',
  EntriesAppended: 'appended',
  DuplicatesSkipped: 'duplicates',
  AttemptsHealed: 'healed',
  MessageFailures: 'failedMessages',
};

/** The given telemetry, also counted into the poller's stats. */
const countingTelemetry = (inner: Telemetry, stats: PollerStats): Telemetry => ({
  logger: inner.logger,
  count: (metric, value = 1) => {
    const key = METRIC_STATS[metric];
    if (key !== undefined) stats[key] += value;
    inner.count(metric, value);
  },
});

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Polls a DynamoDB stream (DynamoDB Local's, or AWS's for tooling) and runs the same
 * `projectMessages` as the Lambda: shard discovery with child shards after their parents,
 * iterators renewed on expiry (15 min) and reset to TRIM_HORIZON when the checkpoint was
 * trimmed (24 h; the gap heals from the table), a checkpoint per shard after each batch,
 * and exponential back-off while a shard is idle.
 */
export const startPoller = (options: PollerOptions): Poller => {
  const streams = isStreamsPort(options.clients.streams)
    ? options.clients.streams
    : streamsPortOf(options.clients.streams);
  const checkpoint =
    options.checkpoint ??
    tableCheckpoint({ doc: options.clients.doc, tableName: options.tableName, streamArn: options.streamArn });
  const idleMin = options.idleBackoffMs ?? 100;
  const idleMax = Math.max(idleMin, options.maxIdleBackoffMs ?? 2000);
  const refreshMs = options.refreshMs ?? 5000;
  const retryForMs = options.failedRecordRetryMs ?? 10 * 60_000;
  const maxRetryBackoff = Math.max(idleMin, options.maxRetryBackoffMs ?? 5000);
  const checkpointAfterIgnored = options.checkpointAfterIgnored ?? 1000;
  const stats: PollerStats = {
    batches: 0,
    records: 0,
    ignored: 0,
    malformed: 0,
    appended: 0,
    duplicates: 0,
    healed: 0,
    failedMessages: 0,
    skippedRecords: 0,
    checkpoints: 0,
    iteratorRenewals: 0,
    trimmedResets: 0,
    shardsSeen: 0,
    shardsDone: 0,
    errors: 0,
  };
  const base = makeProjectorDeps({ doc: options.clients.doc, tableName: options.tableName }, options.deps);
  const deps: ProjectorDeps = { ...base, telemetry: countingTelemetry(base.telemetry, stats) };
  const log = deps.telemetry.logger;
  const sleeper = makeSleeper();
  const shards = new Map<string, ShardState>();
  const waiters: Waiter[] = [];
  const loops: Promise<void>[] = [];
  let tick = 0;
  let lastRefreshTick = -1;
  let stopped = false;

  /** Some caughtUp() waits for a poll/refresh newer than `t`: do it now rather than after a back-off. */
  const awaitedAfter = (t: number): boolean => waiters.some((w) => w.since >= t);

  const checkWaiters = (): void => {
    for (const w of [...waiters]) {
      const caughtUp =
        lastRefreshTick > w.since && [...shards.values()].every((s) => s.done || s.lastEmptyTick > w.since);
      if (caughtUp) {
        waiters.splice(waiters.indexOf(w), 1);
        w.ok();
      }
    }
  };

  // -- checkpoints ----------------------------------------------------------

  const loadCheckpoint = async (shardId: string): Promise<ShardCheckpoint | null | undefined> => {
    for (let n = 0; !stopped; n++) {
      try {
        return await checkpoint.load(shardId);
      } catch (e) {
        stats.errors += 1;
        log.warn('checkpoint load failed; retrying', { shardId, error: errorMessage(e) });
        await sleeper.sleep(Math.min(idleMax, idleMin * 2 ** n));
      }
    }
    return undefined;
  };

  const saveCheckpoint = async (shardId: string, cp: ShardCheckpoint): Promise<boolean> => {
    try {
      await checkpoint.save(shardId, cp);
      stats.checkpoints += 1;
      return true;
    } catch (e) {
      // not fatal: the next batch saves again; a restart before that redoes idempotent work
      stats.errors += 1;
      log.warn('checkpoint save failed', { shardId, error: errorMessage(e) });
      return false;
    }
  };

  // -- iterators ------------------------------------------------------------

  /** Errors that say the position itself is unusable (trimmed away, or not a sequence number of this shard). */
  const POSITION_LOST = new Set(['TrimmedDataAccessException', 'ValidationException', 'InvalidArgumentException']);

  const iteratorAt = async (
    shard: ShardState,
    after: string | null,
    fresh: ShardIteratorType = options.startAt ?? 'TRIM_HORIZON',
  ): Promise<string | null> => {
    const { shardId } = shard.info;
    const type: ShardIteratorType = after !== null ? 'AFTER_SEQUENCE_NUMBER' : fresh;
    try {
      const r = await streams.getShardIterator({
        StreamArn: options.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(after !== null ? { SequenceNumber: after } : {}),
      });
      return r.ShardIterator ?? null;
    } catch (e) {
      if (after !== null && POSITION_LOST.has(errorName(e))) {
        // the checkpoint is older than the stream keeps (24 h): start at the oldest record;
        // re-reading is idempotent, and attempts lost in between are read from the table
        // when their message moves again (or by replay)
        stats.trimmedResets += 1;
        log.warn('checkpoint no longer in the stream; restarting shard at TRIM_HORIZON', {
          shardId,
          after,
          error: errorName(e),
        });
        shard.lastSequenceNumber = null;
        return iteratorAt(shard, null, 'TRIM_HORIZON');
      }
      throw e;
    }
  };

  // -- batches --------------------------------------------------------------

  /**
   * Projects a batch; retries the records of retryable failed messages with back-off for
   * `failedRecordRetryMs` (a loaded table or out-of-order bulk writes can take a while to
   * settle), then gives up on them. Non-retryable failures and malformed records are skipped.
   */
  const project = async (records: _Record[]): Promise<{ report: ProjectionReport; skipped: string[] }> => {
    const report = await projectMessages(deps, records);
    let pending = report.failed.filter((f) => isRetryableProjectorError(f.error));
    const skipped = report.failed.filter((f) => !isRetryableProjectorError(f.error)).flatMap((f) => f.sequenceNumbers);
    const giveUpAt = Date.now() + retryForMs;
    for (let n = 0; pending.length > 0 && Date.now() < giveUpAt && !stopped; n++) {
      if (n > 0 && n % 10 === 0) {
        log.warn('stream records still failing; retrying', {
          retries: n,
          failures: pending.map((f) => ({ messageId: f.messageId, error: f.error._tag })),
        });
      }
      await sleeper.sleep(Math.min(maxRetryBackoff, idleMin * 2 ** Math.min(n, 16)));
      const seqs = new Set(pending.flatMap((f) => f.sequenceNumbers));
      const again = await projectMessages(
        deps,
        records.filter((r) => seqs.has(r.dynamodb?.SequenceNumber ?? '')),
      );
      pending = again.failed.filter((f) => isRetryableProjectorError(f.error));
      skipped.push(
        ...again.failed.filter((f) => !isRetryableProjectorError(f.error)).flatMap((f) => f.sequenceNumbers),
      );
    }
    skipped.push(...pending.flatMap((f) => f.sequenceNumbers));
    for (const m of report.malformed) if (m.sequenceNumber !== null) skipped.push(m.sequenceNumber);
    return { report, skipped };
  };

  const handleBatch = async (shard: ShardState, records: _Record[]): Promise<void> => {
    const first = records[0]?.dynamodb?.SequenceNumber ?? '';
    const last = records[records.length - 1]?.dynamodb?.SequenceNumber ?? '';
    const { report, skipped } = await project(records);
    stats.batches += 1;
    stats.records += records.length;
    stats.skippedRecords += skipped.length;
    if (skipped.length > 0)
      log.error('stream records skipped', { shardId: shard.info.shardId, sequenceNumbers: skipped });
    shard.lastSequenceNumber = last;
    shard.ignoredSinceCheckpoint += report.ignored;
    // only batches with projector records (or a long run of others) move the checkpoint: the
    // checkpoint write is itself a stream record, and must not cause another one
    const relevant = report.records > report.ignored;
    const due = relevant || shard.ignoredSinceCheckpoint >= checkpointAfterIgnored;
    const checkpointed = due && (await saveCheckpoint(shard.info.shardId, { sequenceNumber: last, ended: false }));
    if (checkpointed) shard.ignoredSinceCheckpoint = 0;
    await options.onBatch?.({
      shardId: shard.info.shardId,
      records: records.length,
      firstSequenceNumber: first,
      lastSequenceNumber: last,
      report,
      skipped,
      checkpointed,
    });
  };

  // -- shard loop -----------------------------------------------------------

  const finishShard = async (shard: ShardState): Promise<void> => {
    await saveCheckpoint(shard.info.shardId, { sequenceNumber: shard.lastSequenceNumber, ended: true });
    shard.done = true;
    stats.shardsDone += 1;
    log.info('shard finished', { shardId: shard.info.shardId });
    checkWaiters();
  };

  const pollShard = async (shard: ShardState, from: string | null): Promise<void> => {
    const { shardId } = shard.info;
    let iterator = await iteratorAt(shard, from);
    let idle = idleMin;
    while (!stopped && iterator !== null) {
      const started = ++tick;
      let r: Awaited<ReturnType<StreamsPort['getRecords']>>;
      try {
        r = await streams.getRecords({ ShardIterator: iterator, Limit: options.batchLimit ?? 1000 });
      } catch (e) {
        const name = errorName(e);
        if (name === 'ExpiredIteratorException') {
          stats.iteratorRenewals += 1;
          log.info('shard iterator expired; renewing', { shardId });
          iterator = await iteratorAt(shard, shard.lastSequenceNumber);
          continue;
        }
        if (name === 'TrimmedDataAccessException') {
          stats.trimmedResets += 1;
          log.warn('shard position trimmed; restarting at TRIM_HORIZON', { shardId });
          shard.lastSequenceNumber = null;
          iterator = await iteratorAt(shard, null, 'TRIM_HORIZON');
          continue;
        }
        if (name === 'ResourceNotFoundException') break;
        stats.errors += 1;
        log.warn('GetRecords failed; backing off', { shardId, error: errorMessage(e), name });
        await sleeper.sleep(idle);
        idle = Math.min(idleMax, idle * 2);
        continue;
      }
      const records = r.Records ?? [];
      if (records.length > 0) {
        await handleBatch(shard, records);
        idle = idleMin;
      }
      iterator = r.NextShardIterator ?? null;
      if (records.length === 0 && iterator !== null) {
        shard.lastEmptyTick = started;
        checkWaiters();
        if (!awaitedAfter(started)) {
          await sleeper.sleep(idle);
          idle = Math.min(idleMax, idle * 2);
        }
      }
    }
    // no next iterator: the shard is closed and read to its end
    if (!stopped) await finishShard(shard);
  };

  const runShard = async (shard: ShardState): Promise<void> => {
    const parent = shard.info.parentShardId === null ? undefined : shards.get(shard.info.parentShardId);
    // a child's records continue its parent's: read the parent to its end first
    if (parent !== undefined) await parent.finished;
    if (stopped) return;
    const cp = await loadCheckpoint(shard.info.shardId);
    if (cp === undefined) return;
    if (cp?.ended === true) {
      shard.done = true;
      stats.shardsDone += 1;
      checkWaiters();
      return;
    }
    shard.lastSequenceNumber = cp?.sequenceNumber ?? null;
    if (cp !== null)
      log.info('resuming shard from checkpoint', { shardId: shard.info.shardId, after: cp.sequenceNumber });
    for (let n = 0; !stopped && !shard.done; n++) {
      try {
        await pollShard(shard, shard.lastSequenceNumber);
        return;
      } catch (e) {
        stats.errors += 1;
        log.warn('shard loop failed; restarting it', { shardId: shard.info.shardId, error: errorMessage(e) });
        await sleeper.sleep(Math.min(idleMax, idleMin * 2 ** n));
      }
    }
  };

  // -- discovery ------------------------------------------------------------

  /** false when DescribeStream failed (the loop then backs off rather than spin). */
  const refresh = async (): Promise<boolean> => {
    const started = ++tick;
    try {
      const found = await describeShards(streams, options.streamArn);
      const known = new Set(found.map((s) => s.shardId));
      const added: { state: ShardState; finish: () => void }[] = [];
      for (const info of found) {
        if (shards.has(info.shardId)) continue;
        // a parent trimmed away is not waited for
        const parentKnown = info.parentShardId !== null && known.has(info.parentShardId);
        let finish: () => void = () => undefined;
        const finished = new Promise<void>((ok) => {
          finish = ok;
        });
        const state: ShardState = {
          info: parentKnown ? info : { ...info, parentShardId: null },
          done: false,
          lastEmptyTick: -1,
          lastSequenceNumber: null,
          ignoredSinceCheckpoint: 0,
          finished,
        };
        shards.set(info.shardId, state);
        added.push({ state, finish });
        stats.shardsSeen += 1;
      }
      // started after all are registered, so a child listed before its parent still waits for it
      for (const { state, finish } of added) {
        loops.push(
          runShard(state)
            .catch((e: unknown) =>
              log.error('shard loop crashed', { shardId: state.info.shardId, error: errorMessage(e) }),
            )
            .finally(finish),
        );
      }
      if (added.length > 0) log.info('shards discovered', { shardIds: added.map((a) => a.state.info.shardId) });
      lastRefreshTick = started;
      checkWaiters();
      return true;
    } catch (e) {
      stats.errors += 1;
      log.warn('DescribeStream failed', { streamArn: options.streamArn, error: errorMessage(e) });
      return false;
    }
  };

  const refreshLoop = (async () => {
    while (!stopped) {
      const ok = await refresh();
      if (!ok || !awaitedAfter(lastRefreshTick)) await sleeper.sleep(refreshMs);
    }
  })();

  return {
    get stats() {
      return { ...stats };
    },
    caughtUp: () =>
      new Promise<void>((ok, fail) => {
        if (stopped) return fail(new Error('poller stopped'));
        waiters.push({ since: tick, ok, fail });
        // poll now rather than at the end of the current back-offs
        sleeper.wakeAll();
      }),
    stop: async () => {
      stopped = true;
      sleeper.wakeAll();
      await refreshLoop;
      await Promise.all(loops);
      for (const w of waiters.splice(0)) w.fail(new Error('poller stopped'));
    },
  };
};
