import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { type Backoff, backoffDelayMs, type Logger, type Sleep } from '@delivery-history/core';
import type { ProjectionReport } from '@delivery-history/projector';
import type { BatchResult } from './batchRetry.js';
import type { CaughtUp } from './caughtUp.js';
import type { CheckpointStore, ShardCheckpoint } from './checkpoint.js';
import type { PollerStats } from './pollerStats.js';
import type { ShardEntry, ShardRegistry } from './shardRegistry.js';
import { makeShardReader, type ShardReader } from '@delivery-history/store';
import { describeStreamsError } from '@delivery-history/store';
import type { Streams } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// One shard's loop: after its parent, from its checkpoint; each batch projected (with
// retries), then checkpointed; idle reads back off; a closed shard is checkpointed as ended.
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

export type ShardLoopDeps = {
  readonly streams: Streams;
  readonly streamArn: string;
  readonly startAt: 'TRIM_HORIZON' | 'LATEST';
  readonly batchLimit: number;
  readonly checkpoint: CheckpointStore;
  readonly projectBatch: (records: readonly _Record[]) => Promise<BatchResult>;
  readonly registry: ShardRegistry;
  readonly progress: CaughtUp;
  readonly stats: PollerStats;
  readonly logger: Logger;
  readonly sleep: Sleep;
  /** [0,1), for the jitter of error back-offs. */
  readonly random: () => number;
  /** Idle reads and errors: first wait `baseMs`, doubled per repeat up to `maxMs`. */
  readonly idle: Backoff;
  /** Ignored records (not for the projector) after which a checkpoint is written anyway. */
  readonly checkpointAfterIgnored: number;
  readonly onBatch?: ((batch: BatchInfo) => void | Promise<void>) | undefined;
  readonly isStopped: () => boolean;
};

/** An idle shard is read by this poller alone: no jitter needed, the back-off's cap itself. */
const NO_JITTER = (): number => 1;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const sequenceOf = (r: _Record | undefined): string => r?.dynamodb?.SequenceNumber ?? '';

/** Runs one shard to its end (or until stopped). */
export const runShard =
  (d: ShardLoopDeps) =>
  async (entry: ShardEntry): Promise<void> => {
    const { shardId } = entry.info;
    const log = d.logger;

    /** `f` until it returns, backing off after each throw; undefined when stopped first. */
    const persist = async <A>(what: string, f: () => Promise<A>): Promise<A | undefined> => {
      for (let retry = 1; !d.isStopped(); retry++) {
        try {
          return await f();
        } catch (e) {
          d.stats.errors += 1;
          log.warn(`${what} failed; retrying`, { shardId, error: errorMessage(e) });
          await d.sleep(backoffDelayMs(retry, d.idle, d.random));
        }
      }
      return undefined;
    };

    const save = async (cp: ShardCheckpoint): Promise<boolean> => {
      try {
        await d.checkpoint.save(shardId, cp);
        d.stats.checkpoints += 1;
        return true;
      } catch (e) {
        // not fatal: the next batch saves again; a restart before that redoes idempotent work
        d.stats.errors += 1;
        log.warn('checkpoint save failed', { shardId, error: errorMessage(e) });
        return false;
      }
    };

    const ended = (): void => {
      d.stats.shardsDone += 1;
      d.progress.ended(shardId);
    };

    let ignoredSinceCheckpoint = 0;

    const handleBatch = async (reader: ShardReader, records: readonly _Record[]): Promise<void> => {
      const last = sequenceOf(records[records.length - 1]);
      const { report, skipped } = await d.projectBatch(records);
      d.stats.batches += 1;
      d.stats.records += records.length;
      d.stats.skippedRecords += skipped.length;
      if (skipped.length > 0) log.error('stream records skipped', { shardId, sequenceNumbers: skipped });
      reader.advance(last);
      ignoredSinceCheckpoint += report.ignored;
      // only batches with projector records (or a long run of others) move the checkpoint: the
      // checkpoint write is itself a stream record, and must not cause another one
      const due = report.records > report.ignored || ignoredSinceCheckpoint >= d.checkpointAfterIgnored;
      const checkpointed = due && (await save({ sequenceNumber: last, ended: false }));
      if (checkpointed) ignoredSinceCheckpoint = 0;
      await d.onBatch?.({
        shardId,
        records: records.length,
        firstSequenceNumber: sequenceOf(records[0]),
        lastSequenceNumber: last,
        report,
        skipped,
        checkpointed,
      });
    };

    /** Reads until the shard ends (true) or the poller stops (false). */
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the shard's read loop: batch, checkpoint, idle and error back-off in one place
    const poll = async (reader: ShardReader): Promise<boolean> => {
      let quiet = 0;
      while (!d.isStopped()) {
        const started = d.progress.nextTick();
        const r = await reader.read();
        if (r._tag === 'Ended') return true;
        if (r._tag === 'Records') {
          await handleBatch(reader, r.records);
          quiet = 0;
        } else if (r._tag === 'Empty') {
          d.progress.drained(shardId, started);
          quiet += 1;
          if (!d.progress.awaitedAfter(started)) await d.sleep(backoffDelayMs(quiet, d.idle, NO_JITTER));
        } else {
          d.stats.errors += 1;
          log.warn('GetRecords failed; backing off', { shardId, error: describeStreamsError(r.error) });
          quiet += 1;
          await d.sleep(backoffDelayMs(quiet, d.idle, d.random));
        }
      }
      return false;
    };

    const readerFrom = (after: string | null): ShardReader =>
      makeShardReader({
        streams: d.streams,
        streamArn: d.streamArn,
        shardId,
        after,
        startAt: d.startAt,
        batchLimit: d.batchLimit,
        onRenewed: () => {
          d.stats.iteratorRenewals += 1;
          log.info('shard iterator expired; renewing', { shardId });
        },
        onTrimmed: (lost) => {
          d.stats.trimmedResets += 1;
          log.warn('shard position trimmed; restarting at TRIM_HORIZON', { shardId, after: lost });
        },
      });

    // a child's records continue its parent's: read the parent to its end first
    await d.registry.parentRetired(entry);
    if (d.isStopped()) return;
    const cp = await persist('checkpoint load', () => d.checkpoint.load(shardId));
    if (cp === undefined) return;
    if (cp?.ended === true) return ended();
    if (cp !== null) log.info('resuming shard from checkpoint', { shardId, after: cp.sequenceNumber });
    const reader = readerFrom(cp?.sequenceNumber ?? null);
    const end = await persist('shard loop', () =>
      // a batch that threw is read again: its records are not processed
      poll(reader).catch((e: unknown) => {
        reader.rewind();
        throw e;
      }),
    );
    if (end !== true) return;
    await save({ sequenceNumber: reader.position, ended: true });
    log.info('shard finished', { shardId });
    ended();
  };
