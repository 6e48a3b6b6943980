// handler
export { createHandler, type SqsBatchHandler } from './handler/createHandler.js';
export type { DeliveryStore } from './handler/storePort.js';
// configuration
export { loadConfig, type WorkerConfig } from './config/readConfig.js';
export { type BreakerStore, endpointGateOf, httpClientOf } from './config/fromConfig.js';
export { workerStoreOf } from './config/workerStoreOf.js';
export { endpointCredentialsOf } from './config/endpointCredentialsOf.js';
// HTTP delivery
export type { HttpClient } from './http/httpClient.js';
// SSRF guard
// (the target rule itself, checkTarget and the allow-list, is core's: request/targetGuard.ts)
export type { Resolver } from './ssrf/guardedConnector.js';
// SQS
export { MAX_VISIBILITY_SECONDS, type RecordRef, type VisibilityPort } from './sqs/visibilityPort.js';
export type { OutboxPort } from './sqs/outboxPort.js';
export { noopMetrics, type WorkerMetrics } from './observability/metrics.js';
// the drain function's handler (issue 27; its sweep is the store's sweepHeld), for `dh local`
export { createDrainHandler, type DrainSummary } from './drain/createDrainHandler.js';
