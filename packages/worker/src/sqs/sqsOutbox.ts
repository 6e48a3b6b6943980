import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxPort } from './outboxPort.js';
import { queueUrlOf } from './sqsVisibility.js';

// SendMessage through @aws-sdk/client-sqs, to the record's own queue.

export type SqsOutboxOptions = {
  readonly client: SQSClient;
  readonly queueUrl: string | null;
  readonly endpoint: string | null;
  readonly timeoutMs: number;
};

/** SQS's DelaySeconds limit. */
const MAX_DELAY_SECONDS = 900;

export const sqsOutbox = (options: SqsOutboxOptions): OutboxPort => ({
  sendMessage: async (record, body, delayMs) => {
    const queueUrl = queueUrlOf(record.eventSourceARN, options);
    if (queueUrl === null)
      throw new Error(`cannot derive a queue URL from ${record.eventSourceARN}; set DELIVERY_QUEUE_URL`);
    await options.client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))),
      }),
      { abortSignal: AbortSignal.timeout(options.timeoutMs) },
    );
  },
});
