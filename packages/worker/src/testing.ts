// Test-only door (`@delivery-history/worker/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/worker`) stays what other packages call.
// the Lambda entry, as deployed
export { handler } from './lambda.js';
export { processRecord, type ProcessDeps } from './handler/processRecord.js';
export type { RecordDecision } from './handler/recordDecision.js';
// configuration
export { readConfig } from './config/readConfig.js';
// HTTP delivery
export { createHttpClient, type HttpClientOptions, type HttpExchange } from './http/httpClient.js';
export { memoryMetrics } from './observability/metrics.js';
export { secretsManagerSource } from './credentials/secretsManagerSource.js';
// the drain function's Lambda entry, as deployed
export { handler as drainLambdaHandler } from './drain/drainLambda.js';
