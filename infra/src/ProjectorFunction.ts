// The audit projector: the table's stream (attempt and redrive inserts only) -> audit segments.
import { STREAM_FILTER_PATTERNS } from '@delivery-history/store';
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LambdaHandler } from './LambdaHandler.js';
import type { StackConfig } from './stackSettings.js';
import type { FunctionPlacement } from './WorkerFunction.js';

/**
 * What the projector's code calls on the table: Get and BatchGet (audit head with STATE in one
 * request), Query (a message's attempts, redrives, segments), Put/Update alone or as the items
 * of one TransactWriteItems (which has no IAM action of its own; endpoint-health counts ride in
 * it), Update (endpoint-health markers) and BatchWrite (endpoint-health window index Puts).
 */
export const PROJECTOR_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
] as const;

/** What Lambda's stream poller calls, on this table's stream. */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

/**
 * The projector writes message partitions (audit segments), endpoint-health buckets and their
 * window index (store's `messagePk`, `healthKey`, `healthIndexKey`), nothing else.
 */
/** BREAKER: it decides the endpoint breakers after each batch (issue 27). */
export const PROJECTOR_LEADING_KEYS = ['MSG#*', 'HEALTH#*', 'HEALTHIDX#*', 'BREAKER'] as const;

export type ProjectorFunctionProps = FunctionPlacement & {
  readonly config: StackConfig;
  readonly table: dynamodb.ITable;
  readonly failures: sqs.IQueue;
  /** The table's key and the on-failure queue's (one key unless the table was brought). */
  readonly keys: readonly kms.IKey[];
  /** Operator events: the bus (name for DELIVERY_EVENT_BUS_NAME, ARN for the grant); null = off. */
  readonly eventBus: { readonly name: string; readonly arn: string } | null;
};

/**
 * The on-failure destination without `SqsDlq`'s grant (it adds sqs:GetQueueAttributes and
 * sqs:GetQueueUrl); the role gets sqs:SendMessage below instead.
 */
const failureDestination = (queue: sqs.IQueue): lambda.IEventSourceDlq => ({
  bind: () => ({ destination: queue.queueArn }),
});

export class ProjectorFunction extends Construct {
  readonly handler: LambdaHandler;
  readonly eventSource: lambda.EventSourceMapping;

  constructor(scope: Construct, id: string, props: ProjectorFunctionProps) {
    super(scope, id);
    const { config, table } = props;
    const streamArn = table.tableStreamArn;
    if (streamArn === undefined) throw new Error('ProjectorFunction: the table has no stream');
    this.handler = new LambdaHandler(this, 'Handler', {
      handler: 'projector',
      runtime: config.lambdaRuntime,
      functionName: props.namePrefix === undefined ? undefined : `${props.namePrefix}-projector`,
      description: 'Builds each message audit trail from its attempt and redrive items',
      memorySize: config.projectorMemoryMb,
      timeoutSeconds: config.projectorTimeoutSeconds,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: {
        DELIVERY_TABLE_NAME: table.tableName,
        ...(config.retentionDays === null ? {} : { DELIVERY_RETENTION_DAYS: String(config.retentionDays) }),
        DELIVERY_BREAKER: config.breaker ? 'on' : 'off',
        ...(props.eventBus === null ? {} : { DELIVERY_EVENT_BUS_NAME: props.eventBus.name }),
        POWERTOOLS_SERVICE_NAME: 'delivery-projector',
        POWERTOOLS_METRICS_NAMESPACE: 'DeliveryHistory',
      },
      removalPolicy: props.removalPolicy,
      logKey: props.logKey,
      vpc: props.vpc,
      overrides: props.overrides,
    });
    const fn = this.handler;
    fn.allow('AuditSegments', PROJECTOR_TABLE_ACTIONS, [table.tableArn], {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...PROJECTOR_LEADING_KEYS] },
    });
    fn.allow('ReadStream', STREAM_READ_ACTIONS, [streamArn]);
    // ListStreams names no stream; AWS's own example scopes it to the table's streams.
    fn.allow('ListTableStreams', ['dynamodb:ListStreams'], [`${table.tableArn}/stream/*`]);
    fn.allow('OnFailureDestination', ['sqs:SendMessage'], [props.failures.queueArn]);
    props.keys.forEach((k, i) => {
      fn.allowKey(k, i === 0 ? 'TableAndQueueKey' : `Key${i}`);
    });
    // PutEvents is scoped by the bus ARN (resource-level permission on the event bus)
    if (props.eventBus !== null) fn.allow('PublishOperatorEvents', ['events:PutEvents'], [props.eventBus.arn]);

    this.eventSource = new lambda.EventSourceMapping(this, 'StreamSource', {
      target: this.handler.fn,
      eventSourceArn: streamArn,
      // From the oldest record the stream still holds (24 h): a new or re-enabled projector
      // catches up instead of skipping history.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      // The projector's own definition: only attempt/redrive inserts reach the function
      // (STATE and AUDIT writes, its own included, are dropped by Lambda at no invocation).
      filters: STREAM_FILTER_PATTERNS.map((p) => lambda.FilterCriteria.filter(p)),
      batchSize: config.projectorBatchSize,
      maxBatchingWindow: Duration.seconds(config.projectorMaxBatchingWindowSeconds),
      // Order is kept per partition key (one message), so a factor above 1 is safe.
      parallelizationFactor: config.projectorParallelization,
      // A failing batch is halved until the poison record is alone; the handler reports the
      // first failed sequence number so processing resumes there, not at the batch start.
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      // Bounded: a record that keeps failing, or is older than this, goes to the on-failure
      // queue (its shard and sequence range) and the shard moves on; `dh replay projections`
      // rebuilds the audit trail from the attempts, which are never lost.
      retryAttempts: config.projectorRetryAttempts,
      maxRecordAge: Duration.seconds(config.projectorMaxRecordAgeSeconds),
      onFailure: failureDestination(props.failures),
    });
  }
}
