// The whole deployment: table, queues, worker, projector, alarms. Settings come from CDK
// context (see stackConfig.ts) unless a decoded config is passed in.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import * as E from 'fp-ts/lib/Either.js';
import { DeliveryQueues } from './DeliveryQueues.js';
import { DeliveryTable } from './DeliveryTable.js';
import { acknowledgeNagFindings } from './nagAcknowledgements.js';
import { OperatorAlarms } from './OperatorAlarms.js';
import { OperatorEvents } from './OperatorEvents.js';
import { ProjectorFunction } from './ProjectorFunction.js';
import { readStackConfig, type StackConfig } from './stackConfig.js';
import { WorkerFunction } from './WorkerFunction.js';

export type DeliveryHistoryStackProps = StackProps & {
  /** Decoded settings; read from the context of `scope` when absent. */
  readonly config?: StackConfig;
};

export class DeliveryHistoryStack extends Stack {
  readonly config: StackConfig;
  readonly encryptionKey: kms.IKey | null;
  readonly table: DeliveryTable;
  readonly queues: DeliveryQueues;
  readonly worker: WorkerFunction;
  readonly projector: ProjectorFunction;
  readonly alarms: OperatorAlarms;
  /** Null when context `eventBus` is `off`. */
  readonly events: OperatorEvents | null;

  constructor(scope: Construct, id: string, props: DeliveryHistoryStackProps = {}) {
    super(scope, id, props);
    const config = props.config ?? configFromContext(scope);
    this.config = config;
    this.encryptionKey = encryptionKeyFor(this, config);

    this.table = new DeliveryTable(this, 'Deliveries', {
      tableName: config.tableName,
      encryptionKey: this.encryptionKey,
    });
    this.queues = new DeliveryQueues(this, 'Queues', {
      namePrefix: config.namePrefix,
      encryptionKey: this.encryptionKey,
      visibilityTimeoutSeconds: config.queueVisibilityTimeoutSeconds,
      maxReceiveCount: config.maxReceiveCount,
    });
    this.worker = new WorkerFunction(this, 'Worker', {
      config,
      table: this.table.table,
      queue: this.queues.deliveries,
      encryptionKey: this.encryptionKey,
    });
    this.events =
      config.eventBus === 'off'
        ? null
        : new OperatorEvents(this, 'Events', { namePrefix: config.namePrefix, eventBus: config.eventBus });
    this.projector = new ProjectorFunction(this, 'Projector', {
      config,
      table: this.table.table,
      failures: this.queues.projectorFailures,
      encryptionKey: this.encryptionKey,
      eventBus: this.events === null ? null : { name: this.events.busName, arn: this.events.busArn },
    });
    this.alarms = new OperatorAlarms(this, 'Alarms', {
      namePrefix: config.namePrefix,
      table: this.table.table,
      worker: this.worker.handler.fn,
      projector: this.projector.handler.fn,
      deadLetters: this.queues.deadLetters,
      projectorFailures: this.queues.projectorFailures,
      iteratorAgeSeconds: config.iteratorAgeAlarmSeconds,
      transactionConflictsPer5Min: config.transactionConflictAlarmPer5Min,
      alarmTopicArn: config.alarmTopicArn,
      eventPublishFailures: this.events !== null,
    });

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('TableName', this.table.table.tableName, 'DELIVERY_TABLE_NAME for the CLI and replay tooling');
    out('DeliveryQueueUrl', this.queues.deliveries.queueUrl, 'Send delivery requests (JSON) here');
    out(
      'DeliveryDlqArn',
      this.queues.deadLetters.queueArn,
      'Redrive: aws sqs start-message-move-task --source-arn <this>',
    );
    out('ProjectorFailuresQueueUrl', this.queues.projectorFailures.queueUrl, 'Stream batches the projector gave up on');
    out('WorkerFunctionName', this.worker.handler.fn.functionName, 'Worker Lambda');
    if (this.events !== null) {
      out('EventBusName', this.events.busName, 'Operator events (delivery.failed/lost/redriven) go to this bus');
      out('DeliveryFailedTopicArn', this.events.failedTopic.topicArn, 'Example rule target: final delivery failures');
    }
    out('ProjectorFunctionName', this.projector.handler.fn.functionName, 'Projector Lambda');

    acknowledgeNagFindings({
      table: this.table.table,
      functions: [this.worker.handler.fn, this.projector.handler.fn],
      projectorRole: this.projector.handler.role,
      roles: [this.worker.handler.role, this.projector.handler.role],
      projectorFailures: this.queues.projectorFailures,
      failedTopic: this.events?.failedTopic ?? null,
      tracing: config.tracing,
      runtimeName: config.lambdaRuntime,
    });
  }
}

/** Invalid context is a deployment mistake; the message names the key and the value. */
const configFromContext = (scope: Construct): StackConfig => {
  const r = readStackConfig(scope);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const encryptionKeyFor = (stack: Stack, config: StackConfig): kms.IKey | null => {
  if (config.kmsKeyArn !== null) return kms.Key.fromKeyArn(stack, 'ImportedKey', config.kmsKeyArn);
  if (!config.customerManagedKey) return null;
  return new kms.Key(stack, 'Key', {
    alias: `alias/${config.namePrefix}`,
    description: `${config.namePrefix}: table, stream and queues`,
    enableKeyRotation: true,
    // Deleting the key would make the retained table unreadable.
    removalPolicy: RemovalPolicy.RETAIN,
  });
};
