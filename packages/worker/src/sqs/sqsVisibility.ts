import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_VISIBILITY_SECONDS, type RecordRef, type VisibilityPort } from './visibilityPort.js';

// ---------------------------------------------------------------------------
// ChangeMessageVisibility through @aws-sdk/client-sqs.
// ---------------------------------------------------------------------------

/**
 * The queue URL of a record: DELIVERY_QUEUE_URL when set, else derived from the
 * record's ARN (`arn:aws:sqs:<region>:<account>:<name>`), on the custom SQS endpoint
 * when one is configured.
 */
export const queueUrlOf = (
  arn: string,
  options: { queueUrl: string | null; endpoint: string | null },
): string | null => {
  if (options.queueUrl !== null) return options.queueUrl;
  const m = /^arn:aws[\w-]*:sqs:([\w-]+):(\d+|[\w-]+):(.+)$/.exec(arn);
  if (m === null) return null;
  const [, region, account, name] = m;
  const base = options.endpoint?.replace(/\/+$/, '') ?? `https://sqs.${region}.amazonaws.com`;
  return `${base}/${account}/${name}`;
};

export type SqsVisibilityOptions = {
  readonly client: SQSClient;
  readonly queueUrl: string | null;
  readonly endpoint: string | null;
  /** Bound on one call; a slow SQS must not hold the batch. */
  readonly timeoutMs: number;
};

export const sqsVisibility = (options: SqsVisibilityOptions): VisibilityPort => ({
  changeVisibility: async (record: RecordRef, delayMs: number) => {
    const queueUrl = queueUrlOf(record.eventSourceARN, options);
    if (queueUrl === null)
      throw new Error(`cannot derive a queue URL from ${record.eventSourceARN}; set DELIVERY_QUEUE_URL`);
    const seconds = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
    await options.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: seconds,
      }),
      { abortSignal: AbortSignal.timeout(options.timeoutMs) },
    );
  },
});
