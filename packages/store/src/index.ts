export { makeClients, isLocalEndpoint } from './clients.js';
export { makeStreamClients, type StreamClients } from './streamClients.js';
export { ensureTable, latestStreamArn } from './ensureTable.js';
export { unmarshallStreamImage } from './support/streamImage.js';
export {
  TABLE,
  DEFAULT_TABLE_NAME,
  FAILED_INDEX_SHARDS,
  ENDPOINT_INDEX_SHARDS,
  type KeyAttribute,
} from './tableDefinition.js';
export { createStore, type Store } from './createStore.js';
export type { StoreInput, StoreResult } from './storeShapes.js';
export { type RetryOptions, type DocumentClient, DEFAULT_BUDGETS } from './env.js';
export {
  type StoreError,
  Invalid,
  isRetryable,
  describeStoreError,
} from './errors/storeError.js';
export { isFingerprintConflict } from './ops/createMessage.js';
export { probeTable, type TableProbe } from './ops/probeTable.js';
export { tailStream, type StreamTail } from './query/tailStream.js';
// the operations themselves are Store methods (createStore): one door, logged; these are their shapes
export { HEADS_PER_BATCH } from './ops/getHeadAndState.js';
export { BATCH_PUT_MAX } from './ops/batchPut.js';
export { classifyPartition, kindOf, ttlOf } from './query/partition.js';
// the audit trail's items, their codecs and decoder, and the write the projector plans
export { AuditHeadItem } from './audit/auditItems.js';
export { decodeAuditTrail } from './audit/auditTrail.js';
// the audit segment packing: the one rule the projector appends by and replay rebuilds by
export {
  type AppendStep,
  DEFAULT_STEP_LIMITS,
  EntryTooLarge,
  planAppend,
  type Position,
  type StepLimits,
} from './audit/planAppend.js';
export { rebuildAuditSegments } from './audit/rebuildAuditSegments.js';
export {
  DEFAULT_SEGMENT_BUDGET,
  MAX_SEGMENT_BYTES,
  MIN_SEGMENT_BYTES,
  type SegmentBudget,
  segmentBudget,
} from './audit/segmentBudget.js';
// which stream records drive the projector (infra's filter criteria, the local poller's check)
export { matchesStreamFilter, STREAM_FILTER_PATTERNS } from './streamFilter.js';
export { StateSummary } from './query/stateSummary.js';
/** @public named in the CLI's declaration of its failed query */
export type { Page } from './query/stateSummary.js';
export { tableKeys } from './tableKeys.js';
// endpoint health: the projector's counted write is writeAuditStep's `health`; these are the rest
// DynamoDB Streams: the calls, their one error funnel and the one shard reader (the local
// poller in devkit; `dh tail` through tailStream)
export {
  type Streams,
  type StreamsPort,
  streamsOf,
} from './stream/streamsPort.js';
export { describeStreamsError, type StreamsError } from './stream/streamsError.js';
export { makeShardReader, type ShardReader } from './stream/shardReader.js';
export { describeShards, type ShardInfo } from './stream/shards.js';
// the drain of held messages (issue 27): one sweep over the breakers, run by the drain function
// (worker), `dh local` (devkit) and `dh endpoints resume` (cli)
export { DEFAULT_DRAIN_RATE, type DrainQueue, drainHeld } from './held/drainHeld.js';
export { DEFAULT_MAX_HELD_MS } from './held/expireHeld.js';
export { type SweepReport, sweepHeld, sweepTotals } from './held/sweepHeld.js';
