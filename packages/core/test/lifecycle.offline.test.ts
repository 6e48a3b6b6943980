// The lifecycle rules in core: retention's TTL, and what an expunge keeps and removes
// (property: idempotent, and fold/rebuildAuditTrail see the same outcome metadata).
import * as E from 'fp-ts/lib/Either.js';
import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttemptItem,
  decodeWith,
  diffProjection,
  expungeAttempt,
  expungeState,
  fold,
  isExpired,
  projectionFields,
  rebuildAuditTrail,
  retentionExpiry,
  seedOf,
  StateItem,
} from '../src/index.js';
import { EXPUNGED } from '../src/testing.js';
import { attempt, historyArb, seedState } from '@delivery-history/testkit/itemBuilders';

const L = suite('lifecycle: retention and expunge rules');

const mark = { n: 1, at: '2025-02-01T00:00:00.000Z', scope: 'content' as const };

L('retention: final messages expire days after their last live attempt; others never', () => {
  const final = { status: 'FAILED' as const, retryEligible: false, lastDeliveryAttempt: '2025-01-01T00:00:00.000Z' };
  assert.is(retentionExpiry(final, 2), Date.parse('2025-01-03T00:00:00.000Z') / 1000);
  assert.is(retentionExpiry(final, null), null);
  assert.is(retentionExpiry({ ...final, retryEligible: true }, 2), null);
  assert.is(retentionExpiry({ ...final, status: 'PENDING' }, 2), null);
  assert.ok(isExpired(100, new Date(100_000)));
  assert.not.ok(isExpired(101, new Date(100_000)));
  assert.not.ok(isExpired(undefined, new Date()));
});

L('content expunge removes headers, snippet, reason phrase; keeps the outcome metadata; decodes', () => {
  const a = attempt(1, 'final');
  const withContent: AttemptItem = {
    ...a,
    request: { ...a.request, headers: { 'x-customer': 'ada' } },
    response: { headers: { 'content-type': 'text/plain' } },
  };
  const x = expungeAttempt(withContent, { scope: 'content' }, mark);
  assert.ok(x !== null);
  assert.equal(x.request.headers, {});
  assert.equal(x.response, { headers: {} });
  assert.is(x.deliveryResult.statusText, null);
  assert.is(x.deliveryResult.errorDetails?.responseSnippet ?? null, null);
  if (x.deliveryResult.errorDetails !== null) assert.is(x.deliveryResult.errorDetails.message, EXPUNGED);
  assert.is(x.deliveryResult.statusCode, a.deliveryResult.statusCode);
  assert.is(x.deliveryResult.category, a.deliveryResult.category);
  assert.is(x.deliveryResult.responseTime, a.deliveryResult.responseTime);
  assert.equal(x.expunged, mark);
  assert.equal(decodeWith(AttemptItem, x), E.right(x));
  assert.is(expungeAttempt(x, { scope: 'content' }, { ...mark, n: 2 }), null, 'a second expunge changes nothing');
  const s = expungeState(
    { ...seedState(), request: { ...seedState().request, body: '{"a":1}' } },
    { scope: 'content' },
    mark,
  );
  assert.ok(s !== null);
  assert.is(s.request.body, null);
  assert.equal(decodeWith(StateItem, s), E.right(s));
});

L('property: fold and the audit trail of expunged attempts equal those of the originals, expunged', () => {
  fc.assert(
    fc.property(historyArb, (h) => {
      const expunged = h.attempts.map((a) => expungeAttempt(a, { scope: 'content' }, mark) ?? a);
      assert.equal(
        rebuildAuditTrail(expunged, h.redrives),
        rebuildAuditTrail(h.attempts, h.redrives),
        'the trail holds no content',
      );
      const seed = seedOf(seedState('m-1', h.maxAttempts));
      const original = fold(seed, h.attempts, h.redrives);
      const after = fold(seed, expunged, h.redrives);
      assert.is(E.isRight(after), E.isRight(original));
      if (E.isRight(original) && E.isRight(after)) {
        const diff = diffProjection(projectionFields(original.right), projectionFields(after.right));
        assert.ok(
          diff.every((f) => f === 'deliveryResult'),
          diff.join(','),
        );
        assert.equal(after.right.deliveryResult?.statusCode, original.right.deliveryResult?.statusCode);
      }
    }),
    { numRuns: 200 },
  );
});

L.run();
