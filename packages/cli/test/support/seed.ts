// Seeds messages through the real store API (create, claim, appendAttempt, appendRedrive)
// with a movable clock, so times (and the time-window queries) are under the test's control.
import { must } from '@delivery-history/testkit/must';
import { type DeliveryRequest, makeRetryPolicy, type OutcomeInput } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FakeClock, fakeClock } from '@delivery-history/testkit/fakeClock';

export type Observed = 'ok' | '503' | '404' | '429' | 'timeout' | 'refused';

const POLICY = makeRetryPolicy({ maxAttempts: 8, baseMs: 1000, maxMs: 10_000 });

const observation = (o: Observed): OutcomeInput => {
  switch (o) {
    case 'ok':
      return {
        kind: 'response',
        statusCode: 200,
        statusText: 'OK',
        headers: {},
        responseTimeMs: 42,
        bodySnippet: 'ok',
        bodyBytes: 2,
      };
    case '503':
      return {
        kind: 'response',
        statusCode: 503,
        statusText: 'Service Unavailable',
        headers: {},
        responseTimeMs: 120,
        bodySnippet: 'busy',
        bodyBytes: 4,
      };
    case '404':
      return {
        kind: 'response',
        statusCode: 404,
        statusText: 'Not Found',
        headers: {},
        responseTimeMs: 15,
        bodySnippet: 'nope',
        bodyBytes: 4,
      };
    case '429':
      return {
        kind: 'response',
        statusCode: 429,
        statusText: 'Too Many Requests',
        headers: { 'retry-after': '1' },
        responseTimeMs: 9,
        bodySnippet: '',
        bodyBytes: 0,
      };
    case 'timeout':
      return { kind: 'error', code: 'RESPONSE_TIMEOUT', message: 'no response within 1000 ms', responseTimeMs: 1000 };
    case 'refused':
      return { kind: 'error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', responseTimeMs: 1 };
  }
};

export type Seeder = {
  readonly store: Store;
  readonly clock: FakeClock;
  /** Creates the message and records one attempt per observation (advancing the clock past each retry). */
  deliver(request: Partial<DeliveryRequest> & { messageId: string }, outcomes: ReadonlyArray<Observed>): Promise<void>;
  /** Records more attempts of a message `deliver` made, from the clock's time on (set it first to leave a gap). */
  again(messageId: string, outcomes: ReadonlyArray<Observed>): Promise<void>;
};

export const request = (r: Partial<DeliveryRequest> & { messageId: string }): DeliveryRequest => ({
  url: 'https://hooks.example.com/in?token=s3cr3t',
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer test-secret-token' },
  body: JSON.stringify({ id: r.messageId }),
  correlationId: r.messageId,
  maxAttempts: 3,
  ...r,
});

export const seeder = (doc: DynamoDBDocumentClient, tableName: string, start: Date): Seeder => {
  const clock = fakeClock(start);
  const store = createStore({ doc, tableName, clock: clock.now, retryPolicy: POLICY, random: () => 0.5 });
  const attempts = async (messageId: string, outcomes: ReadonlyArray<Observed>): Promise<void> => {
    for (const o of outcomes) {
      const claimed = await must(store.claim(messageId), 'claim');
      const startedAt = clock.now();
      clock.advance(observation(o).responseTimeMs);
      const completedAt = clock.now();
      const appended = await must(
        store.appendAttempt({
          claimed,
          startedAt,
          completedAt,
          responseHeaders: o === 'timeout' || o === 'refused' ? null : { 'content-type': 'text/plain' },
          observation: observation(o),
        }),
        'appendAttempt',
      );
      if (appended.nextAttemptAt !== null) clock.set(new Date(Date.parse(appended.nextAttemptAt) + 1));
      else clock.advance(1000);
    }
  };
  return {
    store,
    clock,
    async deliver(partial, outcomes) {
      const req = request(partial);
      await must(store.createMessage(req), 'createMessage');
      await attempts(req.messageId, outcomes);
    },
    again: attempts,
  };
};
