import type { _Record, ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { StreamsError } from './streamsError.js';
import type { Streams } from './streamsPort.js';

// ---------------------------------------------------------------------------
// One shard's iterator lifecycle: opened at TRIM_HORIZON/LATEST, or after the checkpoint;
// renewed at the same position when it expires (15 min); reset to TRIM_HORIZON when the
// position was trimmed (24 h: re-reading is idempotent, and attempts lost in between are read
// from the table when their message moves again, or by replay); ended when the shard is
// closed and read to its end, or gone. It never sleeps: back-off is the caller's.
// ---------------------------------------------------------------------------

export type ShardRead =
  | { readonly _tag: 'Records'; readonly records: readonly _Record[] }
  /** The shard is open and has nothing new. */
  | { readonly _tag: 'Empty' }
  /** Closed and read to its end, or gone: nothing will come. */
  | { readonly _tag: 'Ended' }
  /** Retryable or other: back off and read again (after an `Other` error a new iterator is taken). */
  | { readonly _tag: 'Failed'; readonly error: StreamsError };

export type ShardReaderOptions = {
  readonly streams: Streams;
  readonly streamArn: string;
  readonly shardId: string;
  /** Last sequence number processed (the checkpoint's); null: none. */
  readonly after: string | null;
  /** Where a shard without position starts. */
  readonly startAt: 'TRIM_HORIZON' | 'LATEST';
  /** GetRecords `Limit` (1..1000). */
  readonly batchLimit: number;
  readonly onRenewed?: () => void;
  /** The position `lost` was trimmed away: reading restarts at TRIM_HORIZON. */
  readonly onTrimmed?: (lost: string | null) => void;
};

export type ShardReader = {
  read(): Promise<ShardRead>;
  /** Records up to `sequenceNumber` are processed: a renewed iterator starts after it. */
  advance(sequenceNumber: string): void;
  /** Drops the iterator: the next read starts after `position` again (what was read is not processed). */
  rewind(): void;
  /** Last sequence number processed; null: none (or reset to TRIM_HORIZON). */
  readonly position: string | null;
};

const ENDED: ShardRead = { _tag: 'Ended' };
/** Immediate tries of one read: a renewal or a reset is retried at once, a repeat backs off. */
const TRIES = 3;
const EMPTY: ShardRead = { _tag: 'Empty' };

export const makeShardReader = (o: ShardReaderOptions): ShardReader => {
  let position = o.after;
  let fresh: ShardIteratorType = o.startAt;
  /** undefined: to be (re)opened; null: the shard has no more records. */
  let iterator: string | null | undefined;

  const open = async (): Promise<E.Either<StreamsError, string | null>> => {
    const r = await o.streams.getShardIterator({
      StreamArn: o.streamArn,
      ShardId: o.shardId,
      ShardIteratorType: position !== null ? 'AFTER_SEQUENCE_NUMBER' : fresh,
      ...(position !== null ? { SequenceNumber: position } : {}),
    })();
    return pipe(
      r,
      E.map((out) => out.ShardIterator ?? null),
    );
  };

  const fetch = async (at: string): Promise<E.Either<StreamsError, ShardRead>> => {
    const r = await o.streams.getRecords({ ShardIterator: at, Limit: o.batchLimit })();
    if (E.isLeft(r)) return r;
    iterator = r.right.NextShardIterator ?? null;
    const records = r.right.Records ?? [];
    if (records.length > 0) return E.right({ _tag: 'Records', records });
    return E.right(iterator === null ? ENDED : EMPTY);
  };

  /** One try: a new iterator if needed, then GetRecords. */
  const attempt = async (): Promise<E.Either<StreamsError, ShardRead>> => {
    if (iterator === undefined) {
      const opened = await open();
      if (E.isLeft(opened)) return opened;
      iterator = opened.right;
    }
    return iterator === null ? E.right(ENDED) : fetch(iterator);
  };

  /** Acts on an error; true: the position is fixed, read again at once. */
  const recover = (e: StreamsError): boolean => {
    switch (e._tag) {
      case 'ExpiredIterator':
        o.onRenewed?.();
        iterator = undefined;
        return true;
      case 'TrimmedData':
        o.onTrimmed?.(position);
        position = null;
        fresh = 'TRIM_HORIZON';
        iterator = undefined;
        return true;
      case 'Gone':
        iterator = null;
        return false;
      case 'Retryable':
        return false;
      case 'Other':
        iterator = undefined;
        return false;
    }
  };

  const read = async (triesLeft: number): Promise<ShardRead> => {
    const r = await attempt();
    if (E.isRight(r)) return r.right;
    const fixed = recover(r.left);
    if (iterator === null) return ENDED;
    return fixed && triesLeft > 1 ? read(triesLeft - 1) : { _tag: 'Failed', error: r.left };
  };

  return {
    read: () => read(TRIES),
    advance: (sequenceNumber) => {
      position = sequenceNumber;
    },
    rewind: () => {
      // even at the end of a closed shard: its last batch is read again
      iterator = undefined;
    },
    get position() {
      return position;
    },
  };
};
