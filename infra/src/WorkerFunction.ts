// The delivery worker: SQS -> claim -> HTTP -> one TransactWriteItems append.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type FunctionOverrides, LambdaHandler, type VpcPlacement } from './LambdaHandler.js';
import type { StackConfig } from './stackSettings.js';

/**
 * What the worker's code (through store) calls on the table: Put (create STATE), Update
 * (claim), the append's TransactWriteItems of a Put and an Update (no IAM action of its own:
 * each item is authorised as its Put/Update), Get and Query on the conflict paths.
 */
export const WORKER_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/** Lambda's SQS poller needs the first three; the worker itself delays retries with the fourth. */
export const WORKER_QUEUE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
  // an observed outcome the table could not take goes back through the queue (docs/model.md, rule 7)
  'sqs:SendMessage',
] as const;

/**
 * The worker writes only message partitions (`MSG#<messageId>`: STATE, attempts, resolutions),
 * so its table statement is conditioned on those leading keys.
 */
/**
 * MSG#: its messages; BREAKER: the endpoint breakers it reads and whose probe it takes;
 * HELD#: a hold's transaction lists the message in its endpoint's held registry (issue 27).
 */
export const WORKER_LEADING_KEYS = ['MSG#*', 'BREAKER', 'HELD#*'] as const;

/** What both functions share: naming, teardown, keys, network, a consumer's overrides. */
export type FunctionPlacement = {
  /** Undefined: CloudFormation names the function and its log group. */
  readonly namePrefix: string | undefined;
  readonly removalPolicy: RemovalPolicy;
  /** The log group's key (customer-key mode). */
  readonly logKey: kms.IKey | null;
  readonly vpc: VpcPlacement | null;
  readonly overrides: FunctionOverrides;
};

export type WorkerFunctionProps = FunctionPlacement & {
  readonly config: StackConfig;
  readonly table: dynamodb.ITable;
  readonly queue: sqs.IQueue;
  /** Keys the worker uses: the table's, the queue's (the same one unless brought separately). */
  readonly keys: readonly kms.IKey[];
};

export class WorkerFunction extends Construct {
  readonly handler: LambdaHandler;
  readonly eventSource: lambda.EventSourceMapping;

  constructor(scope: Construct, id: string, props: WorkerFunctionProps) {
    super(scope, id);
    const { config } = props;
    this.handler = new LambdaHandler(this, 'Handler', {
      handler: 'worker',
      runtime: config.lambdaRuntime,
      functionName: props.namePrefix === undefined ? undefined : `${props.namePrefix}-worker`,
      description: 'Delivers queued webhook requests and appends one attempt per HTTP request',
      memorySize: config.workerMemoryMb,
      timeoutSeconds: config.workerTimeoutSeconds,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: {
        DELIVERY_TABLE_NAME: props.table.tableName,
        DELIVERY_QUEUE_URL: props.queue.queueUrl,
        DELIVERY_MAX_ATTEMPTS: String(config.maxAttempts),
        DELIVERY_TIMEOUT_MS: String(config.deliveryTimeoutMs),
        ...(config.retentionDays === null ? {} : { DELIVERY_RETENTION_DAYS: String(config.retentionDays) }),
        DELIVERY_BREAKER: config.breaker ? 'on' : 'off',
        POWERTOOLS_SERVICE_NAME: 'delivery-worker',
        POWERTOOLS_METRICS_NAMESPACE: 'DeliveryHistory',
      },
      removalPolicy: props.removalPolicy,
      logKey: props.logKey,
      vpc: props.vpc,
      overrides: props.overrides,
      // The worker sends an observed outcome the table could not take back to its own event
      // source queue (docs/model.md, rule 7): Lambda's loop detection (default: terminate) would
      // drop that message after about 16 hops, and it is the outcome's only copy during a
      // DynamoDB outage. Each hop is delayed (DelaySeconds) and bounded by the receive count.
      recursiveLoop: lambda.RecursiveLoop.ALLOW,
    });
    const fn = this.handler;
    // The base table only (the worker reads no index), message partitions only.
    fn.allow('DeliveryTable', WORKER_TABLE_ACTIONS, [props.table.tableArn], {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...WORKER_LEADING_KEYS] },
    });
    fn.allow('DeliveryQueue', WORKER_QUEUE_ACTIONS, [props.queue.queueArn]);
    props.keys.forEach((k, i) => {
      fn.allowKey(k, i === 0 ? 'TableAndQueueKey' : `Key${i}`);
    });

    // The low-level mapping, not SqsEventSource: that one grants sqs:GetQueueUrl and
    // friends on top; the statements above are the whole of what this role may do.
    this.eventSource = new lambda.EventSourceMapping(this, 'DeliveriesSource', {
      target: this.handler.fn,
      eventSourceArn: props.queue.queueArn,
      // At most 10 (SQS's largest receive): records are independent and each is reported on
      // its own (partial batch response), so a bigger batch only lengthens the slowest one.
      batchSize: config.workerBatchSize,
      maxBatchingWindow: Duration.seconds(config.workerMaxBatchingWindowSeconds),
      // Caps concurrent worker invocations from this queue: it bounds the load on receivers
      // and DynamoDB, and unlike reserved concurrency it makes Lambda stop polling instead of
      // receiving messages it cannot run (which would burn their receive count).
      maxConcurrency: config.workerMaxConcurrency,
      reportBatchItemFailures: true,
    });
  }
}
