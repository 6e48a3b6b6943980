// The alarms an operator of this system needs: each one names a condition that loses or
// delays deliveries or audit entries, and says what to do in its description.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { METRICS_NAMESPACE, PROJECTOR_SERVICE_NAME } from '@delivery-history/core';
import { Construct } from 'constructs';

export type OperatorAlarmsProps = {
  readonly namePrefix: string;
  readonly table: dynamodb.Table;
  readonly worker: lambda.IFunction;
  readonly projector: lambda.IFunction;
  readonly deadLetters: sqs.IQueue;
  readonly projectorFailures: sqs.IQueue;
  readonly iteratorAgeSeconds: number;
  readonly transactionConflictsPer5Min: number;
  readonly alarmTopicArn: string | null;
  /** Operator events are on: alarm on the projector's `EventPublishFailures` metric. */
  readonly eventPublishFailures: boolean;
};

/** Operations the worker, projector and CLI call on the table. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

type AlarmSpec = {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** M of N: `datapoints` breaching periods out of `periods`. */
  readonly datapoints: number;
  readonly periods: number;
};

export class OperatorAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    const p = props.namePrefix;
    const specs: AlarmSpec[] = [
      {
        id: 'DeadLetters',
        name: `${p}-deliveries-dlq-not-empty`,
        description:
          'Delivery requests reached the DLQ (receive count exhausted without a final outcome). Find the cause in the worker logs by messageId, fix it, then move them back: aws sqs start-message-move-task --source-arn <DLQ ARN>.',
        metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: 'Maximum',
        }),
        threshold: 1,
        datapoints: 1,
        periods: 1,
      },
      {
        id: 'ProjectorFailures',
        name: `${p}-projector-failures-not-empty`,
        description:
          'Stream batches the projector gave up on: some audit trails lag their attempts. Fix the cause, then run `dh replay projections --all` (attempts are intact).',
        metric: props.projectorFailures.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: 'Maximum',
        }),
        threshold: 1,
        datapoints: 1,
        periods: 1,
      },
      {
        id: 'ProjectorIteratorAge',
        name: `${p}-projector-iterator-age`,
        description: `The projector is over ${props.iteratorAgeSeconds} s behind the table stream (stream records expire after 24 h).`,
        metric: props.projector.metric('IteratorAge', { period: ONE_MINUTE, statistic: 'Maximum' }),
        threshold: props.iteratorAgeSeconds * 1000,
        datapoints: 5,
        periods: 5,
      },
      {
        id: 'WorkerErrors',
        name: `${p}-worker-errors`,
        description:
          'Worker invocations fail as a whole (not single records): whole batches return to the queue and burn receive counts.',
        metric: props.worker.metricErrors({ period: ONE_MINUTE, statistic: 'Sum' }),
        threshold: 1,
        datapoints: 3,
        periods: 5,
      },
      {
        id: 'WorkerThrottles',
        name: `${p}-worker-throttles`,
        description:
          'Worker invocations are throttled (account or function concurrency): deliveries are delayed and receive counts burn.',
        metric: props.worker.metricThrottles({ period: ONE_MINUTE, statistic: 'Sum' }),
        threshold: 1,
        datapoints: 3,
        periods: 5,
      },
      {
        id: 'ProjectorErrors',
        name: `${p}-projector-errors`,
        description:
          'Projector invocations fail: the stream shard is retried, then bisected, then sent to the on-failure queue.',
        metric: props.projector.metricErrors({ period: ONE_MINUTE, statistic: 'Sum' }),
        threshold: 1,
        datapoints: 3,
        periods: 5,
      },
      {
        id: 'TableThrottles',
        name: `${p}-table-throttled-requests`,
        description:
          'DynamoDB throttles requests (a hot partition, or a burst over twice the previous on-demand peak). Clients retry with backoff; sustained throttling delays deliveries.',
        metric: props.table.metricThrottledRequestsForOperations({
          operations: TABLE_OPERATIONS,
          period: FIVE_MINUTES,
        }),
        threshold: 1,
        datapoints: 2,
        periods: 3,
      },
      {
        id: 'TableSystemErrors',
        name: `${p}-table-system-errors`,
        description: 'DynamoDB returns 5xx errors: deliveries are retried through SQS; check the AWS Health Dashboard.',
        metric: props.table.metricSystemErrorsForOperations({
          operations: [...TABLE_OPERATIONS, dynamodb.Operation.GET_RECORDS],
          period: FIVE_MINUTES,
        }),
        threshold: 1,
        datapoints: 2,
        periods: 3,
      },
      {
        id: 'TransactionConflicts',
        name: `${p}-table-transaction-conflicts`,
        description: `More than ${props.transactionConflictsPer5Min} transaction conflicts in 5 minutes: a few are expected (racing writers on one message lose by design); many mean duplicate deliveries or a stuck lease.`,
        metric: props.table.metric('TransactionConflict', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: props.transactionConflictsPer5Min + 1,
        datapoints: 2,
        periods: 3,
      },
    ];
    if (props.eventPublishFailures)
      specs.push({
        id: 'EventPublishFailures',
        name: `${p}-projector-event-publish-failures`,
        description:
          'Operator events (delivery.failed/lost/redriven) were not published after retries (the audit trail is unaffected). Check the projector logs ("operator events not published") for the EventBridge error; the events of a re-fed stream go out again with the same ids.',
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'EventPublishFailures',
          dimensionsMap: { service: PROJECTOR_SERVICE_NAME },
          period: FIVE_MINUTES,
          statistic: 'Sum',
        }),
        threshold: 1,
        datapoints: 1,
        periods: 1,
      });
    const topic = props.alarmTopicArn === null ? null : sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    this.alarms = specs.map((s) => {
      const alarm = new cloudwatch.Alarm(this, s.id, {
        alarmName: s.name,
        alarmDescription: s.description,
        metric: s.metric,
        threshold: s.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: s.periods,
        datapointsToAlarm: s.datapoints,
        // No data means no traffic (or an empty queue), not trouble.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (topic !== null) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
      return alarm;
    });
  }
}
