import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as E from 'fp-ts/lib/Either.js';
import type { RedriveQueue } from './redrive.js';

// Re-drives on AWS: one SendMessage per message to the delivery queue (the worker's
// event source). The body is the public SQS contract (DeliveryRequest JSON).

export const sqsQueue = (sqs: SQSClient, queueUrl: string): RedriveQueue => ({
  send: async (request) => {
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
      return E.right(undefined);
    } catch (e) {
      return E.left(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  },
  flush: async () => E.right(`enqueued on ${queueUrl}`),
});
