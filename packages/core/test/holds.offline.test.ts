// Invariant 11 in core: hold events go through the one transition; a hold spends no attempt
// and no retry budget; fold replays holds in place whatever the input order.
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type AttemptItem,
  attemptsWhileHeld,
  fold,
  type HoldItem,
  HoldItem as HoldCodec,
  isFinal,
  projectionFields,
  type RedriveItem,
  type StateItem,
  seedOf,
  transition,
} from '../src/index.js';
import { HELD_EXPIRED_CODE, type StateEvent } from '../src/testing.js';
import { applyEvents, attempt, hold, type Kind, redrive, seedState } from '@delivery-history/testkit/itemBuilders';

const apply = applyEvents;

const step = (s: StateItem, e: (s: StateItem) => StateEvent): StateItem => apply(s, e(s));

const Holds = suite('hold events (invariant 11)');

Holds('held parks a PENDING message; released makes it PENDING again; the first attempt is still 1', () => {
  const held = step(seedState(), (s) => hold(s, 'held', 1000));
  assert.is(held.status, 'HELD');
  assert.is(held.attempts, 0);
  assert.is(held.holds, 1);
  assert.not.ok(isFinal(held));
  const released = step(held, (s) => hold(s, 'released', 2000));
  assert.is(released.status, 'PENDING');
  assert.is(released.holds, 2);
  const delivered = apply(released, attempt(1, 'success'));
  assert.is(delivered.status, 'SUCCESS');
  assert.is(delivered.attempts, 1);
});

Holds('a scheduled retry held and released keeps its attempts, result and retry budget', () => {
  const failedOnce = apply(seedState('m-1', 3), attempt(1, 'retry'));
  const held = step(failedOnce, (s) => hold(s, 'held', 70_000));
  assert.is(held.attempts, 1);
  assert.is(held.maxAttempts, 3);
  assert.equal(held.deliveryResult, failedOnce.deliveryResult);
  assert.is(held.nextAttemptAt, null, 'a held message has no due time: the release decides');
  const released = step(held, (s) => hold(s, 'released', 80_000));
  assert.equal([released.status, released.retryEligible, released.attempts], ['PENDING', true, 1]);
  // two more attempts, exactly as without the hold
  const after = apply(released, attempt(2, 'retry'), attempt(3, 'final'));
  assert.is(after.attempts, 3);
  assert.ok(isFinal(after));
});

Holds('held past retention: expired makes it final with its own category, and a redrive can reopen it', () => {
  const held = step(seedState(), (s) => hold(s, 'held', 1000));
  const expired = step(held, (s) => hold(s, 'expired', 9_000_000));
  assert.ok(isFinal(expired));
  assert.is(expired.attempts, 0, 'never attempted');
  assert.is(expired.deliveryResult?.category, 'held_expired');
  assert.is(expired.deliveryResult?.errorDetails?.code, HELD_EXPIRED_CODE);
  const reopened = apply(expired, redrive(1, 0, 3));
  assert.is(reopened.status, 'PENDING');
});

Holds('refusals: nothing holds a PROCESSING, final or already held message; release/expire need HELD', () => {
  const refuse = (s: StateItem, e: StateEvent): string => {
    const r = transition(s, e);
    return E.isLeft(r) ? r.left._tag : 'accepted';
  };
  const processing: StateItem = { ...seedState(), status: 'PROCESSING' };
  assert.is(refuse(processing, hold(processing, 'held', 1)), 'NotHoldable');
  const success = apply(seedState(), attempt(1, 'success'));
  assert.is(refuse(success, hold(success, 'held', 1)), 'NotHoldable');
  const final = apply(seedState(), attempt(1, 'final'));
  assert.is(refuse(final, hold(final, 'held', 1)), 'NotHoldable');
  const held = step(seedState(), (s) => hold(s, 'held', 1));
  assert.is(refuse(held, hold(held, 'held', 2)), 'NotHoldable');
  assert.is(refuse(seedState(), hold(seedState(), 'released', 1)), 'NotHoldable');
  assert.is(refuse(held, { ...hold(held, 'released', 2), afterAttempt: 1 }), 'StaleHold');
  assert.is(refuse(held, { ...hold(held, 'released', 2), holdNumber: 1 }), 'StaleHold');
});

Holds('a held message is not due: nothing but a hold event moves it (a late superseded attempt only counts)', () => {
  const held = step(seedState(), (s) => hold(s, 'held', 1));
  const late = apply(held, attempt(1, 'success', { superseded: true }));
  assert.is(late.status, 'HELD');
  assert.is(late.attempts, 1);
});

Holds('the codec decodes a hold item and rejects an unknown kind', () => {
  const h = hold(seedState(), 'held', 1);
  assert.ok(E.isRight(HoldCodec.decode({ ...h, pk: 'MSG#m-1', sk: 'HOLD#0001' })));
  assert.ok(E.isLeft(HoldCodec.decode({ ...h, kind: 'paused' })));
});

// ---------------------------------------------------------------------------
// property: fold with holds == the live sequence, whatever the order of the stored lists
// ---------------------------------------------------------------------------

type Op = 'live' | 'superseded' | 'redrive' | 'held' | 'released' | 'expired';
const opArb = fc.record({
  op: fc.constantFrom<Op>('live', 'live', 'superseded', 'redrive', 'held', 'held', 'released', 'released', 'expired'),
  kind: fc.constantFrom<Kind>('success', 'retry', 'retry', 'final'),
});

const eventOf = (s: StateItem, op: Op, kind: Kind, t: number): StateEvent => {
  const n = s.attempts + 1;
  switch (op) {
    case 'live':
      return attempt(n, kind === 'retry' && n >= s.maxAttempts ? 'final' : kind, { atMs: t });
    case 'superseded':
      return attempt(n, kind === 'success' ? 'final' : kind, { superseded: true, atMs: t });
    case 'redrive':
      return redrive(s.redrives + 1, s.attempts, s.attempts + 2);
    default:
      return hold(s, op, t);
  }
};

Holds('property: fold(seed, attempts, redrives, holds) equals the live sequence, in any input order', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 30 }), fc.integer(), (ops, seed) => {
      const start = seedState('m-1', 4);
      let live = start;
      const attempts: AttemptItem[] = [];
      const redrives: RedriveItem[] = [];
      const holds: HoldItem[] = [];
      ops.forEach(({ op, kind }, i) => {
        const e = eventOf(live, op, kind, (i + 1) * 1000);
        const r = transition(live, e);
        if (E.isLeft(r)) return;
        if (e.type === 'HOLD' && e.kind !== 'expired') {
          // a hold or release spends nothing
          assert.is(r.right.attempts, live.attempts);
          assert.is(r.right.maxAttempts, live.maxAttempts);
          assert.equal(r.right.deliveryResult, live.deliveryResult);
        }
        if (e.type === 'ATTEMPT') attempts.push(e);
        else if (e.type === 'REDRIVE') redrives.push(e);
        else holds.push(e);
        live = r.right;
      });
      const rank = (i: number): number => (Math.imul(i + 1, 2654435761) ^ seed) >>> 0;
      const shuffle = <A>(xs: A[]): A[] =>
        xs
          .map((x, i) => [rank(i), x] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, x]) => x);
      const folded = fold(seedOf(live), shuffle(attempts), shuffle(redrives), shuffle(holds));
      assert.ok(E.isRight(folded), JSON.stringify(folded));
      if (E.isLeft(folded)) return;
      assert.equal(projectionFields(folded.right), projectionFields(live));
    }),
  );
});

Holds('attemptsWhileHeld: none for a clean hold; an attempt inside a hold span or after an open hold is named', () => {
  const seed = seedState('m-1', 5);
  const a1 = attempt(1, 'retry', { atMs: 60_000 });
  const s1 = apply(seed, a1);
  const held = hold(s1, 'held', 100_000);
  const s2 = apply(s1, held);
  const released = hold(s2, 'released', 200_000);
  const a2 = attempt(2, 'success', { atMs: 250_000 });
  assert.equal(attemptsWhileHeld([a1, a2], [held, released]), [], 'the attempts are before and after the hold');
  const inside = attemptsWhileHeld([a1, attempt(2, 'success', { atMs: 150_000 })], [held, released]);
  assert.is(inside.length, 1);
  assert.match(inside[0] ?? '', /ATTEMPT#2 .* made while HOLD#1 held .* until HOLD#2 released/);
  const open = attemptsWhileHeld([a1, a2], [held]);
  assert.is(open.length, 1);
  assert.match(open[0] ?? '', /ATTEMPT#2 .* recorded while HOLD#1 .* is still held/);
  assert.equal(attemptsWhileHeld([a1], [held]), [], 'still held with no attempt after it');
});

Holds.run();
