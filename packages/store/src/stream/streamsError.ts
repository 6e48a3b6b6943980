// The ONE place where DynamoDB Streams errors are classified. Matching is by `name` and
// `code`, never `instanceof` (several SDK copies may be loaded, and faults injected in tests
// are plain errors shaped like the SDK's). Whether a failure is transient is the store's
// rule (`toStoreError`); only what is particular to Streams is decided here.
import { isThrottled, isTransient, type StoreError } from '../errors/storeError.js';
import { toStoreError } from '../errors/toStoreError.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type StreamsOp = 'describeStream' | 'getShardIterator' | 'getRecords';

export type StreamsErrorTag = 'ExpiredIterator' | 'TrimmedData' | 'Gone' | 'Retryable' | 'Other';

/**
 * - ExpiredIterator: the iterator is older than 15 min; a new one at the same position works.
 * - TrimmedData: the position is no longer (or never was) in the shard; start over at TRIM_HORIZON.
 * - Gone: the shard or the stream does not exist (any more).
 * - Retryable: throttling, 5xx, network; the same call later should work.
 * - Other: anything else.
 */
export type StreamsError = {
  readonly _tag: StreamsErrorTag;
  readonly op: StreamsOp;
  readonly shardId?: string;
  /** The AWS error name, or the network code. */
  readonly awsCode: string;
  readonly message: string;
  readonly cause: unknown;
};

/** Where a call was made: which shard, and from which sequence number (GetShardIterator). */
export type StreamsCallContext = {
  readonly op: StreamsOp;
  readonly shardId?: string | undefined;
  readonly sequenceNumber?: string | undefined;
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

const make =
  (tag: StreamsErrorTag) =>
  (ctx: StreamsCallContext, fields: Pick<StreamsError, 'awsCode' | 'message' | 'cause'>): StreamsError => ({
    _tag: tag,
    op: ctx.op,
    ...(ctx.shardId !== undefined ? { shardId: ctx.shardId } : {}),
    ...fields,
  });

/** `ExpiredIterator getRecords shard=X: message` on one line. */
export const describeStreamsError = (e: StreamsError): string =>
  `${e._tag} ${e.op}${e.shardId !== undefined ? ` shard=${e.shardId}` : ''} (${e.awsCode}): ${e.message}`;

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** Streams' own error names, each with one meaning wherever it comes from. */
const BY_NAME: Readonly<Record<string, StreamsErrorTag>> = {
  ExpiredIteratorException: 'ExpiredIterator',
  TrimmedDataAccessException: 'TrimmedData',
  ResourceNotFoundException: 'Gone',
  // Streams' own throttle (too many concurrent calls); DynamoDB's throttles the store knows
  LimitExceededException: 'Retryable',
};

/** Names that say a given sequence number is unusable (trimmed away, or not one of this shard's). */
const POSITION_INVALID = new Set(['ValidationException', 'InvalidArgumentException']);

const nameOf = (thrown: unknown): string => {
  const name = (thrown as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'Error';
};

const tagOf = (ctx: StreamsCallContext, name: string, store: StoreError): StreamsErrorTag => {
  const known = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  if (known !== undefined) return known;
  // only for an explicit position: a Validation error elsewhere is a bug, not a lost position
  if (ctx.sequenceNumber !== undefined && POSITION_INVALID.has(name)) return 'TrimmedData';
  return isThrottled(store) || isTransient(store) ? 'Retryable' : 'Other';
};

/** What a Streams call's failure means to a shard reader, from the store's funnel's StoreError. */
export const streamsErrorOf =
  (ctx: StreamsCallContext) =>
  (store: StoreError): StreamsError => {
    const name = nameOf(store.cause);
    return make(tagOf(ctx, name, store))(ctx, {
      awsCode: store.awsCode ?? name,
      message: store.message,
      cause: store.cause,
    });
  };

/** Maps anything a Streams call threw to a StreamsError. */
export const toStreamsError =
  (ctx: StreamsCallContext) =>
  (thrown: unknown): StreamsError =>
    streamsErrorOf(ctx)(toStoreError({ op: `streams.${ctx.op}` })(thrown));
