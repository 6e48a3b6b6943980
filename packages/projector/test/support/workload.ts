// Shared set-up for the projector's cross-package tests (not a test file itself): a workload
// through the real store (create, claim, append, redrive) and helpers to read the stream and
// compare trails.
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { DeliveryRequest, makeRetryPolicy, type OutcomeInput } from '@delivery-history/core';
import type { StreamsPort } from '@delivery-history/store';
import { createStore, type Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { TestTable } from '@delivery-history/testkit/testTable';
import type { FakeClock } from '@delivery-history/testkit/fakeClock';
import { appendObserved, responseOf } from '@delivery-history/testkit/storeSteps';

/** Deterministic [0,1) (mulberry32): the one seeded PRNG of the tests. */
export { seededRandom as rng } from '@delivery-history/testkit/seededRandom';

const POLICY = makeRetryPolicy({ baseMs: 1000, maxMs: 1000, retryAfterMaxMs: 1000 });

const observation = (r: () => number): OutcomeInput => {
  const x = r();
  const responseTimeMs = Math.floor(r() * 300);
  const response = (statusCode: number): OutcomeInput => responseOf(statusCode, responseTimeMs);
  if (x < 0.35) return response(200);
  if (x < 0.6) return response(500);
  if (x < 0.7) return response(503);
  if (x < 0.8) return response(404);
  return { kind: 'error', code: 'ECONNRESET', message: 'socket hang up', responseTimeMs };
};

export const makeWorkloadStore = (t: TestTable, clock: () => Date): Store =>
  createStore({ doc: t.doc, tableName: t.tableName, clock, leaseMs: 60_000, retryPolicy: POLICY });

export type Driven = { readonly messageId: string; readonly attempts: number; readonly redriven: boolean };

/**
 * One message through the store: create, then claim + append until final (random outcomes,
 * retries), and for some final failures a redrive and more attempts.
 */
export const driveMessage = async (
  store: Store,
  clock: FakeClock,
  messageId: string,
  r: () => number,
): Promise<Driven> => {
  const decoded = DeliveryRequest.decode({
    messageId,
    url: 'https://hooks.example.com/in',
    body: '{}',
    maxAttempts: 1 + Math.floor(r() * 5),
  });
  if (E.isLeft(decoded)) throw new Error('bad request fixture');
  const request = decoded.right;
  const created = await store.createMessage(request)();
  if (E.isLeft(created)) throw new Error(`createMessage: ${created.left.message}`);
  let attempts = 0;
  let redriven = false;
  for (let round = 0; round < 40; round++) {
    clock.advance(2000);
    const claimed = await store.claim(messageId)();
    if (E.isLeft(claimed)) {
      if (claimed.left._tag !== 'AlreadyFinal') throw new Error(`claim: ${claimed.left.message}`);
      const s = await store.getState(messageId)();
      if (E.isLeft(s)) throw new Error(s.left.message);
      if (redriven || s.right.status !== 'FAILED' || r() < 0.6) break;
      const rd = await store.appendRedrive({
        messageId,
        requestedBy: 'test',
        reason: 'retry after fix',
        maxAttempts: s.right.attempts + 2,
      })();
      if (E.isLeft(rd)) throw new Error(`appendRedrive: ${rd.left.message}`);
      redriven = true;
      continue;
    }
    const obs = observation(r);
    const appended = await appendObserved(store, claimed.right, obs, clock.now())();
    if (E.isLeft(appended)) throw new Error(`appendAttempt: ${appended.left.message}`);
    attempts = appended.right.attemptNumber;
  }
  return { messageId, attempts, redriven };
};

export { compareTrail } from '@delivery-history/testkit/trails';

/** Every record of every shard from TRIM_HORIZON to the current end. */
export const readWholeStream = async (streams: StreamsPort, streamArn: string): Promise<_Record[]> => {
  const out: _Record[] = [];
  const shards = (await streams.describeStream({ StreamArn: streamArn })).StreamDescription?.Shards ?? [];
  for (const shard of shards) {
    let it = (
      await streams.getShardIterator({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      })
    ).ShardIterator;
    for (let n = 0; it !== undefined && n < 10_000; n++) {
      const r = await streams.getRecords({ ShardIterator: it, Limit: 1000 });
      const recs = r.Records ?? [];
      out.push(...recs);
      if (recs.length === 0) break;
      it = r.NextShardIterator;
    }
  }
  return out;
};
