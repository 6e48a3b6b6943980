export { makeClients, isLocalEndpoint, type Clients, type ClientOptions } from './clients.js';
export { makeStreamClients, type StreamClients } from './streamClients.js';
export { createTableInput } from './createTableInput.js';
export { ensureTable, dropTable, latestStreamArn } from './ensureTable.js';
export { unmarshallStreamImage } from './support/streamImage.js';
export {
  TABLE,
  INDEX,
  TTL_ATTRIBUTE,
  DEFAULT_TABLE_NAME,
  FAILED_INDEX_SHARDS,
  ENDPOINT_INDEX_SHARDS,
  type TableDefinition,
  type IndexDefinition,
  type KeyAttribute,
} from './tableDefinition.js';
export { createStore, type Store } from './createStore.js';
export {
  type StoreDeps,
  type RetryOptions,
  type Budgets,
  type DocumentClient,
  DEFAULT_BUDGETS,
  DEFAULT_LEASE_MS,
  DEFAULT_RETRY,
} from './env.js';
export {
  type StoreError,
  type StoreErrorTag,
  type ErrorContext,
  STORE_ERROR_CODES,
  STORE_ERROR_TAGS,
  NotFound,
  AlreadyFinal,
  Leased,
  NotDue,
  Conflict,
  NotRedrivable,
  Throttled,
  Transient,
  TooLarge,
  Invalid,
  Corrupt,
  Unexpected,
  isStoreError,
  isNotFound,
  isAlreadyFinal,
  isLeased,
  isNotDue,
  isConflict,
  isNotRedrivable,
  isThrottled,
  isTransient,
  isTooLarge,
  isInvalid,
  isCorrupt,
  isUnexpected,
  isRetryable,
  describeStoreError,
} from './errors/storeError.js';
export { toStoreError, isConditionFailure, type ConditionFailure } from './errors/toStoreError.js';
export { type CancellationReason, decodeCancellationReasons } from './errors/cancellationReasons.js';
export type { AttemptTicket, Claimed, ClaimOptions } from './ops/claim.js';
export { type Created, isFingerprintConflict } from './ops/createMessage.js';
export type { CreatedAndClaimed } from './ops/upsertClaim.js';
export type { AppendAttemptInput, AppendObservedInput, AppendResult } from './ops/appendAttempt.js';
export type { AppendRedriveInput, Redriven } from './ops/appendRedrive.js';
export type { AppendHoldInput, Held } from './ops/appendHold.js';
export type { HeldEntry } from './ops/listHeld.js';
export type { History } from './ops/getHistory.js';
export { probeTable, type TableProbe } from './ops/probeTable.js';
export { tailStream, type StreamTail, type TailStreamInput } from './query/tailStream.js';
// the operations themselves are Store methods (createStore): one door, logged; these are their shapes
export type { Expunged, ExpungeInput } from './ops/expungeMessage.js';
export { HEADS_PER_BATCH, type HeadAndState } from './ops/getHeadAndState.js';
export type { AuditWrite, RewriteAuditInput } from './ops/writeAudit.js';
export type { StepWrite } from './ops/writeAuditSteps.js';
export type { ShardCheckpoint } from './ops/checkpoint.js';
export { BATCH_PUT_MAX } from './ops/batchPut.js';
export type { ScannedMessage, ScanMessagesInput } from './query/scanMessages.js';
export {
  classifyPartition,
  isPartitionExpired,
  kindOf,
  partitionExpiry,
  ttlOf,
  type Partition,
  type RawItem,
  type ItemKind,
  type AuditItem,
  type CorruptEntry,
} from './query/partition.js';
// the audit trail's items, their codecs and decoder, and the write the projector plans
export {
  AuditHeadItem,
  AuditSegmentItem,
  AuditSummary,
  summaryOf,
  summaryProps,
  headItem,
  segmentItem,
} from './audit/auditItems.js';
export { type AuditTrail, type SegmentInfo, decodeAuditTrail } from './audit/auditTrail.js';
export type { AuditPosition, AuditStep, SegmentAppend } from './audit/auditStep.js';
export type { AuditSegmentWrite } from './audit/auditActions.js';
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
  DEFAULT_HEAD_BYTES,
  DEFAULT_SEGMENT_BUDGET,
  DEFAULT_SEGMENT_BYTES,
  MAX_SEGMENT_BYTES,
  MIN_SEGMENT_BYTES,
  type SegmentBudget,
  segmentBudget,
} from './audit/segmentBudget.js';
export { emptySegmentBytes, entryBytes } from './audit/sizing.js';
// which stream records drive the projector (infra's filter criteria, the local poller's check)
export { matchesStreamFilter, STREAM_FILTER_CRITERIA, STREAM_FILTER_PATTERNS } from './streamFilter.js';
export {
  type QueryFailedInput,
  type QueryByEndpointInput,
  type QueryByCorrelationInput,
  type QueryOrder,
  DEFAULT_PAGE_SIZE,
  MAX_WINDOW_DAYS,
} from './query/indexQueries.js';
export type { ScanSegmentInput } from './query/scanSegment.js';
export { StateSummary, type Page } from './query/stateSummary.js';
export {
  type Key,
  STATE_SK,
  ATTEMPT_PREFIX,
  REDRIVE_PREFIX,
  HOLD_PREFIX,
  holdSk,
  MOVE_PREFIX,
  moveKey,
  AUDIT_PREFIX,
  RESOLVED_PREFIX,
  resolutionSk,
  resolutionKey,
  EXPUNGE_PREFIX,
  expungeSk,
  expungeKey,
  pad,
  messagePk,
  stateKey,
  attemptSk,
  attemptKey,
  redriveSk,
  redriveKey,
  auditSk,
  auditKey,
  CHECKPOINT_PREFIX,
  checkpointKey,
  stableHash,
  failedShardOf,
  endpointShardOf,
  dayOf,
  failedPartition,
  endpointPartition,
  correlationPartition,
  indexSk,
  messageIdOfIndexSk,
  failedIndexKeys,
  endpointIndexKeys,
  correlationIndexKeys,
  stateIndexAttributes,
  DEFAULT_HEALTH_SHARDS,
  healthKey,
  healthShardOf,
} from './keys.js';
// endpoint health: the projector's counted write is writeAuditStep's `health`; these are the rest
export type { HealthWrite, MarkerKind } from './health/healthActions.js';
export type { BucketShard, HealthMarker } from './ops/writeEndpointHealth.js';
export type { HealthWindow } from './ops/readEndpointHealth.js';
