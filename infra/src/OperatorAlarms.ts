// The alarms an operator of this system needs: each one names a condition that loses or
// delays deliveries or audit entries, and says what to do in its description.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { METRICS_NAMESPACE, PROJECTOR_SERVICE_NAME } from '@delivery-history/core';
import { Construct } from 'constructs';
import { DRAIN_SERVICE_NAME } from './DrainFunction.js';

export type OperatorAlarmsProps = {
  /** Undefined: CloudFormation names the alarms and the dashboard. */
  readonly namePrefix: string | undefined;
  readonly table: dynamodb.ITable;
  readonly worker: lambda.IFunction;
  readonly projector: lambda.IFunction;
  /** The drain of held messages (issue 27). */
  readonly drain: lambda.IFunction;
  readonly deliveries: sqs.IQueue;
  /** Null with an existing delivery queue (its owner alarms on its own DLQ). */
  readonly deadLetters: sqs.IQueue | null;
  readonly projectorFailures: sqs.IQueue;
  readonly iteratorAgeSeconds: number;
  readonly transactionConflictsPer5Min: number;
  readonly queueOldestMessageSeconds: number;
  readonly queueBacklogMessages: number;
  readonly alarmTopic: sns.ITopic | null;
  /** Operator events are on: the projector's `EventPublishFailures`, the rule target's failures. */
  readonly events: { readonly ruleName: string; readonly deadLetters: sqs.IQueue } | null;
};

/** The worker's metric for observed outcomes it could neither record nor hand back to SQS (packages/worker, `MetricName`). */
export const WORKER_OUTCOMES_NOT_SENT = 'OutcomesNotSent';
const WORKER_SERVICE = 'delivery-worker';

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

const STANDARD = cloudwatch.TreatMissingData.NOT_BREACHING;

/** A function's own metric (Powertools EMF: namespace `DeliveryHistory`, dimension `service`), summed per 5 minutes. */
const serviceMetric = (metricName: string, service: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    period: FIVE_MINUTES,
    statistic: 'Sum',
  });

/** Any occurrence (threshold 1), `datapoints` of `periods`: the alarm rules most specs use. */
const ANY_AT_ONCE = { threshold: 1, datapoints: 1, periods: 1 } as const;
/** Sustained: 2 of 3 periods. */
const ANY_2_OF_3 = { threshold: 1, datapoints: 2, periods: 3 } as const;
/** Whole invocations failing or throttled: 3 of 5 minutes, so one bad batch is not a page. */
const ANY_3_OF_5 = { threshold: 1, datapoints: 3, periods: 5 } as const;

/** A function's invocation metric (errors, throttles), summed per minute. */
const PER_MINUTE = { period: ONE_MINUTE, statistic: 'Sum' } as const;

type AlarmSpec = {
  /** Default: no data is no traffic (or an empty queue), not trouble. */
  readonly missingData?: cloudwatch.TreatMissingData;
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
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    const p = props.namePrefix ?? 'delivery-history';
    const specs: AlarmSpec[] = [];
    if (props.deadLetters !== null)
      specs.push({
        id: 'DeadLetters',
        name: `${p}-deliveries-dlq-not-empty`,
        description:
          'Delivery requests reached the DLQ (receive count exhausted without a final outcome). Find the cause in the worker logs by messageId, fix it, then move them back: aws sqs start-message-move-task --source-arn <DLQ ARN>.',
        metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: 'Maximum',
        }),
        ...ANY_AT_ONCE,
      });
    specs.push(
      {
        id: 'QueueOldestMessage',
        name: `${p}-deliveries-oldest-message`,
        description: `A delivery request has waited over ${props.queueOldestMessageSeconds} s without being received three times: the worker is not receiving (event source disabled, a key policy denying decrypt, concurrency at zero). Nothing else errors in that case. Check the worker's event source mapping state and its last processing result.`,
        metric: props.deliveries.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: props.queueOldestMessageSeconds,
        datapoints: 2,
        periods: 2,
      },
      {
        id: 'QueueBacklog',
        name: `${p}-deliveries-backlog`,
        description: `Over ${props.queueBacklogMessages} delivery requests have been waiting to be received for 15 minutes: the worker is stalled or cannot keep up (its maximum concurrency, account concurrency, a slow receiver holding batches).`,
        metric: props.deliveries.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Minimum',
        }),
        threshold: props.queueBacklogMessages,
        datapoints: 3,
        periods: 3,
      },
      {
        id: 'OutcomesNotSent',
        name: `${p}-worker-outcomes-not-sent`,
        description:
          'The worker observed delivery outcomes it could neither write to the table nor hand back to its queue: those attempts will be recorded as lost by the next takeover. Check DynamoDB and SQS errors in the worker logs.',
        metric: serviceMetric(WORKER_OUTCOMES_NOT_SENT, WORKER_SERVICE),
        ...ANY_AT_ONCE,
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
        ...ANY_AT_ONCE,
      },
      {
        id: 'ProjectorIteratorAge',
        name: `${p}-projector-iterator-age`,
        description: `The projector is over ${props.iteratorAgeSeconds} s behind the table stream (stream records expire after 24 h), or the table takes writes and the projector reports no iterator age at all (not invoked: mapping disabled, stream unreadable).`,
        metric: iteratorAgeOrSilence(props.table, props.projector, props.iteratorAgeSeconds * 1000),
        threshold: props.iteratorAgeSeconds * 1000,
        datapoints: 5,
        periods: 5,
      },
      {
        id: 'WorkerErrors',
        name: `${p}-worker-errors`,
        description:
          'Worker invocations fail as a whole (not single records): whole batches return to the queue and burn receive counts.',
        metric: props.worker.metricErrors(PER_MINUTE),
        ...ANY_3_OF_5,
      },
      {
        id: 'WorkerThrottles',
        name: `${p}-worker-throttles`,
        description:
          'Worker invocations are throttled (account or function concurrency): deliveries are delayed and receive counts burn.',
        metric: props.worker.metricThrottles(PER_MINUTE),
        ...ANY_3_OF_5,
      },
      {
        id: 'ProjectorErrors',
        name: `${p}-projector-errors`,
        description:
          'Projector invocations fail: the stream shard is retried, then bisected, then sent to the on-failure queue.',
        metric: props.projector.metricErrors(PER_MINUTE),
        ...ANY_3_OF_5,
      },
      {
        id: 'DrainErrors',
        name: `${p}-drain-errors`,
        description:
          'Drain sweeps fail as a whole: held messages of recovered endpoints stay held and old holds do not expire. Check the drain logs (its configuration, the table, the queue); nothing is lost, the next sweep that works catches up.',
        metric: props.drain.metricErrors(PER_MINUTE),
        ...ANY_3_OF_5,
      },
      {
        id: 'DrainFailures',
        name: `${p}-drain-failures`,
        description:
          'Held messages the drain could not re-enqueue, release or expire (they stay held and listed; each sweep tries them again). Find them in the drain logs ("held messages not drained or expired") by messageId.',
        metric: serviceMetric('DrainFailures', DRAIN_SERVICE_NAME),
        ...ANY_2_OF_3,
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
        ...ANY_2_OF_3,
      },
      {
        id: 'TableSystemErrors',
        name: `${p}-table-system-errors`,
        description: 'DynamoDB returns 5xx errors: deliveries are retried through SQS; check the AWS Health Dashboard.',
        metric: props.table.metricSystemErrorsForOperations({
          operations: [...TABLE_OPERATIONS, dynamodb.Operation.GET_RECORDS],
          period: FIVE_MINUTES,
        }),
        ...ANY_2_OF_3,
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
    );
    if (props.events !== null)
      specs.push(
        {
          id: 'EventTargetFailures',
          name: `${p}-events-target-failures`,
          description:
            'EventBridge could not deliver operator events to the rule target after its retries; the events are in the rule target dead-letter queue (its messages carry the error).',
          metric: new cloudwatch.Metric({
            namespace: 'AWS/Events',
            metricName: 'FailedInvocations',
            dimensionsMap: { RuleName: props.events.ruleName },
            period: FIVE_MINUTES,
            statistic: 'Sum',
          }),
          ...ANY_AT_ONCE,
        },
        {
          id: 'EventTargetDeadLetters',
          name: `${p}-events-target-dlq-not-empty`,
          description:
            'Operator events EventBridge gave up on. Read the messages (error attributes), fix the target, send the events again.',
          metric: props.events.deadLetters.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
          }),
          ...ANY_AT_ONCE,
        },
        {
          id: 'EventPublishFailures',
          name: `${p}-projector-event-publish-failures`,
          description:
            'Operator events (delivery.failed/lost/redriven) were not published after retries (the audit trail is unaffected). Check the projector logs ("operator events not published") for the EventBridge error; the events of a re-fed stream go out again with the same ids.',
          metric: serviceMetric('EventPublishFailures', PROJECTOR_SERVICE_NAME),
          ...ANY_AT_ONCE,
        },
      );
    const topic = props.alarmTopic;
    this.alarms = specs.map((s) => {
      const alarm = new cloudwatch.Alarm(this, s.id, {
        ...(props.namePrefix === undefined ? {} : { alarmName: s.name }),
        alarmDescription: s.description,
        metric: s.metric,
        threshold: s.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: s.periods,
        datapointsToAlarm: s.datapoints,
        treatMissingData: s.missingData ?? STANDARD,
      });
      if (topic !== null) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
      return alarm;
    });
    this.dashboard = operatorDashboard(this, props, this.alarms);
  }
}

/**
 * The projector's iterator age, or, in a minute when the table took writes and the projector
 * reported no iterator age at all (it was not invoked), the threshold itself: a projector that
 * never runs breaches instead of going quiet. A quiet table and a quiet projector yield no data,
 * which is not breaching. Writes include STATE-only ones that invoke nothing, hence 5 of 5 minutes.
 */
const iteratorAgeOrSilence = (
  table: dynamodb.ITable,
  projector: lambda.IFunction,
  thresholdMs: number,
): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: `IF(FILL(writes, 0) > 0, FILL(age, ${thresholdMs}), FILL(age, 0))`,
    usingMetrics: {
      age: projector.metric('IteratorAge', { period: ONE_MINUTE, statistic: 'Maximum' }),
      writes: table.metric('ConsumedWriteCapacityUnits', { period: ONE_MINUTE, statistic: 'Sum' }),
    },
    period: ONE_MINUTE,
    label: 'projector iterator age (ms), or the threshold when writes find no projector',
  });

const operatorDashboard = (
  scope: Construct,
  props: OperatorAlarmsProps,
  alarms: readonly cloudwatch.Alarm[],
): cloudwatch.Dashboard => {
  const graph = (title: string, left: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });
  const worker = serviceMetric('Deliveries', WORKER_SERVICE);
  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    ...(props.namePrefix === undefined ? {} : { dashboardName: props.namePrefix }),
    widgets: [
      [new cloudwatch.AlarmStatusWidget({ title: 'alarms', alarms: [...alarms], width: 24, height: 4 })],
      [
        graph('delivery queue', [
          props.deliveries.metricApproximateNumberOfMessagesVisible(),
          props.deliveries.metricApproximateNumberOfMessagesNotVisible(),
          props.deliveries.metricApproximateAgeOfOldestMessage(),
        ]),
        graph('worker', [
          props.worker.metricInvocations(),
          props.worker.metricErrors(),
          props.worker.metricThrottles(),
          worker,
        ]),
        graph('projector', [
          props.projector.metricInvocations(),
          props.projector.metricErrors(),
          props.projector.metric('IteratorAge', { statistic: 'Maximum' }),
        ]),
      ],
      [
        graph('table', [
          props.table.metric('ConsumedWriteCapacityUnits', { statistic: 'Sum' }),
          props.table.metric('ConsumedReadCapacityUnits', { statistic: 'Sum' }),
          props.table.metric('TransactionConflict', { statistic: 'Sum' }),
        ]),
        graph('worker duration', [props.worker.metricDuration({ statistic: 'p99' })]),
        graph('projector duration', [props.projector.metricDuration({ statistic: 'p99' })]),
      ],
      [
        graph('drain of held messages', [
          props.drain.metricErrors(),
          serviceMetric('HeldReleased', DRAIN_SERVICE_NAME),
          serviceMetric('HeldExpired', DRAIN_SERVICE_NAME),
          serviceMetric('DrainFailures', DRAIN_SERVICE_NAME),
        ]),
      ],
    ],
  });
};
