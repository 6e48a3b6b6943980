// What the local poller (devkit) wires around the projector's apply: the same projection, its
// errors, configuration, events and telemetry as the Lambda's. The Lambda entry is lambda.ts.
export { makeProjectorDeps, type ProjectorDeps } from './apply/deps.js';
export { type FailedMessage, type ProjectionReport, projectMessages } from './apply/projectMessages.js';
export { isRetryableProjectorError } from './errors.js';
export { type ConfigError, PROJECTOR_ENV, type ProjectorConfig, projectorConfigOf, toConfigError } from './config.js';
export { eventsFromConfig } from './events/eventBridgePublisher.js';
export type { ProjectorMetric, Telemetry } from './telemetry.js';
