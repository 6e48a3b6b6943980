import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type AttemptItem,
  diffProjection,
  fold,
  isFinal,
  projectionFields,
  type RedriveItem,
  seedOf,
  type StateItem,
  transition,
} from '../src/index.js';
import { orderEvents, PROJECTION_FIELDS } from '../src/testing.js';
import { attempt, historyArb, redrive, seedState } from '@delivery-history/testkit/itemBuilders';

const Fold = suite('fold and projection');

const folded = (seed: StateItem, attempts: AttemptItem[], redrives: RedriveItem[]): StateItem => {
  const r = fold(seed, attempts, redrives);
  if (E.isLeft(r)) throw new Error(`fold refused: ${JSON.stringify(r.left)}`);
  return r.right;
};

Fold('fold of no events is the seed', () => {
  const seed = seedState();
  assert.equal(fold(seed, [], []), E.right(seed));
});

Fold('fold replays retries, a redrive and the final success', () => {
  const seed = seedState('m-1', 2);
  const attempts = [
    attempt(1, 'retry'),
    attempt(2, 'final'),
    attempt(3, 'retry', { superseded: true }),
    attempt(4, 'success'),
  ];
  const redrives = [redrive(1, 3, 6)];
  const s = folded(seed, attempts, redrives);
  assert.equal(projectionFields(s), {
    status: 'SUCCESS',
    attempts: 4,
    deliveryResult: attempts[3]?.deliveryResult ?? null,
    lastDeliveryAttempt: attempts[3]?.completedAt ?? null,
    retryEligible: false,
    nextAttemptAt: null,
    maxAttempts: 6,
    redrives: 1,
  });
});

Fold('fold stops at the first refused event', () => {
  const r = fold(seedState(), [attempt(1, 'success'), attempt(2, 'retry')], []);
  assert.equal(E.isLeft(r) && r.left, { _tag: 'AlreadyFinal', messageId: 'm-1', status: 'SUCCESS' });
  const gap = fold(seedState(), [attempt(1, 'retry'), attempt(3, 'retry')], []);
  assert.is(E.isLeft(gap) && gap.left._tag, 'StaleAttempt');
});

Fold('orderEvents puts a redrive right after the attempt it follows', () => {
  const events = orderEvents(
    [attempt(3, 'success'), attempt(1, 'final'), attempt(2, 'final')],
    [redrive(2, 2, 5), redrive(1, 1, 5)],
  );
  assert.equal(
    events.map((e) =>
      e.type === 'ATTEMPT' ? `A${e.attemptNumber}` : e.type === 'REDRIVE' ? `R${e.redriveNumber}` : 'H',
    ),
    ['A1', 'R1', 'A2', 'R2', 'A3'],
  );
});

Fold('seedOf resets the fold-determined fields of a stored STATE', () => {
  const seed = seedState('m-1', 3);
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const stored = { ...folded(seed, attempts, []), lease: null };
  assert.equal(seedOf(stored), seed);
  assert.equal(fold(seedOf(stored), attempts, []), E.right(stored));
});

Fold('diffProjection names the drifted fields only', () => {
  const s = folded(seedState(), [attempt(1, 'retry')], []);
  assert.equal(diffProjection(s, s), []);
  assert.equal(diffProjection(s, { ...s }), []);
  assert.equal(diffProjection(s, { ...s, attempts: 2, status: 'SUCCESS' }), ['status', 'attempts']);
  const dr = s.deliveryResult;
  assert.ok(dr !== null);
  // key order does not matter, values do
  const reordered = Object.fromEntries(Object.entries(dr).reverse()) as typeof dr;
  assert.equal(diffProjection(s, { ...s, deliveryResult: reordered }), []);
  assert.equal(diffProjection(s, { ...s, deliveryResult: { ...dr, responseTime: 1 } }), ['deliveryResult']);
  assert.equal(Object.keys(projectionFields({ ...s, holds: 0 })).sort(), [...PROJECTION_FIELDS].sort());
});

const shuffle = <A>(xs: ReadonlyArray<A>, keys: ReadonlyArray<number>): A[] =>
  xs
    .map((x, i) => [x, keys[i % Math.max(1, keys.length)] ?? 0, i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map(([x]) => x);

Fold('property: generated histories fold without refusal, ending where the live path ended', () => {
  fc.assert(
    fc.property(historyArb, ({ attempts, redrives, maxAttempts }) => {
      const seed = seedState('m-1', maxAttempts);
      // the live path: one transition at a time in write order
      let live = seed;
      for (const e of orderEvents(attempts, redrives)) {
        const r = transition(live, e);
        assert.ok(E.isRight(r), 'the generated history is valid');
        if (E.isRight(r)) live = r.right;
      }
      assert.equal(fold(seed, attempts, redrives), E.right(live));
      assert.is(live.attempts, attempts.length);
      assert.is(live.redrives, redrives.length);
    }),
  );
});

Fold('property: fold is deterministic and depends on order only through numbers', () => {
  fc.assert(
    fc.property(
      historyArb,
      fc.array(fc.integer(), { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer(), { maxLength: 10 }),
      (h, k1, k2) => {
        const seed = seedState('m-1', h.maxAttempts);
        const once = fold(seed, h.attempts, h.redrives);
        assert.equal(fold(seed, h.attempts, h.redrives), once, 'same input, same output');
        const shuffled = fold(seed, shuffle(h.attempts, k1), shuffle(h.redrives, k2.length > 0 ? k2 : [0]));
        assert.equal(shuffled, once, 'shuffled input, same output');
        const sorted = [...shuffle(h.attempts, k1)].sort((a, b) => a.attemptNumber - b.attemptNumber);
        assert.equal(fold(seed, sorted, h.redrives), once);
      },
    ),
  );
});

Fold('property: a final folded state has a final last live attempt, or a superseded tail', () => {
  fc.assert(
    fc.property(historyArb, (h) => {
      const s = folded(seedState('m-1', h.maxAttempts), h.attempts, h.redrives);
      const lastLive = [...h.attempts].reverse().find((a) => !a.superseded);
      if (lastLive === undefined) {
        assert.is(s.status, 'PENDING');
        return;
      }
      assert.equal(s.deliveryResult, lastLive.deliveryResult);
      assert.is(s.lastDeliveryAttempt, lastLive.completedAt);
      const lastRedrive = h.redrives.at(-1);
      if (lastRedrive !== undefined && lastRedrive.afterAttempt >= lastLive.attemptNumber)
        assert.is(s.status, 'PENDING');
      else assert.is(isFinal(s), lastLive.status === 'SUCCESS' || !lastLive.deliveryResult.retryEligible);
    }),
  );
});

Fold.run();
