// Lambda
export { handler, makeHandler, powertoolsTelemetry } from './handler.js';
export { type ConfigError, type ProjectorConfig, readConfig } from './config.js';
export { type Change, type ParsedRecord, parseStreamRecord } from './stream/parseStreamRecord.js';
// apply
export {
  DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS,
  DEFAULT_RETRY,
  makeProjectorDeps,
  type ProjectorDeps,
  type RetryOptions,
} from './apply/deps.js';
export {
  type FailedMessage,
  type MalformedRecord,
  type ProjectionReport,
  projectMessages,
  sortSequenceNumbers,
} from './apply/projectMessages.js';
export { applyMessage, type MessageOutcome } from './apply/applyMessage.js';
export { type DriftResult, sampleDriftCheck } from './apply/driftCheck.js';
export {
  describeProjectorError,
  isRetryableProjectorError,
  type Contention,
  type CorruptItem,
  type EntryTooLarge,
  type MissingAttempts,
  type OutOfOrder,
  type ProjectorError,
  type StoreFailure,
} from './errors.js';
// segments and the trail
// the items' codecs live with the store's AUDIT writer; re-exported under the names this package always had
export { AuditHeadItem, AuditSegmentItem, AuditSummary } from '@delivery-history/store';
export { type AuditTrail, auditTrailOf, type SegmentInfo } from './segments/auditTrail.js';
export { readAuditTrail } from './segments/readAuditTrail.js';
// operator events
export { type EventsReport, publishEvents } from './events/publishEvents.js';
export {
  DEFAULT_PUBLISH_BACKOFF,
  DEFAULT_PUBLISH_RETRIES,
  type EventBridgePublisherOptions,
  eventBridgePublisher,
  type PutEvents,
  sdkPutEvents,
} from './events/eventBridgePublisher.js';
// telemetry
export {
  memoryTelemetry,
  PROJECTOR_METRICS,
  type ProjectorMetric,
  silentTelemetry,
  type Telemetry,
} from './telemetry.js';
// local poller
export {
  CHECKPOINT_PREFIX,
  type CheckpointStore,
  checkpointKey,
  memoryCheckpoint,
  type ShardCheckpoint,
  tableCheckpoint,
} from './local/checkpoint.js';
export { type BatchInfo, type Poller, type PollerOptions, type PollerStats, startPoller } from './local/poller.js';
export { type StreamsPort, streamsPortOf } from './local/streamsPort.js';
