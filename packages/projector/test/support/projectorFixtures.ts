// Test data: consistent attempt/redrive items (as the worker and store would write them) and
// stream records in the Lambda event shape.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttemptItem, RedriveItem } from '@delivery-history/core';
import type { OutcomeCategory } from '@delivery-history/core/testing';
import { tableKeys } from '@delivery-history/store';
import type { DynamoDBRecord } from 'aws-lambda';
import { redrive as kitRedrive } from '@delivery-history/testkit/itemBuilders';

export type Outcome = 'success' | 'retry' | 'final';

const iso = (ms: number): string => new Date(ms).toISOString();

const CATEGORY: Record<Outcome, OutcomeCategory> = { success: 'success', retry: 'server_error', final: 'client_error' };
const CODE: Record<Outcome, number> = { success: 200, retry: 503, final: 404 };

/** One attempt; `t0` makes times deterministic. */
export const attempt = (
  messageId: string,
  n: number,
  outcome: Outcome,
  o: { readonly t0?: number; readonly superseded?: boolean } = {},
): AttemptItem => {
  const started = (o.t0 ?? Date.UTC(2025, 0, 1)) + n * 60_000;
  const success = outcome === 'success';
  const retry = outcome === 'retry';
  return {
    type: 'ATTEMPT',
    messageId,
    attemptNumber: n,
    attemptId: `${messageId}-a${n}`,
    leaseId: `${messageId}-l${n}`,
    startedAt: iso(started),
    completedAt: iso(started + 120),
    request: {
      method: 'POST',
      url: 'https://hooks.example.com/in',
      headers: {},
      bodyBytes: 2,
      bodySha256: 'x'.repeat(64),
    },
    response: { headers: {} },
    deliveryResult: {
      success,
      retryEligible: retry,
      category: CATEGORY[outcome],
      statusCode: CODE[outcome],
      statusText: success ? 'OK' : 'Nope',
      responseTime: 120,
      errorDetails: success
        ? null
        : { code: `HTTP_${CODE[outcome]}`, message: 'failed', category: CATEGORY[outcome], responseSnippet: null },
      timestamp: iso(started + 120),
      correlationId: messageId,
    },
    status: success ? 'SUCCESS' : 'FAILED',
    nextAttemptAt: retry ? iso(started + 30_000) : null,
    superseded: o.superseded ?? false,
    truncated: {},
  };
};

/** `count` attempts: retries, then a success or a final failure. */
export const attempts = (
  messageId: string,
  count: number,
  last: 'success' | 'final' = 'success',
  t0?: number,
): AttemptItem[] =>
  Array.from({ length: count }, (_, i) =>
    attempt(messageId, i + 1, i + 1 === count ? last : 'retry', t0 === undefined ? {} : { t0 }),
  );

/** testkit's REDRIVE item, at second k of 2025-01-02 (after every attempt these tests build). */
export const redrive = (messageId: string, k: number, afterAttempt: number, maxAttempts: number): RedriveItem => ({
  ...kitRedrive(k, afterAttempt, maxAttempts, messageId, `redrive ${k}`),
  at: iso(Date.UTC(2025, 0, 2) + k * 1000),
});

export const attemptKeyed = (a: AttemptItem): Record<string, unknown> => ({
  pk: tableKeys.messagePk(a.messageId),
  sk: tableKeys.attemptSk(a.attemptNumber),
  ...a,
});
export const redriveKeyed = (r: RedriveItem): Record<string, unknown> => ({
  pk: tableKeys.messagePk(r.messageId),
  sk: tableKeys.redriveSk(r.redriveNumber),
  ...r,
});

let seq = 1000n;

/** A fresh, increasing sequence number (21+ digits like DynamoDB's). */
export const nextSeq = (): string => {
  seq += 1n;
  return (10n ** 20n + seq).toString();
};

/** A stream INSERT record in the Lambda event shape for a keyed item. */
export const insertRecord = (item: Record<string, unknown>, sequenceNumber: string = nextSeq()): DynamoDBRecord =>
  ({
    eventID: sequenceNumber,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/t/stream/x',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      NewImage: marshall(item, { removeUndefinedValues: true }),
      SequenceNumber: sequenceNumber,
      StreamViewType: 'NEW_IMAGE',
    },
  }) as unknown as DynamoDBRecord;

export const attemptRecord = (a: AttemptItem, sequenceNumber?: string): DynamoDBRecord =>
  insertRecord(attemptKeyed(a), sequenceNumber);
export const redriveRecord = (r: RedriveItem, sequenceNumber?: string): DynamoDBRecord =>
  insertRecord(redriveKeyed(r), sequenceNumber);

/** Deterministic shuffle (mulberry32). */
export const shuffle = <A>(xs: readonly A[], seed: number): A[] => {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const a = out[i] as A;
    out[i] = out[j] as A;
    out[j] = a;
  }
  return out;
};
