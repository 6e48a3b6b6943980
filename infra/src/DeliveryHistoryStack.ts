// The example app's stack: one DeliveryHistory, settings from CDK context (see stackConfig.ts)
// unless given, and the outputs an operator needs. A team's own app does the same in its stack.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as E from 'fp-ts/lib/Either.js';
import { DeliveryHistory, type DeliveryHistoryProps } from './DeliveryHistory.js';
import { readStackConfig } from './stackConfig.js';

type Settings = NonNullable<DeliveryHistoryProps['settings']>;

export type DeliveryHistoryStackProps = StackProps &
  Omit<DeliveryHistoryProps, 'settings'> & {
    /** Settings; read from the context of `scope` when absent. */
    readonly settings?: Settings;
  };

export class DeliveryHistoryStack extends Stack {
  readonly deliveryHistory: DeliveryHistory;

  constructor(scope: Construct, id: string, props: DeliveryHistoryStackProps = {}) {
    super(scope, id, props);
    const settings = props.settings ?? settingsFromContext(scope);
    const dh = new DeliveryHistory(this, 'DeliveryHistory', { ...props, settings });
    this.deliveryHistory = dh;

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('TableName', dh.table.tableName, 'DELIVERY_TABLE_NAME for the CLI and replay tooling');
    out('DeliveryQueueUrl', dh.deliveryQueue.queueUrl, 'Send delivery requests (JSON) here');
    if (dh.queues.deadLetters !== null)
      out(
        'DeliveryDlqArn',
        dh.queues.deadLetters.queueArn,
        'Redrive: aws sqs start-message-move-task --source-arn <this>',
      );
    out('ProjectorFailuresQueueUrl', dh.queues.projectorFailures.queueUrl, 'Stream batches the projector gave up on');
    out('WorkerFunctionName', dh.worker.handler.fn.functionName, 'Worker Lambda');
    if (dh.events !== null) {
      out('EventBusName', dh.events.busName, 'Operator events (delivery.failed/lost/redriven) go to this bus');
      out('DeliveryFailedTopicArn', dh.events.failedTopic.topicArn, 'Example rule target: final delivery failures');
    }
    out('ProjectorFunctionName', dh.projector.handler.fn.functionName, 'Projector Lambda');
    out('DashboardName', dh.alarms.dashboard.dashboardName, 'CloudWatch dashboard of this deployment');
  }
}

/** Invalid context is a deployment mistake; the message names the key and the value. */
const settingsFromContext = (scope: Construct): Settings => {
  const r = readStackConfig(scope);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
