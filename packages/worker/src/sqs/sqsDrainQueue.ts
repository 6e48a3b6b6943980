import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as E from 'fp-ts/lib/Either.js';
import type { DrainQueue } from '@delivery-history/store';

// The drain's queue on AWS: one SendMessage per released message to the delivery queue (the
// worker's event source), its body the public SQS contract (DeliveryRequest JSON).

export const sqsDrainQueue = (client: SQSClient, queueUrl: string, timeoutMs: number): DrainQueue => ({
  send: async (request) => {
    try {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return E.right(undefined);
    } catch (e) {
      return E.left(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  },
});
