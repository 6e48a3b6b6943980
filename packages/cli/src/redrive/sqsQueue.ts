import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as E from 'fp-ts/lib/Either.js';
import type { RedriveQueue } from './redrive.js';

// Re-drives on AWS: one SendMessage per message to the delivery queue (the worker's
// event source). The body is the public SQS contract (DeliveryRequest JSON). The worker
// delivers them after this command ends: the report says where they went and how to follow.

/** Up to this many ids, `dh tail` is given them; beyond, it follows everything. */
const FOLLOW_IDS = 3;

/**
 * Follow-ups that can be pasted as printed and show the current state first (a delivery may
 * be done before a `dh tail` starts, and tail shows only what comes after it): one message's
 * history, or the re-driven messages that failed again since the run started; then `dh tail
 * --since <the run's start>`: the attempts made so far, then those still to come.
 */
const followText = (queueUrl: string, ids: ReadonlyArray<string>, startedAt: Date): string => {
  // --since: the attempts the worker made before tail starts come first (tail's backfill)
  const since = `dh tail --since ${startedAt.toISOString()}`;
  const tail = ids.length <= FOLLOW_IDS ? `${since} ${ids.map((id) => `--message ${id}`).join(' ')}` : since;
  const now =
    ids.length === 1
      ? `Its state now: dh history ${ids[0]}`
      : `Failed again since: dh failed --since ${startedAt.toISOString()}`;
  return `enqueued ${ids.length} on ${queueUrl}; the worker delivers ${ids.length === 1 ? 'it' : 'them'}.\n${now}\nAttempts since the run, then new ones: ${tail}`;
};

export const sqsQueue = (sqs: SQSClient, queueUrl: string, startedAt: Date): RedriveQueue => {
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
    flush: async () => E.right(followText(queueUrl, sent, startedAt)),
  };
};
