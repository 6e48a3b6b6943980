export { DeliveryHistoryStack, type DeliveryHistoryStackProps } from './DeliveryHistoryStack.js';
export { DeliveryQueues, type DeliveryQueuesProps } from './DeliveryQueues.js';
export { DeliveryTable, type DeliveryTableProps } from './DeliveryTable.js';
export {
  type FunctionOverrides,
  LambdaHandler,
  type LambdaHandlerProps,
  type VpcPlacement,
} from './LambdaHandler.js';
export { OperatorAlarms, type OperatorAlarmsProps } from './OperatorAlarms.js';
export { type EventBusChoice, OperatorEvents, type OperatorEventsProps } from './OperatorEvents.js';
export { ProjectorFunction, type ProjectorFunctionProps } from './ProjectorFunction.js';
export { type FunctionPlacement, WorkerFunction, type WorkerFunctionProps } from './WorkerFunction.js';
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
  BUNDLE_FILE,
  esbuildOptions,
  HANDLER_ENTRIES,
  type HandlerName,
  handlerCode,
  LAMBDA_BUNDLE,
  LAMBDA_RUNTIMES,
  type LambdaRuntimeName,
  prebuiltBundleDir,
} from './lambdaBundling.js';
export { DeliveryHistory, type DeliveryHistoryProps } from './DeliveryHistory.js';
export * from './deliveryGrants.js';
