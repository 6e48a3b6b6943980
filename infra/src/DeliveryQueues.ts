// The delivery queue, its dead-letter queue (with the way back), and the projector's
// on-failure queue. All encrypted, all TLS-only, all keep messages for the SQS maximum.
import { size } from '@delivery-history/core';
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export type DeliveryQueuesProps = {
  /** Undefined: CloudFormation names the queues. */
  readonly namePrefix: string | undefined;
  readonly removalPolicy: RemovalPolicy;
  /** The delivery queue exists already (bring your own): only the projector's queue is created. */
  readonly existingDeliveryQueue: sqs.IQueue | null;
  readonly encryptionKey: kms.IKey | null;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
};

const RETENTION = Duration.days(14);

export class DeliveryQueues extends Construct {
  /** Delivery requests (the worker's event source). */
  readonly deliveries: sqs.IQueue;
  /** Requests SQS gave up on after `maxReceiveCount` receives; null with an existing delivery queue (its own redrive policy applies). */
  readonly deadLetters: sqs.Queue | null;
  /** Metadata of stream batches the projector could not process (its on-failure destination). */
  readonly projectorFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeliveryQueuesProps) {
    super(scope, id);
    const encryption = (): Pick<sqs.QueueProps, 'encryption' | 'encryptionMasterKey'> =>
      props.encryptionKey === null
        ? { encryption: sqs.QueueEncryption.SQS_MANAGED }
        : { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey };
    const name = (suffix: string): { queueName?: string } =>
      props.namePrefix === undefined ? {} : { queueName: `${props.namePrefix}-${suffix}` };
    const common = {
      retentionPeriod: RETENTION,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      ...encryption(),
    };

    if (props.existingDeliveryQueue !== null) {
      this.deliveries = props.existingDeliveryQueue;
      this.deadLetters = null;
    } else {
      const dlq = new sqs.Queue(this, 'DeadLetters', {
        ...name('deliveries-dlq'),
        ...common,
        // Only the delivery queue may dead-letter here. By name when there is one (a reference
        // to the queue itself would be a cycle: the queue names this DLQ); else any queue of
        // this account (CloudFormation picks the name).
        redriveAllowPolicy:
          props.namePrefix === undefined
            ? { redrivePermission: sqs.RedrivePermission.ALLOW_ALL }
            : {
                redrivePermission: sqs.RedrivePermission.BY_QUEUE,
                sourceQueues: [
                  sqs.Queue.fromQueueArn(
                    this,
                    'DeliveriesRef',
                    Stack.of(this).formatArn({ service: 'sqs', resource: `${props.namePrefix}-deliveries` }),
                  ),
                ],
              },
      });
      this.deadLetters = dlq;
      this.deliveries = new sqs.Queue(this, 'Deliveries', {
        ...name('deliveries'),
        ...common,
        visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
        // Retries live in this queue (a retry is the same message made visible later), so a
        // message must outlive its whole backoff schedule (RETENTION, the SQS maximum).
        // The largest message SQS takes (1 MiB, the default): the worker's hand-off of an
        // observed outcome carries the request and the outcome (see the README, "hand-off").
        // SQS's largest (1 MiB): core's constant, which also bounds the worker's hand-off
        maxMessageSizeBytes: size.SQS_MESSAGE_BYTES,
        deadLetterQueue: { queue: dlq, maxReceiveCount: props.maxReceiveCount },
      });
    }

    this.projectorFailures = new sqs.Queue(this, 'ProjectorFailures', { ...name('projector-failures'), ...common });
  }
}
