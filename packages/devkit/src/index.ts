// Local-only tooling: never imported by worker, projector or store, so never in a Lambda bundle.
// DynamoDB Local
export { type DynamoLocal, type DynamoLocalOptions, JavaMissingError, startDynamoLocal } from './dynamoLocal.js';
export { freePort } from './freePort.js';
export { portIsFree } from './portFree.js';
// webhook receivers
export { type ReceivedRequest, type ReceiverOptions, type Receivers, startReceivers } from './receivers.js';
// SQS on one machine
export {
  createLocalQueue,
  type DeadLetter,
  type LocalQueue,
  type LocalQueueOptions,
  QueueCallError,
  type QueueCounts,
  type QueueStats,
} from './localQueue.js';
export {
  createLocalDriver,
  type DriverStats,
  type InterruptReport,
  type LocalDriver,
  type LocalDriverOptions,
  type SqsHandler,
  type StartOptions,
} from './localDriver.js';
export {
  createLocalWorker,
  type LocalWorker,
  type LocalWorkerOptions,
  RECEIVE_MARGIN,
} from './createLocalWorker.js';
// the local stand-in for the worker's KMS key (sealed credentials)
export { LOCAL_KEYRING_VAR, localKeyringPath, localSealer } from './localKeyring.js';
// SQS's SendMessage for `dh local` (a re-drive in another shell reaches the local worker)
export { type SqsEndpoint, startSqsEndpoint } from './sqsEndpoint.js';
// the real projector wired to DynamoDB Local's stream (the local stack's only door to it)
export { type Poller, startPoller } from '@delivery-history/projector';
// operator events: the local sink (EventBridge's stand-in)
export { type MemoryEventSink, memoryEventSink } from './eventSink.js';
// progress of a child process, for waits that must not fail on a busy machine
export { type StallGuardOptions, stallGuard, treeCpuMs } from './processCpu.js';
export { type LocalDrain, startLocalDrain } from './localDrain.js';
