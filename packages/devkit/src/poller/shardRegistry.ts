import * as E from 'fp-ts/lib/Either.js';
import { describeShards, type ShardInfo } from '@delivery-history/store';
import type { StreamsError } from '@delivery-history/store';
import type { Streams } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// The shards the poller knows: found by DescribeStream, each registered once, a child
// linked to its parent so its records are read only after the parent's (a child's records
// continue its parent's), and a shard retired when its loop has ended.
// ---------------------------------------------------------------------------

export type ShardEntry = {
  /** `parentShardId` is null when the parent is not (any more) in the stream: nothing to wait for. */
  readonly info: ShardInfo;
  /** Settles when the shard is retired. */
  readonly retired: Promise<void>;
};

export type ShardRegistry = {
  /** DescribeStream; registers and returns the shards not seen before. */
  discover(): Promise<E.Either<StreamsError, readonly ShardEntry[]>>;
  /** Registers the shards of `found` not seen before and returns them. */
  register(found: readonly ShardInfo[]): readonly ShardEntry[];
  /** Settles when the shard's parent is retired (at once when it has none). */
  parentRetired(entry: ShardEntry): Promise<void>;
  /** The shard's loop has ended (closed and read to its end, stopped, or crashed). */
  retire(shardId: string): void;
};

type Slot = ShardEntry & { readonly settle: () => void };

const slotOf = (info: ShardInfo): Slot => {
  let settle: () => void = () => undefined;
  const retired = new Promise<void>((ok) => {
    settle = ok;
  });
  return { info, retired, settle };
};

export const makeShardRegistry = (streams: Streams, streamArn: string): ShardRegistry => {
  const slots = new Map<string, Slot>();

  const register = (found: readonly ShardInfo[]): readonly ShardEntry[] => {
    const listed = new Set(found.map((s) => s.shardId));
    const added = found
      .filter((info) => !slots.has(info.shardId))
      // a parent trimmed away is not waited for
      .map((info) =>
        slotOf(info.parentShardId !== null && listed.has(info.parentShardId) ? info : { ...info, parentShardId: null }),
      );
    for (const slot of added) slots.set(slot.info.shardId, slot);
    return added.map(({ info, retired }) => ({ info, retired }));
  };

  return {
    register,
    discover: async () => E.map(register)(await describeShards(streams, streamArn)),
    parentRetired: async (entry) => {
      const parent = entry.info.parentShardId === null ? undefined : slots.get(entry.info.parentShardId);
      await parent?.retired;
    },
    retire: (shardId) => slots.get(shardId)?.settle(),
  };
};
