import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as E from 'fp-ts/lib/Either.js';
import type { RedriveQueue } from './redrive.js';

// Re-drives on AWS: one SendMessage per message to the delivery queue (the worker's
// event source). The body is the public SQS contract (DeliveryRequest JSON). The worker
// delivers them after this command ends: the report says where they went and how to follow.

/** Ids named in the follow-up commands; more are `...`. */
const FOLLOW_IDS = 3;

const followText = (queueUrl: string, ids: ReadonlyArray<string>): string => {
  const shown = ids.slice(0, FOLLOW_IDS);
  const more = ids.length > shown.length ? ' ...' : '';
  return (
    `enqueued ${ids.length} on ${queueUrl}; the worker delivers them. ` +
    `Follow with: dh tail ${shown.map((id) => `--message ${id}`).join(' ')}${more}` +
    ` (or dh history ${shown.join(', dh history ')}${more})`
  );
};

export const sqsQueue = (sqs: SQSClient, queueUrl: string): RedriveQueue => {
  const sent: string[] = [];
  return {
    send: async (request) => {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
        sent.push(request.messageId);
        return E.right(undefined);
      } catch (e) {
        return E.left(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      }
    },
    flush: async () => E.right(followText(queueUrl, sent)),
  };
};
