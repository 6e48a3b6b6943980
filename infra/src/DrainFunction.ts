// The drain of held messages (issue 27): a scheduled sweep over the endpoint breakers that
// re-enqueues a closed endpoint's held messages at the per-endpoint rate cap, oldest first, and
// makes messages held past the limit final (held_expired). Code: packages/worker/src/drain.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LambdaHandler } from './LambdaHandler.js';
import type { StackConfig } from './stackSettings.js';
import type { FunctionPlacement } from './WorkerFunction.js';

/**
 * What a sweep calls on the table: Query (the breakers, an endpoint's held registry, a
 * message's partition for retention), Get (STATE), and the release/expiry transaction's items:
 * Put (HOLD#k), Update (STATE, retention TTLs), Delete (the held-registry entry).
 */
export const DRAIN_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** MSG#: the held messages; BREAKER: read only (which endpoints closed); HELD#: the held registry. */
export const DRAIN_LEADING_KEYS = ['MSG#*', 'BREAKER', 'HELD#*'] as const;

/** How often a sweep starts; an invocation stops 10 s before its timeout (DRAIN_MARGIN_MS). */
export const DRAIN_SCHEDULE_MINUTES = 1;
export const DRAIN_TIMEOUT_SECONDS = 60;

export type DrainFunctionProps = FunctionPlacement & {
  readonly config: StackConfig;
  readonly table: dynamodb.ITable;
  /** The delivery queue: released messages go back to it (sqs:SendMessage only). */
  readonly queue: sqs.IQueue;
  readonly keys: readonly kms.IKey[];
};

export class DrainFunction extends Construct {
  readonly handler: LambdaHandler;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: DrainFunctionProps) {
    super(scope, id);
    const { config } = props;
    this.handler = new LambdaHandler(this, 'Handler', {
      handler: 'drain',
      runtime: config.lambdaRuntime,
      functionName: props.namePrefix === undefined ? undefined : `${props.namePrefix}-drain`,
      description: 'Re-enqueues held messages of recovered endpoints at a rate cap; expires those held too long',
      memorySize: 256,
      timeoutSeconds: DRAIN_TIMEOUT_SECONDS,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: {
        DELIVERY_TABLE_NAME: props.table.tableName,
        DELIVERY_QUEUE_URL: props.queue.queueUrl,
        ...(config.retentionDays === null ? {} : { DELIVERY_RETENTION_DAYS: String(config.retentionDays) }),
        POWERTOOLS_SERVICE_NAME: DRAIN_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: 'DeliveryHistory',
      },
      removalPolicy: props.removalPolicy,
      logKey: props.logKey,
      vpc: props.vpc,
      // One sweep at a time: two would drain an endpoint side by side, at twice its rate cap.
      overrides: { reservedConcurrentExecutions: 1, ...props.overrides },
    });
    const fn = this.handler;
    fn.allow('HeldMessages', DRAIN_TABLE_ACTIONS, [props.table.tableArn], {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...DRAIN_LEADING_KEYS] },
    });
    fn.allow('DeliveryQueue', ['sqs:SendMessage'], [props.queue.queueArn]);
    props.keys.forEach((k, i) => {
      fn.allowKey(k, i === 0 ? 'TableAndQueueKey' : `Key${i}`);
    });
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'One drain sweep a minute (held messages of recovered endpoints, expiry of old holds)',
      schedule: events.Schedule.rate(Duration.minutes(DRAIN_SCHEDULE_MINUTES)),
      // a sweep that failed or was throttled is not retried: the next minute's sweeps again
      targets: [new targets.LambdaFunction(fn.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}

/** Powertools service name of the drain's logs and metrics (alarms read `DrainFailures` by it). */
export const DRAIN_SERVICE_NAME = 'delivery-drain';
