import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeTransitionError, isFinal, type StateItem, transition } from '../src/index.js';
import { isTransitionError, type StateEvent, TRANSITION_ERROR_TAGS } from '../src/testing.js';
import { attempt, hold, type Kind, redrive, seedState } from '@delivery-history/testkit/itemBuilders';

const Transition = suite('transition (state machine)');

const apply = (state: StateItem, ...events: StateEvent[]): StateItem =>
  events.reduce((s, e) => {
    const r = transition(s, e);
    if (E.isLeft(r)) throw new Error(describeTransitionError(r.left));
    return r.right;
  }, state);
const refusal = (state: StateItem, event: StateEvent) => {
  const r = transition(state, event);
  if (E.isRight(r)) throw new Error('expected a refusal');
  return r.left;
};

Transition('a live success sets the projection from the attempt', () => {
  const a = attempt(1, 'success');
  const s = apply(seedState(), a);
  assert.is(s.status, 'SUCCESS');
  assert.is(s.attempts, 1);
  assert.equal(s.deliveryResult, a.deliveryResult);
  assert.is(s.lastDeliveryAttempt, a.completedAt);
  assert.is(s.lastUpdatedAt, a.completedAt);
  assert.is(s.retryEligible, false);
  assert.is(s.nextAttemptAt, null);
  assert.is(s.lease, null);
  assert.ok(isFinal(s));
});

Transition('a retryable failure stays open with nextAttemptAt', () => {
  const a = attempt(1, 'retry');
  const s = apply(
    { ...seedState(), status: 'PROCESSING', lease: { leaseId: 'l', expiresAt: a.completedAt, claimedAt: a.startedAt } },
    a,
  );
  assert.is(s.status, 'FAILED');
  assert.is(s.retryEligible, true);
  assert.is(s.nextAttemptAt, a.nextAttemptAt);
  assert.is(s.lease, null, 'the append releases the lease');
  assert.not.ok(isFinal(s));
});

Transition('refuses an attempt whose number is not attempts + 1 (StaleAttempt)', () => {
  const s = apply(seedState(), attempt(1, 'retry'));
  assert.equal(refusal(s, attempt(1, 'retry')), { _tag: 'StaleAttempt', messageId: 'm-1', expected: 2, got: 1 });
  assert.equal(refusal(s, attempt(3, 'retry')), { _tag: 'StaleAttempt', messageId: 'm-1', expected: 2, got: 3 });
  assert.is(refusal(s, attempt(3, 'retry', { superseded: true }))._tag, 'StaleAttempt');
});

Transition('refuses a live attempt on a final message (AlreadyFinal)', () => {
  const done = apply(seedState(), attempt(1, 'success'));
  assert.equal(refusal(done, attempt(2, 'success')), { _tag: 'AlreadyFinal', messageId: 'm-1', status: 'SUCCESS' });
  const failed = apply(seedState(), attempt(1, 'final'));
  assert.equal(refusal(failed, attempt(2, 'retry')), { _tag: 'AlreadyFinal', messageId: 'm-1', status: 'FAILED' });
});

Transition('a superseded attempt only counts, even on a final message', () => {
  const done = apply(seedState(), attempt(1, 'success'));
  const late = attempt(2, 'retry', { superseded: true, atMs: 999_000 });
  const s = apply(done, late);
  assert.equal(s, { ...done, attempts: 2, lastUpdatedAt: late.completedAt });
  const open = apply(seedState(), attempt(1, 'retry'));
  const s2 = apply(open, attempt(2, 'success', { superseded: true }));
  assert.equal(s2, { ...open, attempts: 2, lastUpdatedAt: attempt(2, 'success').completedAt });
});

Transition('refuses events of another message (WrongMessage)', () => {
  assert.equal(refusal(seedState(), attempt(1, 'success', { messageId: 'other' })), {
    _tag: 'WrongMessage',
    messageId: 'm-1',
    eventMessageId: 'other',
  });
});

Transition('refuses a self-contradicting attempt (InvalidEvent)', () => {
  const a = attempt(1, 'success');
  assert.is(refusal(seedState(), { ...a, status: 'FAILED' })._tag, 'InvalidEvent');
  assert.is(
    refusal(seedState(), { ...a, deliveryResult: { ...a.deliveryResult, retryEligible: true } })._tag,
    'InvalidEvent',
  );
  const r = attempt(1, 'retry');
  assert.is(refusal(seedState(), { ...r, nextAttemptAt: null })._tag, 'InvalidEvent');
  const f = attempt(1, 'final');
  assert.is(refusal(seedState(), { ...f, nextAttemptAt: r.nextAttemptAt })._tag, 'InvalidEvent');
});

Transition('a redrive reopens a final FAILED message', () => {
  const failed = apply(seedState('m-1', 2), attempt(1, 'retry'), attempt(2, 'final'));
  const rd = redrive(1, 2, 5);
  const s = apply(failed, rd);
  assert.equal(s, {
    ...failed,
    status: 'PENDING',
    retryEligible: true,
    nextAttemptAt: null,
    maxAttempts: 5,
    redrives: 1,
    lastUpdatedAt: rd.at,
    lease: null,
  });
  assert.not.ok(isFinal(s));
  assert.is(apply(s, attempt(3, 'success')).status, 'SUCCESS');
});

Transition('redrive refusals: NotRedrivable, StaleRedrive, InvalidEvent', () => {
  const success = apply(seedState(), attempt(1, 'success'));
  assert.equal(refusal(success, redrive(1, 1, 5)), {
    _tag: 'NotRedrivable',
    messageId: 'm-1',
    status: 'SUCCESS',
    retryEligible: false,
  });
  const open = apply(seedState(), attempt(1, 'retry'));
  assert.is(refusal(open, redrive(1, 1, 5))._tag, 'NotRedrivable');
  assert.is(refusal(seedState(), redrive(1, 0, 5))._tag, 'NotRedrivable');
  const failed = apply(seedState(), attempt(1, 'final'));
  assert.equal(refusal(failed, redrive(2, 1, 5)), {
    _tag: 'StaleRedrive',
    messageId: 'm-1',
    expectedRedrive: 1,
    gotRedrive: 2,
    expectedAfterAttempt: 1,
    gotAfterAttempt: 1,
  });
  assert.is(refusal(failed, redrive(1, 0, 5))._tag, 'StaleRedrive');
  assert.is(refusal(failed, redrive(1, 1, 1))._tag, 'InvalidEvent');
});

Transition('error tags are unique and each describes itself in one line', () => {
  assert.is(new Set(TRANSITION_ERROR_TAGS).size, TRANSITION_ERROR_TAGS.length);
  const failed = apply(seedState(), attempt(1, 'final'));
  const errors = [
    refusal(failed, attempt(2, 'retry')),
    refusal(failed, attempt(5, 'retry')),
    refusal(failed, redrive(3, 1, 4)),
    refusal(seedState(), redrive(1, 0, 4)),
    refusal(failed, attempt(2, 'retry', { messageId: 'x' })),
    refusal(failed, redrive(1, 1, 1)),
    refusal(failed, hold(failed, 'held', 1)),
    refusal(seedState(), { ...hold(seedState(), 'held', 1), holdNumber: 2 }),
  ];
  assert.equal(errors.map((e) => e._tag).sort(), [...TRANSITION_ERROR_TAGS].sort());
  for (const e of errors) {
    assert.ok(isTransitionError(e));
    const line = describeTransitionError(e);
    assert.ok(line.includes('m-1') && !line.includes('\n'), line);
  }
  assert.not.ok(isTransitionError({ _tag: 'Other' }));
});

const kindArb = fc.constantFrom<Kind>('success', 'retry', 'final');

Transition('property: no event leaves a final state, except a redrive', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Kind>('success', 'final'),
      fc.array(
        fc.record({
          op: fc.constantFrom('live', 'superseded', 'redrive'),
          kind: kindArb,
          n: fc.integer({ min: 0, max: 4 }),
        }),
        { maxLength: 12 },
      ),
      (finalKind, ops) => {
        let s = apply(seedState('m-1', 3), attempt(1, finalKind));
        for (const op of ops) {
          const event: StateEvent =
            op.op === 'redrive'
              ? redrive(s.redrives + 1, s.attempts, s.attempts + 1 + op.n)
              : attempt(s.attempts + 1 + (op.n === 4 ? 1 : 0), op.kind, { superseded: op.op === 'superseded' });
          const r = transition(s, event);
          if (E.isLeft(r)) continue;
          if (event.type === 'REDRIVE') return; // reopened: the property is about everything else
          assert.ok(isFinal(r.right), `${event.type} ${op.op} left a final state`);
          assert.is(r.right.status, s.status);
          assert.equal(r.right.deliveryResult, s.deliveryResult);
          s = r.right;
        }
      },
    ),
  );
});

Transition('property: attempts always equals the number of the last accepted attempt', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ kind: kindArb, superseded: fc.boolean(), skip: fc.boolean() }), { maxLength: 15 }),
      (ops) => {
        let s = seedState('m-1', 100);
        let accepted = 0;
        for (const op of ops) {
          const n = s.attempts + (op.skip ? 2 : 1);
          const r = transition(s, attempt(n, op.kind, { superseded: op.superseded }));
          if (E.isRight(r)) {
            accepted++;
            s = r.right;
          }
          assert.is(s.attempts, accepted);
        }
      },
    ),
  );
});

Transition.run();
