// Test-only door (`@delivery-history/projector/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/projector`) stays what other packages call.
// Lambda
export { makeHandler } from './handler.js';
export { readConfig } from './config.js';
export { parseStreamRecord } from './stream/parseStreamRecord.js';
// apply
export { sortSequenceNumbers } from './apply/projectMessages.js';
export { sampleDriftCheck } from './apply/driftCheck.js';
export { type AuditTrail, auditTrailOf } from './segments/auditTrail.js';
export { readAuditTrail } from './segments/readAuditTrail.js';
export { eventBridgePublisher, type PutEvents } from './events/eventBridgePublisher.js';
// telemetry
export { memoryTelemetry } from './telemetry.js';
export { Contention, StoreFailure } from './errors.js';
