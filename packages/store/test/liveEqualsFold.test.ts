// Property: the STATE the live path writes equals fold(attempts) field by field, for random
// sequences of deliveries, superseded (stale) writers, exhaustion and re-drives. The live
// append builds its update from core's transition, so this holds by construction; the test
// proves it against DynamoDB Local, errorDetails.message (the exhaustion suffix) included.
import { deepEqual, fold, type OutcomeInput, seedOf, type StateItem } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestTable } from '../../../test/support/testTable.js';
import { err404, err503, ok200, outcomeOf, request, right, useStore } from './support/fixtures.js';

type Ctx = { t: TestTable };
const Live = suite<Ctx>('live path equals fold');

Live.before(async (ctx) => {
  ctx.t = (await useStore('live-equals-fold')).t;
});
Live.after(async ({ t }) => t.drop());

const REPLIES: Record<'ok' | 'retryable' | 'permanent', OutcomeInput> = {
  ok: ok200,
  retryable: err503,
  permanent: err404,
};
type Reply = keyof typeof REPLIES;
type Step =
  | { readonly kind: 'deliver'; readonly reply: Reply }
  | { readonly kind: 'stale'; readonly staleReply: Reply; readonly liveReply: Reply }
  | { readonly kind: 'redrive'; readonly extra: number };

const reply = fc.constantFrom<Reply>('retryable', 'retryable', 'permanent', 'ok');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: reply.map((r) => ({ kind: 'deliver' as const, reply: r })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(reply, reply)
      .map(([staleReply, liveReply]) => ({ kind: 'stale' as const, staleReply, liveReply })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((extra) => ({ kind: 'redrive' as const, extra })) },
);

const LEASE_MS = 1_000;
const DAY = 86_400_000;

/** A store whose clock the test moves: retries become due, leases expire on purpose. */
const clockedStore = (t: TestTable) => {
  let now = Date.parse('2026-06-01T00:00:00.000Z');
  const store = createStore({
    doc: t.doc,
    tableName: t.tableName,
    clock: () => new Date(now),
    leaseMs: LEASE_MS,
    retry: { baseMs: 5, maxMs: 50 },
  });
  return {
    store,
    at: () => new Date(now),
    advance: (ms: number): void => {
      now += ms;
    },
  };
};

type Clocked = ReturnType<typeof clockedStore>;

const append = (c: Clocked, claimed: Parameters<Store['appendAttempt']>[0]['claimed'], r: Reply) => {
  c.advance(10);
  const done = c.at();
  return c.store.appendAttempt({
    claimed,
    startedAt: new Date(done.getTime() - 5),
    completedAt: done,
    responseHeaders: { 'content-type': 'text/plain' },
    outcome: (at) => outcomeOf(REPLIES[r], () => done)(at, claimed.ticket.correlationId),
  });
};

const isFinalState = (s: StateItem) => s.status === 'SUCCESS' || (s.status === 'FAILED' && !s.retryEligible);

const run = async (c: Clocked, id: string, s: Step): Promise<void> => {
  c.advance(DAY); // any scheduled retry is due
  const state = await right(c.store.getState(id));
  if (s.kind === 'redrive') {
    if (state.status !== 'FAILED' || state.retryEligible) return;
    c.advance(1);
    await right(
      c.store.appendRedrive({
        messageId: id,
        requestedBy: 'prop',
        reason: 'property',
        maxAttempts: state.attempts + s.extra,
        at: c.at(),
      }),
    );
    return;
  }
  if (isFinalState(state)) return;
  const first = await right(c.store.claim(id));
  if (s.kind === 'deliver') {
    await right(append(c, first, s.reply));
    return;
  }
  // the first writer overruns its lease; a second claims; the first records what it sent
  c.advance(LEASE_MS + 1);
  const second = await right(c.store.claim(id));
  const stale = await append(c, first, s.staleReply)();
  assert.ok(E.isRight(stale) && stale.right.superseded, 'the stale writer is recorded as superseded');
  const live = await append(c, second, s.liveReply)();
  // the live writer may find the message final through no fault of its own: never here
  assert.ok(E.isRight(live), E.isLeft(live) ? live.left.message : '');
};

let counter = 0;

Live('STATE == fold(attempts, redrives), every field, for random histories', async ({ t }) => {
  const c = clockedStore(t);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(step, { minLength: 1, maxLength: 8 }),
      async (max, steps) => {
        const id = `lf-${++counter}`;
        await right(c.store.createMessage(request(id, { maxAttempts: max })));
        for (const s of steps) await run(c, id, s);
        const h = await right(c.store.getHistory(id));
        const folded = fold(seedOf(h.state), h.attempts, h.redrives);
        assert.ok(E.isRight(folded), E.isLeft(folded) ? folded.left._tag : '');
        if (E.isLeft(folded)) return;
        const differing = (Object.keys(h.state) as (keyof StateItem)[]).filter(
          (k) => !deepEqual(h.state[k], folded.right[k]),
        );
        assert.equal(differing, [], `${id}: ${JSON.stringify(steps)}`);
        assert.is(h.state.deliveryResult?.errorDetails?.message, folded.right.deliveryResult?.errorDetails?.message);
      },
    ),
    { numRuns: 40, seed: 20261201 },
  );
});

Live('exhaustion is decided once, by core, for the number actually written', async ({ t }) => {
  const c = clockedStore(t);
  const id = 'lf-exhaust';
  await right(c.store.createMessage(request(id, { maxAttempts: 2 })));
  // attempt 1 goes to a stale writer; the live writer's outcome was computed for 1, written as 2
  await run(c, id, { kind: 'deliver', reply: 'retryable' });
  const state = await right(c.store.getState(id));
  assert.is(state.attempts, 1);
  const first = await right(c.store.claim(id));
  c.advance(LEASE_MS + 1);
  const second = await right(c.store.claim(id));
  await right(append(c, first, 'retryable'));
  const r = await right(append(c, second, 'retryable'));
  // number 2 was taken by the superseded attempt: the live one is 3 and over the limit
  assert.is(r.attemptNumber, 3);
  assert.is(r.final, true);
  const h = await right(c.store.getHistory(id));
  assert.match(h.state.deliveryResult?.errorDetails?.message ?? '', /retries exhausted: attempt 3 of 2/);
  const folded = fold(seedOf(h.state), h.attempts, h.redrives);
  assert.ok(E.isRight(folded) && deepEqual(folded.right, h.state));
});

Live.run();
