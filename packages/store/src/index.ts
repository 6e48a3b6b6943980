export { makeClients, isLocalEndpoint, type Clients, type ClientOptions } from './clients.js';
export { createTableInput } from './createTableInput.js';
export { ensureTable, dropTable } from './ensureTable.js';
export {
  TABLE,
  INDEX,
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
  Duplicate,
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
  isDuplicate,
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
export type { Created } from './ops/createMessage.js';
export type { AppendAttemptInput, AppendResult } from './ops/appendAttempt.js';
export type { OutcomeFor } from './ops/attemptItem.js';
export type { AppendRedriveInput, Redriven } from './ops/appendRedrive.js';
export type { History, AuditItem } from './ops/getHistory.js';
export {
  type QueryFailedInput,
  type QueryByEndpointInput,
  type QueryByCorrelationInput,
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
  AUDIT_PREFIX,
  pad,
  messagePk,
  stateKey,
  attemptSk,
  attemptKey,
  redriveSk,
  redriveKey,
  auditSk,
  auditKey,
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
} from './keys.js';
