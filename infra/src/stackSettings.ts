// The stack's settings as plain types, for the construct's props and the package's
// declarations (which must name nothing a consumer lacks: no io-ts, no workspace package).
// stackConfig.ts decodes them; its codec is checked against these types at compile time.
import type { LambdaRuntimeName } from './lambdaRuntimes.js';

/** Every context setting, decoded and defaulted (stackConfig.ts documents each). */
export type ContextSettings = {
  stage: string;
  namePrefix: string | null;
  tableName: string | null;
  customerManagedKey: boolean;
  kmsKeyArn: string | null;
  lambdaRuntime: LambdaRuntimeName;
  tracing: boolean;
  logRetentionDays: number;
  alarmTopicArn: string | null;
  retentionDays: number | null;
  breaker: boolean;
  eventBus: 'own' | 'default' | 'off';
  maxAttempts: number;
  maxReceiveCount: number;
  deliveryTimeoutMs: number;
  workerTimeoutSeconds: number;
  workerMemoryMb: number;
  workerBatchSize: number;
  workerMaxBatchingWindowSeconds: number;
  workerMaxConcurrency: number;
  projectorMemoryMb: number;
  projectorTimeoutSeconds: number;
  projectorBatchSize: number;
  projectorMaxBatchingWindowSeconds: number;
  projectorRetryAttempts: number;
  projectorMaxRecordAgeSeconds: number;
  projectorParallelization: number;
  iteratorAgeAlarmSeconds: number;
  queueOldestMessageAlarmSeconds: number;
  queueBacklogAlarmMessages: number;
  transactionConflictAlarmPer5Min: number;
};

export type StackConfig = Omit<ContextSettings, 'namePrefix' | 'tableName'> & {
  readonly namePrefix: string;
  readonly tableName: string;
  /** SQS visibility timeout of the delivery queue (seconds), derived. */
  readonly queueVisibilityTimeoutSeconds: number;
};
