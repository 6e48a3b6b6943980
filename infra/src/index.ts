export { DeliveryHistoryStack, type DeliveryHistoryStackProps } from './DeliveryHistoryStack.js';
export { DeliveryQueues, type DeliveryQueuesProps } from './DeliveryQueues.js';
export { DeliveryTable, type DeliveryTableProps } from './DeliveryTable.js';
export { LambdaHandler, type LambdaHandlerProps } from './LambdaHandler.js';
export { OperatorAlarms, type OperatorAlarmsProps } from './OperatorAlarms.js';
export { type EventBusChoice, OperatorEvents, type OperatorEventsProps } from './OperatorEvents.js';
export { ProjectorFunction, type ProjectorFunctionProps } from './ProjectorFunction.js';
export { WorkerFunction, type WorkerFunctionProps } from './WorkerFunction.js';
export {
  CONTEXT_KEYS,
  type ContextSettings,
  contextOf,
  decodeStackConfig,
  MESSAGE_MAX_ATTEMPTS_LIMIT,
  RECEIVE_HEADROOM,
  readStackConfig,
  type StackConfig,
  visibilityTimeoutFor,
} from './stackConfig.js';
export {
  esbuildOptions,
  HANDLER_ENTRIES,
  type HandlerName,
  LAMBDA_BUNDLE,
  nodejsBundling,
} from './lambdaBundling.js';
