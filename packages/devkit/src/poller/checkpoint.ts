import {
  type DocumentClient,
  describeStoreError,
  type StoreError,
  createStore,
  type StoreInput,
} from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

type ShardCheckpoint = StoreInput<'putCheckpoint', 2>;

// ---------------------------------------------------------------------------
// Where a poller resumes. Kept in the table itself by the store (`getCheckpoint` /
// `putCheckpoint`: `pk=PROJECTOR#<streamArn>`, `sk=SHARD#<shardId>`). Its own writes reach
// the stream too; they fail the stream filter, and the poller writes a checkpoint only
// after a batch with projector records (or after many ignored ones), so they cannot keep it busy.
// ---------------------------------------------------------------------------

export type { ShardCheckpoint };

export type CheckpointStore = {
  load(shardId: string): Promise<ShardCheckpoint | null>;
  save(shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
};

// The port is promise-shaped (the poller's loop retries a rejection): a store error becomes one.
const orThrow = async <A>(what: string, te: TE.TaskEither<StoreError, A>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new Error(`${what}: ${describeStoreError(r.left)}`);
  return r.right;
};

/** Checkpoints in the table (the default). Rejects on a store error (the poller retries). */
export const tableCheckpoint = (o: {
  readonly doc: DocumentClient;
  readonly tableName: string;
  readonly streamArn: string;
  readonly clock?: () => Date;
}): CheckpointStore => {
  const store = createStore({
    doc: o.doc,
    tableName: o.tableName,
    ...(o.clock !== undefined ? { clock: o.clock } : {}),
  });
  return {
    load: (shardId) => orThrow(`checkpoint of shard ${shardId}`, store.getCheckpoint(o.streamArn, shardId)),
    save: (shardId, cp) => orThrow(`checkpoint of shard ${shardId}`, store.putCheckpoint(o.streamArn, shardId, cp)),
  };
};

/** In-process checkpoints (tests, throwaway runs). */
export const memoryCheckpoint = (): CheckpointStore & { readonly positions: Map<string, ShardCheckpoint> } => {
  const positions = new Map<string, ShardCheckpoint>();
  return {
    positions,
    load: async (shardId) => positions.get(shardId) ?? null,
    save: async (shardId, cp) => {
      positions.set(shardId, cp);
    },
  };
};
