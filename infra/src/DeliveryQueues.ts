// The delivery queue, its dead-letter queue (with the way back), and the projector's
// on-failure queue. All encrypted, all TLS-only, all keep messages for the SQS maximum.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export type DeliveryQueuesProps = {
  readonly namePrefix: string;
  readonly encryptionKey: kms.IKey | null;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
};

const RETENTION = Duration.days(14);

export class DeliveryQueues extends Construct {
  /** Delivery requests (the worker's event source). */
  readonly deliveries: sqs.Queue;
  /** Requests SQS gave up on after `maxReceiveCount` receives. */
  readonly deadLetters: sqs.Queue;
  /** Metadata of stream batches the projector could not process (its on-failure destination). */
  readonly projectorFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeliveryQueuesProps) {
    super(scope, id);
    const encryption = (): Pick<sqs.QueueProps, 'encryption' | 'encryptionMasterKey'> =>
      props.encryptionKey === null
        ? { encryption: sqs.QueueEncryption.SQS_MANAGED }
        : { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey };
    const deliveriesName = `${props.namePrefix}-deliveries`;

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: `${props.namePrefix}-deliveries-dlq`,
      retentionPeriod: RETENTION,
      enforceSSL: true,
      ...encryption(),
      // Only the delivery queue may dead-letter here. Its ARN is built from its name: a
      // reference to the queue itself would be a cycle (the queue names this DLQ).
      redriveAllowPolicy: {
        redrivePermission: sqs.RedrivePermission.BY_QUEUE,
        sourceQueues: [
          sqs.Queue.fromQueueArn(
            this,
            'DeliveriesRef',
            Stack.of(this).formatArn({ service: 'sqs', resource: deliveriesName }),
          ),
        ],
      },
    });

    this.deliveries = new sqs.Queue(this, 'Deliveries', {
      queueName: deliveriesName,
      visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
      // Retries live in this queue (a retry is the same message made visible later), so a
      // message must outlive its whole backoff schedule.
      retentionPeriod: RETENTION,
      enforceSSL: true,
      ...encryption(),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount },
    });

    this.projectorFailures = new sqs.Queue(this, 'ProjectorFailures', {
      queueName: `${props.namePrefix}-projector-failures`,
      retentionPeriod: RETENTION,
      enforceSSL: true,
      ...encryption(),
    });
  }
}
