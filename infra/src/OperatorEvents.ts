// Operator events: the bus the projector publishes `delivery.failed` / `delivery.lost` /
// `delivery.redriven` to, and an example rule routing `delivery.failed` to an SNS topic.
import { OPERATOR_EVENT_SOURCE } from '@delivery-history/core';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** `own`: a bus of this stack (default); `default`: the account's default bus. */
export type EventBusChoice = 'own' | 'default';

export type OperatorEventsProps = {
  readonly namePrefix: string;
  readonly eventBus: EventBusChoice;
};

export class OperatorEvents extends Construct {
  /** What the projector's `DELIVERY_EVENT_BUS_NAME` is set to. */
  readonly busName: string;
  /** The scope of the projector's `events:PutEvents`. */
  readonly busArn: string;
  readonly failedTopic: sns.Topic;
  readonly failedRule: events.Rule;

  constructor(scope: Construct, id: string, props: OperatorEventsProps) {
    super(scope, id);
    const bus =
      props.eventBus === 'default'
        ? events.EventBus.fromEventBusName(this, 'Bus', 'default')
        : new events.EventBus(this, 'Bus', {
            eventBusName: `${props.namePrefix}-events`,
            description: 'delivery-history operator events (delivery.failed, delivery.lost, delivery.redriven)',
          });
    this.busName = bus.eventBusName;
    this.busArn = bus.eventBusArn;
    // An example consumer: subscribe a team's email/chat/pager to this topic.
    this.failedTopic = new sns.Topic(this, 'FailedTopic', {
      topicName: `${props.namePrefix}-delivery-failed`,
      displayName: 'delivery-history: deliveries that failed for good',
      enforceSSL: true,
    });
    this.failedRule = new events.Rule(this, 'FailedToTopic', {
      ruleName: `${props.namePrefix}-delivery-failed`,
      description: 'Example: final delivery failures to an SNS topic (consumers dedupe by detail.eventId)',
      eventBus: bus,
      eventPattern: { source: [OPERATOR_EVENT_SOURCE], detailType: ['delivery.failed'] },
      targets: [new targets.SnsTopic(this.failedTopic)],
    });
  }
}
