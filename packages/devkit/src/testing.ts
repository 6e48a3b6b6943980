// Test-only door (`@delivery-history/devkit/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/devkit`) stays what other packages call.
export { freePort } from './freePort.js';
// SQS on one machine
export { createLocalQueue } from './localQueue.js';
export { createLocalDriver } from './localDriver.js';
// the local stand-in for the worker's KMS key (sealed credentials)
export { LOCAL_KEYRING_VAR, localSealer } from './localKeyring.js';
// the local stand-in for Secrets Manager (per-endpoint credentials)
export { LOCAL_SECRETS_VAR } from './localSecrets.js';
// progress of a child process, for waits that must not fail on a busy machine
export { stallGuard, treeCpuMs } from './processCpu.js';
export { memoryCheckpoint } from './poller/checkpoint.js';
