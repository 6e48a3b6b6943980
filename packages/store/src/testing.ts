// Test-only door (`@delivery-history/store/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/store`) stays what other packages call.
export type { Clients } from './clients.js';
export { createTableInput } from './createTableInput.js';
export { dropTable } from './ensureTable.js';
export { TTL_ATTRIBUTE } from './tableDefinition.js';
export type { StoreDeps } from './env.js';
export {
  STORE_ERROR_CODES,
  STORE_ERROR_TAGS,
  NotFound,
  Leased,
  NotDue,
  Throttled,
  Corrupt,
  isStoreError,
  isNotFound,
  isAlreadyFinal,
  isLeased,
  isNotDue,
  isConflict,
  isNotRedrivable,
  isTooLarge,
  isInvalid,
} from './errors/storeError.js';
export { isConditionFailure, toStoreError } from './errors/toStoreError.js';
export type { History } from './ops/getHistory.js';
// the audit trail's items, their codecs and decoder, and the write the projector plans
export { headItem, segmentItem } from './audit/auditItems.js';
export { segmentBudget } from './audit/segmentBudget.js';
// which stream records drive the projector (infra's filter criteria, the local poller's check)
export { STREAM_FILTER_CRITERIA } from './streamFilter.js';
export {
  auditKey,
  failedShardOf,
  endpointShardOf,
  endpointPartition,
  messageIdOfIndexSk,
  failedIndexKeys,
  endpointIndexKeys,
  correlationIndexKeys,
} from './keys.js';
export { isTransient } from './errors/storeError.js';
export { checkpointKey } from './keys.js';
export { classifiedStreams, streamsPortOf } from './stream/streamsPort.js';
