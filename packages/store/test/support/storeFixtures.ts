// Shared helpers for the store's connected tests: requests, outcomes, a store on a fresh table.
import {
  type DeliveryRequest,
  determineDeliveryOutcome,
  diffProjection,
  fold,
  projectionFields,
  seedOf,
  makeRetryPolicy,
  type Outcome,
  type OutcomeInput,
} from '@delivery-history/core';
import { createStore, type Store, type StoreError } from '@delivery-history/store';
import type { StoreDeps } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';

export const request = (messageId: string, over: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  messageId,
  url: 'https://hooks.example.com/deliver?sig=s3cr3t&x=1',
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer top-secret' },
  body: JSON.stringify({ hello: messageId }),
  correlationId: `corr-${messageId}`,
  maxAttempts: 5,
  ...over,
});

export const policy = makeRetryPolicy({ baseMs: 1_000, maxMs: 60_000 });

/** core's outcome for an observation at attempt n (what the worker computes). */
export const outcomeOf =
  (input: OutcomeInput, now: () => Date = () => new Date()) =>
  (at: { attemptNumber: number; maxAttempts: number }, correlationId = 'corr'): Outcome =>
    determineDeliveryOutcome(input, {
      now: now(),
      correlationId,
      attemptNumber: at.attemptNumber,
      maxAttempts: at.maxAttempts,
      policy,
      random: () => 0,
    });

export const ok200: OutcomeInput = {
  kind: 'response',
  statusCode: 200,
  statusText: 'OK',
  headers: { 'content-type': 'text/plain' },
  responseTimeMs: 42,
  bodySnippet: 'ok',
  bodyBytes: 2,
};

export const err503: OutcomeInput = {
  kind: 'response',
  statusCode: 503,
  statusText: 'Service Unavailable',
  headers: {},
  responseTimeMs: 120,
  bodySnippet: 'upstream down',
  bodyBytes: 13,
};

export const err404: OutcomeInput = {
  kind: 'response',
  statusCode: 404,
  statusText: 'Not Found',
  headers: {},
  responseTimeMs: 15,
  bodySnippet: 'no such hook',
  bodyBytes: 12,
};

/** Runs a TaskEither, failing the test on Left. */
export const right = async <A>(te: TE.TaskEither<StoreError, A>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left._tag}: ${r.left.message}`);
  return r.right;
};

/** Runs a TaskEither, failing the test on Right. */
export const left = async <A>(te: TE.TaskEither<StoreError, A>): Promise<StoreError> => {
  const r = await te();
  if (E.isRight(r)) throw new Error(`expected Left, got Right: ${JSON.stringify(r.right).slice(0, 300)}`);
  return r.left;
};

export type Fixture = { t: TestTable; store: Store };

/** A suite whose context is a store (as `useStore` builds it) on a fresh table `label`, dropped after. */
export const storeSuite = (name: string, label: string) => {
  const s = suite<Fixture>(name);
  s.before(async (ctx) => {
    Object.assign(ctx, await useStore(label));
  });
  s.after(async ({ t }) => t.drop());
  return s;
};

export const useStore = async (
  label: string,
  deps: Partial<Omit<StoreDeps, 'doc' | 'tableName'>> = {},
): Promise<Fixture> => {
  const t = await useTestTable(label);
  // the policy and jitter outcomeOf computes with, so a test can predict the store's outcome
  const store = createStore({
    doc: t.doc,
    tableName: t.tableName,
    retry: { baseMs: 5, maxMs: 50 },
    retryPolicy: policy,
    random: () => 0,
    ...deps,
  });
  return { t, store };
};

/** One full delivery: claim, then append the observation's outcome. */
export const deliver = async (
  store: Store,
  req: DeliveryRequest,
  input: OutcomeInput,
  times: { startedAt?: Date; completedAt?: Date; responseHeaders?: Record<string, string> | null } = {},
) => {
  const claimed = await right(store.claim(req.messageId));
  const result = await right(
    store.appendAttempt({
      claimed,
      startedAt: times.startedAt ?? new Date(),
      completedAt: times.completedAt ?? new Date(),
      responseHeaders: times.responseHeaders === undefined ? {} : times.responseHeaders,
      observation: input,
    }),
  );
  return { claimed, result };
};

/** STATE's projection fields versus fold(seed, attempts, redrives, holds) of the stored events. */
export const foldMismatch = async (store: Store, messageId: string): Promise<string[]> => {
  const h = await right(store.getHistory(messageId));
  const folded = fold(seedOf(h.state), h.attempts, h.redrives, h.holds);
  if (E.isLeft(folded)) return [`fold refused: ${folded.left._tag}`];
  return diffProjection(projectionFields(h.state), projectionFields(folded.right));
};
