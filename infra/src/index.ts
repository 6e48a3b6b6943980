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
// The package's declarations name nothing but aws-cdk-lib and constructs (a consumer's tsc
// compiles against them: test/packedPackage.test.ts); the config decoder (io-ts, core) and
// the bundling settings (esbuild) stay inside: bin/app.ts and the scripts import them from src.
export type { ContextSettings, StackConfig } from './stackSettings.js';
export { type HandlerName, LAMBDA_RUNTIMES, type LambdaRuntimeName } from './lambdaRuntimes.js';
export { DeliveryHistory, type DeliveryHistoryProps } from './DeliveryHistory.js';
export type { EndpointCredentialProps } from './endpointCredentialGrants.js';
export * from './deliveryGrants.js';
