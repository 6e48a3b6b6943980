// Operator events: the bus the projector publishes `delivery.failed` / `delivery.lost` /
// `delivery.redriven` to, and an example rule routing `delivery.failed` to an SNS topic.
import { OPERATOR_EVENT_SOURCE } from '@delivery-history/core';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** `own`: a bus of this construct (default); `default`: the account's default bus; or an existing bus. */
export type EventBusChoice = 'own' | 'default' | events.IEventBus;

export type OperatorEventsProps = {
  /** Undefined: CloudFormation names the bus, topic and rule. */
  readonly namePrefix: string | undefined;
  readonly eventBus: EventBusChoice;
  readonly removalPolicy: RemovalPolicy;
};

export class OperatorEvents extends Construct {
  /** What the projector's `DELIVERY_EVENT_BUS_NAME` is set to. */
  readonly busName: string;
  /** The scope of the projector's `events:PutEvents`. */
  readonly busArn: string;
  readonly failedTopic: sns.Topic;
  readonly failedRule: events.Rule;
  /** Events the rule's target could not take after EventBridge's retries. */
  readonly targetDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: OperatorEventsProps) {
    super(scope, id);
    const named = (suffix: string): string | undefined =>
      props.namePrefix === undefined ? undefined : `${props.namePrefix}-${suffix}`;
    const bus =
      props.eventBus === 'default'
        ? events.EventBus.fromEventBusName(this, 'Bus', 'default')
        : props.eventBus === 'own'
          ? new events.EventBus(this, 'Bus', {
              ...(props.namePrefix === undefined ? {} : { eventBusName: `${props.namePrefix}-events` }),
              description: 'delivery-history operator events (delivery.failed, delivery.lost, delivery.redriven)',
            })
          : props.eventBus;
    this.busName = bus.eventBusName;
    this.busArn = bus.eventBusArn;
    // An example consumer: subscribe a team's email/chat/pager to this topic.
    const topicName = named('delivery-failed');
    this.failedTopic = new sns.Topic(this, 'FailedTopic', {
      ...(topicName === undefined ? {} : { topicName }),
      displayName: 'delivery-history: deliveries that failed for good',
      enforceSSL: true,
    });
    // SQS-managed encryption: EventBridge can send to it without a key policy of ours.
    const dlqName = named('events-target-dlq');
    this.targetDeadLetters = new sqs.Queue(this, 'TargetDeadLetters', {
      ...(dlqName === undefined ? {} : { queueName: dlqName }),
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      removalPolicy: props.removalPolicy,
    });
    const ruleName = named('delivery-failed');
    this.failedRule = new events.Rule(this, 'FailedToTopic', {
      ...(ruleName === undefined ? {} : { ruleName }),
      description: 'Example: final delivery failures to an SNS topic (consumers dedupe by detail.eventId)',
      eventBus: bus,
      eventPattern: { source: [OPERATOR_EVENT_SOURCE], detailType: ['delivery.failed'] },
      targets: [
        new targets.SnsTopic(this.failedTopic, {
          // A publish EventBridge cannot make within an hour (8 tries) lands here and alarms.
          deadLetterQueue: this.targetDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
  }
}
