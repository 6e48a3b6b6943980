// Local-only tooling: never imported by worker, projector or store, so never in a Lambda bundle.
// DynamoDB Local
export { type DynamoLocal, startDynamoLocal } from './dynamoLocal.js';
export { portIsFree } from './portFree.js';
// webhook receivers
export { type Receivers, startReceivers } from './receivers.js';
export type { InterruptReport } from './localDriver.js';
export { createLocalWorker, type LocalWorker } from './createLocalWorker.js';
// SQS's SendMessage for `dh local` (a re-drive in another shell reaches the local worker)
export { type SqsEndpoint, startSqsEndpoint } from './sqsEndpoint.js';
// the local stream poller: the real projector's apply over DynamoDB Local's stream
export { type Poller, startPoller } from './poller/poller.js';
// operator events: the local sink (EventBridge's stand-in)
export { type MemoryEventSink, memoryEventSink } from './eventSink.js';
// the drain function's handler on a timer (dh local)
export { type LocalDrain, startLocalDrain } from './localDrain.js';
