// A message's life through the real store, one step at a time, on a fake clock: create it,
// then claim and append one observed response. For tests that need the store's own items
// (holds, requeues, trails) without a worker or a receiver.
import { DeliveryRequest, type OutcomeInput } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { FakeClock } from './fakeClock.js';
import { must } from './must.js';

/** A receiver's answer with this status, as the worker would observe it. */
export const responseOf = (statusCode: number, responseTimeMs = 5): OutcomeInput => ({
  kind: 'response',
  statusCode,
  statusText: String(statusCode),
  headers: {},
  responseTimeMs,
  bodySnippet: '',
  bodyBytes: 0,
});

type Claimed = Parameters<Store['appendAttempt']>[0]['claimed'];

/** Appends what the worker observed to a claimed message, started and completed at `now`. */
export const appendObserved = (store: Store, claimed: Claimed, observation: OutcomeInput, now = new Date()) =>
  store.appendAttempt({
    claimed,
    startedAt: now,
    completedAt: now,
    responseHeaders: observation.kind === 'response' ? {} : null,
    observation,
  });

/**
 * Creates `request`'s message, then claims it and appends one answer per status code, in turn
 * (retries due at once need a store whose policy says so). Any refusal fails the test.
 */
export const createAndAnswer = async (
  store: Store,
  request: DeliveryRequest,
  statusCodes: ReadonlyArray<number>,
): Promise<void> => {
  const id = request.messageId;
  await must(store.createMessage(request), `create ${id}`);
  for (const code of statusCodes) {
    const claimed = await must(store.claim(id), `claim ${id}`);
    await must(appendObserved(store, claimed, responseOf(code)), `append ${id}`);
  }
};

/** Creates a message to `https://hooks.example.com/in` with an empty JSON body. */
export const createPlain = async (store: Store, messageId: string, maxAttempts = 3): Promise<void> => {
  const req = DeliveryRequest.decode({ messageId, url: 'https://hooks.example.com/in', body: '{}', maxAttempts });
  if (E.isLeft(req)) throw new Error('bad fixture');
  await must(store.createMessage(req.right));
};

/** Two seconds later: claims the message and appends one attempt that got `statusCode`. */
export const attemptAnswered = async (
  { store, clock }: { store: Store; clock: FakeClock },
  messageId: string,
  statusCode: number,
  responseTimeMs = 5,
): Promise<void> => {
  clock.advance(2000);
  const claimed = await must(store.claim(messageId));
  await must(appendObserved(store, claimed, responseOf(statusCode, responseTimeMs), clock.now()));
};
