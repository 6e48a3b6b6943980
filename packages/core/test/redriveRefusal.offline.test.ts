// Re-drive decisions live in core: the request a re-drive sends (deliveryRequestOf), whether
// it may be written (redriveRefusal), and the STATE it writes (transition's re-drive branch).
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createStateItem,
  type DeliveryRequest,
  deliveryRequestOf,
  describeRedriveRefusal,
  nextRedrive,
  redriveRefusal,
  type StateItem,
  transition,
} from '../src/index.js';
import { iso, T0 } from '@delivery-history/testkit/itemBuilders';

const Redrive = suite('re-drive: request, refusal, STATE');

const original = (maxAttempts: number | null): DeliveryRequest => ({
  messageId: 'm-1',
  url: 'https://hooks.example.com/in',
  method: 'POST',
  headers: { authorization: 'Bearer abcdefghijklmnop', 'content-type': 'application/json' },
  body: '{"hello":"world"}',
  correlationId: 'c-1',
  maxAttempts,
});

const created = (maxAttempts: number | null): StateItem =>
  createStateItem(original(maxAttempts), { now: new Date(T0), defaultMaxAttempts: 8 });

/** A final FAILED STATE after `attempts` attempts. */
const failed = (s: StateItem, attempts: number): StateItem => ({
  ...s,
  status: 'FAILED',
  attempts,
  retryEligible: false,
  lastUpdatedAt: iso(60_000),
});

const withoutStoredLimit = (s: StateItem): StateItem => {
  const { maxAttempts: _gone, ...request } = s.request;
  return { ...s, request };
};

Redrive('the request is rebuilt from STATE with its own stored maxAttempts (no search)', () => {
  for (const limit of [null, 3]) {
    const s = failed({ ...created(limit), maxAttempts: 9, redrives: 2 }, 2);
    const r = deliveryRequestOf(s);
    assert.ok(E.isRight(r));
    if (E.isLeft(r)) return;
    assert.is(r.right.maxAttempts, limit, 'the request limit, not the re-driven one');
    assert.is(r.right.headers.authorization, '[REDACTED]');
    assert.is(r.right.body, '{"hello":"world"}');
    assert.is(
      createStateItem(r.right, { now: new Date(T0), defaultMaxAttempts: 8 }).request.fingerprint,
      s.request.fingerprint,
    );
  }
});

Redrive('an item written before maxAttempts was stored: found by its fingerprint, or refused after a re-drive', () => {
  for (const limit of [null, 3]) {
    const legacy = withoutStoredLimit(created(limit));
    const r = deliveryRequestOf(legacy);
    assert.ok(E.isRight(r) && r.right.maxAttempts === limit, `limit ${limit}`);
  }
  const redriven = deliveryRequestOf({ ...withoutStoredLimit(created(3)), maxAttempts: 6, redrives: 1 });
  assert.ok(E.isLeft(redriven) && redriven.left._tag === 'RequestNotRebuilt');
});

Redrive('no body: over its budget, or expunged (the true reason, not the budget)', () => {
  const s = failed(created(3), 1);
  const noBody = { ...s, request: { ...s.request, body: null } };
  const budget = deliveryRequestOf(noBody);
  assert.ok(E.isLeft(budget) && budget.left._tag === 'BodyNotStored');
  const expunged = deliveryRequestOf({ ...noBody, expunged: { n: 2, at: iso(1), scope: 'content' } });
  assert.ok(E.isLeft(expunged));
  if (E.isLeft(expunged)) {
    assert.is(expunged.left._tag, 'ContentExpunged');
    assert.match(describeRedriveRefusal(expunged.left), /expunged \(EXPUNGE#2\)/);
    assert.not.match(describeRedriveRefusal(expunged.left), /budget/);
  }
  // a secrets scrub leaves the request: still re-drivable
  assert.ok(E.isRight(deliveryRequestOf({ ...s, expunged: { n: 1, at: iso(1), scope: 'secrets' } })));
});

Redrive('redriveRefusal: transition first (not final), then the request', () => {
  const open = created(3);
  const at = iso(120_000);
  const input = { requestedBy: 'ops', reason: 'fixed', maxAttempts: 4, at };
  assert.is(redriveRefusal(open, nextRedrive(open, input))?._tag, 'NotRedrivable');
  const done = failed(created(3), 3);
  assert.is(redriveRefusal(done, nextRedrive(done, input)), null);
  assert.is(redriveRefusal(done, nextRedrive(done, { ...input, maxAttempts: 3 }))?._tag, 'InvalidEvent');
  const gone = { ...done, expunged: { n: 1, at, scope: 'content' as const }, request: { ...done.request, body: null } };
  assert.is(redriveRefusal(gone, nextRedrive(gone, input))?._tag, 'ContentExpunged');
});

Redrive("transition's re-drive branch sets every field it owns (each one differs before)", () => {
  // a final FAILED STATE whose every re-drive field differs from what the re-drive sets, so
  // dropping any one assignment from the branch changes the result
  const before: StateItem = {
    ...failed(created(3), 3),
    nextAttemptAt: iso(5),
    lease: { leaseId: 'stale', expiresAt: iso(6), claimedAt: iso(4) },
  };
  const rd = nextRedrive(before, { requestedBy: 'ops', reason: 'fixed', maxAttempts: 7, at: iso(180_000) });
  const after = transition(before, rd);
  assert.ok(E.isRight(after));
  if (E.isLeft(after)) return;
  assert.equal(after.right, {
    ...before,
    status: 'PENDING',
    retryEligible: true,
    nextAttemptAt: null,
    maxAttempts: 7,
    redrives: 1,
    lastUpdatedAt: iso(180_000),
    lease: null,
  });
});

Redrive.run();
