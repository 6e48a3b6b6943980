// Property: the STATE the live path writes equals fold(attempts) field by field, for random
// sequences of deliveries, crashed writers (their claim taken over and recorded as `lost`),
// stale writers (their late outcome kept as the lost attempt's resolution), exhaustion
// re-drives and hold events (held, released, expired: invariant 11). The live
// append builds its update from core's transition, so this holds by construction; the test
// proves it against DynamoDB Local, errorDetails.message (the exhaustion suffix) included.
import { deepEqual, fold, type OutcomeInput, seedOf, type StateItem } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { err404, err503, ok200, policy, request, right, useStore } from './support/storeFixtures.js';

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
  | { readonly kind: 'crash' }
  | { readonly kind: 'redrive'; readonly extra: number }
  | { readonly kind: 'hold'; readonly hold: 'held' | 'released' | 'expired' };

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
  { weight: 2, arbitrary: fc.constant({ kind: 'crash' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('held' as const, 'held' as const, 'released' as const, 'expired' as const)
      .map((hold) => ({ kind: 'hold' as const, hold })),
  },
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
    retryPolicy: policy,
    random: () => 0,
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
    observation: REPLIES[r],
  });
};

const isFinalState = (s: StateItem) => s.status === 'SUCCESS' || (s.status === 'FAILED' && !s.retryEligible);

/** A hold event where core's transition takes it; elsewhere the store must refuse it. */
const holdStep = async (c: Clocked, id: string, state: StateItem, kind: 'held' | 'released' | 'expired') => {
  c.advance(1);
  const r = await c.store.appendHold({
    messageId: id,
    kind,
    mode: 'open',
    reason: 'property',
    by: 'prop',
    at: c.at(),
  })();
  const holdable = state.status === 'PENDING' || (state.status === 'FAILED' && state.retryEligible);
  // a second `held` of a HELD message is a duplicate copy: accepted, nothing written
  const duplicate = kind === 'held' && state.status === 'HELD';
  const applies = kind === 'held' ? holdable || duplicate : state.status === 'HELD';
  assert.is(E.isRight(r), applies, `${kind} on ${state.status}: ${E.isLeft(r) ? r.left.message : 'accepted'}`);
  if (duplicate && E.isRight(r)) assert.is(r.right.hold, null, 'a duplicate hold writes no HOLD item');
};

const run = async (c: Clocked, id: string, s: Step): Promise<void> => {
  c.advance(DAY); // any scheduled retry is due
  const state = await right(c.store.getState(id));
  if (s.kind === 'hold') return holdStep(c, id, state, s.hold);
  if (state.status === 'HELD') return; // nothing claims a held message; only a release moves it
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
  // a claim of an expired lease takes it over: the dead claim becomes a `lost` attempt first,
  // and when that was the last allowed attempt the message is final and the claim refused
  const first = await c.store.claim(id)();
  if (E.isLeft(first)) {
    assert.is(first.left._tag, 'AlreadyFinal', first.left.message);
    return;
  }
  if (s.kind === 'crash') {
    // the writer dies after its request: nothing appended; the lease runs out
    c.advance(LEASE_MS + 1);
    return;
  }
  if (s.kind === 'deliver') {
    await right(append(c, first.right, s.reply));
    return;
  }
  // the first writer overruns its lease; a second takes it over (attempt n is lost); the
  // first's late outcome is kept as the resolution of n, never a second count
  c.advance(LEASE_MS + 1);
  const second = await c.store.claim(id)();
  const stale = await append(c, first.right, s.staleReply)();
  assert.ok(E.isRight(stale) && stale.right.resolution !== null, 'the stale writer resolves its lost attempt');
  if (E.isLeft(second)) {
    assert.is(second.left._tag, 'AlreadyFinal', 'only when lost exhausted the message');
    return;
  }
  const live = await append(c, second.right, s.liveReply)();
  // the live writer may find the message final through no fault of its own: never here
  assert.ok(E.isRight(live), E.isLeft(live) ? live.left.message : '');
};

/** A crashed last step leaves a claim open: the next claimer records it as lost and delivers. */
const settle = async (c: Clocked, id: string): Promise<void> => {
  c.advance(DAY);
  const state = await right(c.store.getState(id));
  if (state.status !== 'PROCESSING') return;
  const claimed = await c.store.claim(id)();
  if (E.isRight(claimed)) await right(append(c, claimed.right, 'ok'));
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
        await settle(c, id);
        const h = await right(c.store.getHistory(id));
        const folded = fold(seedOf(h.state), h.attempts, h.redrives, h.holds);
        assert.ok(E.isRight(folded), E.isLeft(folded) ? folded.left._tag : '');
        if (E.isLeft(folded)) return;
        const differing = (Object.keys(h.state) as (keyof StateItem)[]).filter(
          (k) => !deepEqual(h.state[k], folded.right[k]),
        );
        assert.equal(differing, [], `${id}: ${JSON.stringify(steps)}`);
        assert.is(h.state.deliveryResult?.errorDetails?.message, folded.right.deliveryResult?.errorDetails?.message);
        // requests (one per claim) <= attempts recorded: every claim ended as exactly one attempt
        const numbers = h.attempts.map((a) => a.attemptNumber);
        assert.equal(
          numbers,
          numbers.map((_, i) => i + 1),
          'attempt numbers dense',
        );
        for (const r of h.resolutions) {
          const lost = h.attempts[r.attemptNumber - 1];
          assert.is(lost?.deliveryResult.category, 'lost', 'a resolution resolves a lost attempt');
          assert.is(lost?.leaseId, r.leaseId);
        }
      },
    ),
    { numRuns: 40, seed: 20261201 },
  );
});

Live('lost counts toward maxAttempts: a takeover of the last allowed attempt leaves it final', async ({ t }) => {
  const c = clockedStore(t);
  const id = 'lf-exhaust';
  await right(c.store.createMessage(request(id, { maxAttempts: 2 })));
  await run(c, id, { kind: 'deliver', reply: 'retryable' });
  const first = await right(c.store.claim(id));
  c.advance(LEASE_MS + 1);
  // attempt 2 (the last allowed) never came back: recorded as lost, final, claim refused
  const refused = await c.store.claim(id)();
  assert.ok(E.isLeft(refused) && refused.left._tag === 'AlreadyFinal', 'no third attempt');
  const h = await right(c.store.getHistory(id));
  assert.is(h.state.status, 'FAILED');
  assert.is(h.state.retryEligible, false);
  assert.equal(
    h.attempts.map((a) => a.deliveryResult.category),
    ['server_error', 'lost'],
  );
  assert.match(
    h.state.deliveryResult?.errorDetails?.message ?? '',
    /^no result recorded: lease .+ expired at .+; the request may have been sent \(retries exhausted: attempt 2 of 2\)$/,
  );
  const folded = fold(seedOf(h.state), h.attempts, h.redrives, h.holds);
  assert.ok(E.isRight(folded) && deepEqual(folded.right, h.state));
  // the first writer's real outcome arrives late: its resolution, not a third attempt
  const late = await right(append(c, first, 'ok'));
  assert.is(late.resolution?.deliveryResult.category, 'success');
  const after = await right(c.store.getHistory(id));
  assert.is(after.attempts.length, 2);
  assert.is(after.state.status, 'FAILED');
});

Live.run();
