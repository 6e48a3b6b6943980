// handler
export type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
export { handler } from './handler/lambdaHandler.js';
export { createHandler, type HandlerDeps, type SqsBatchHandler } from './handler/createHandler.js';
export { processRecord, type ProcessDeps } from './handler/processRecord.js';
export { decodeRecord, decodeRecordBody, type RecordBody } from './handler/decodeRecord.js';
export { type RecordDecision, RecordNotDone } from './handler/recordDecision.js';
export type {
  AppendAttemptInput,
  AppendResult,
  AttemptTicket,
  Claimed,
  DeliveryStore,
  StoreFailure,
} from './handler/storePort.js';
// configuration
export { loadConfig, readConfig, SNIPPET_BYTES, WORKER_ENV, type WorkerConfig } from './config/readConfig.js';
export { type BreakerStore, endpointGateOf, httpClientOf } from './config/fromConfig.js';
export { retryPolicyOf, workerStoreOf } from './config/workerStoreOf.js';
export { type Clock, systemClock } from './clock.js';
// HTTP delivery
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpExchange,
  type HttpRequest,
} from './http/httpClient.js';
export { transportErrorCode } from './http/transportErrorCode.js';
// SSRF guard
// (the target rule itself, checkTarget and the allow-list, is core's: request/targetGuard.ts)
export { guardedConnector, guardedLookup, type Resolver, systemResolver } from './ssrf/guardedConnector.js';
// SQS
export { MAX_VISIBILITY_SECONDS, type RecordRef, type VisibilityPort } from './sqs/visibilityPort.js';
export { queueUrlOf, sqsVisibility } from './sqs/sqsVisibility.js';
export type { OutboxPort } from './sqs/outboxPort.js';
export { sqsOutbox } from './sqs/sqsOutbox.js';
// observability
export { powertoolsLogger } from './observability/logger.js';
export {
  memoryMetrics,
  type MetricEntry,
  type MetricName,
  noopMetrics,
  powertoolsMetrics,
  type WorkerMetrics,
} from './observability/metrics.js';
// the drain of held messages (issue 27): one sweep, on AWS a scheduled function, locally `dh local`
export { DEFAULT_DRAIN_RATE, type DrainQueue, type DrainReport, drainHeld } from './drain/drainHeld.js';
export { DEFAULT_MAX_HELD_MS, expireHeld } from './drain/expireHeld.js';
export { createDrainHandler, type DrainHandler, type DrainSummary } from './drain/createDrainHandler.js';
