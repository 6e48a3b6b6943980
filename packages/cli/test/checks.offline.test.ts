import { fold, rebuildAuditTrail, seedOf, type StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { statusPhrase } from '../src/kit/format/describe.js';
import { decodePartition } from '../src/kit/table/decodePartition.js';
import { findSecrets } from '../src/verify/findSecrets.js';
import { checkDenseAttempts, checkProjection } from '../src/verify/projectionDrift.js';
import { checkTrail } from '../src/verify/trailDrift.js';
import { verifyMessage } from '../src/verify/verifyMessage.js';
import { attempt, pausedHold, redriveItem, seedState } from './support/cliItems.js';

const folded = (attempts = [attempt(1, 'retry'), attempt(2, 'success')]): StateItem => {
  const r = fold(seedState(), attempts, []);
  if (E.isLeft(r)) throw new Error('fixture does not fold');
  return r.right;
};

const Projection = suite('checkProjection');

Projection('a folded state has no drift', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const r = checkProjection(folded(attempts), attempts, []);
  assert.ok(E.isRight(r) && r.right.fields.length === 0);
});

Projection('a hand-corrupted field is named with stored and expected values', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const corrupt = { ...folded(attempts), status: 'FAILED' as const };
  const r = checkProjection(corrupt, attempts, []);
  assert.ok(E.isRight(r));
  if (E.isRight(r)) assert.equal(r.right.fields, [{ field: 'status', stored: 'FAILED', expected: 'SUCCESS' }]);
});

Projection('a live claim (PROCESSING + lease) is not drift', () => {
  const attempts = [attempt(1, 'retry')];
  const claimed: StateItem = {
    ...folded(attempts),
    status: 'PROCESSING',
    lease: { leaseId: 'l', claimedAt: '2025-01-01T00:02:00.000Z', expiresAt: '2025-01-01T00:04:00.000Z' },
  };
  const r = checkProjection(claimed, attempts, []);
  assert.ok(E.isRight(r) && r.right.fields.length === 0);
});

Projection('attempts that do not fold are reported', () => {
  const r = checkProjection(folded(), [attempt(1, 'success'), attempt(2, 'success')], []);
  assert.ok(E.isLeft(r) && /do not fold/.test(r.left));
});

Projection('dense numbering and STATE.attempts', () => {
  const s = folded();
  assert.equal(checkDenseAttempts(s, [attempt(1, 'retry'), attempt(2, 'success')]), []);
  const gap = checkDenseAttempts({ ...s, attempts: 2 }, [attempt(1, 'retry'), attempt(3, 'success')]);
  assert.ok(gap.some((p) => /not 1\.\.2/.test(p)));
  const count = checkDenseAttempts({ ...s, attempts: 5 }, [attempt(1, 'retry'), attempt(2, 'success')]);
  assert.ok(count.some((p) => /STATE.attempts is 5 but 2/.test(p)));
});

const Trail = suite('checkTrail');

Trail('equal, behind (prefix), mismatch', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'retry'), attempt(3, 'final')];
  const full = rebuildAuditTrail(attempts, []);
  assert.is(checkTrail(full, attempts, []), null);
  assert.equal(checkTrail(full.slice(0, 1), attempts, []), { kind: 'behind', stored: 1, expected: 3 });
  const wrong = [full[0], { ...full[1], statusCode: 200 }, full[2]] as typeof full;
  assert.equal(checkTrail(wrong, attempts, []), { kind: 'mismatch', stored: 3, expected: 3, at: 1 });
});

const Secrets = suite('findSecrets');

Secrets('redacted items are clean; unredacted headers, query and texts are found', () => {
  assert.equal(findSecrets(seedState() as unknown as Record<string, unknown>), []);
  const leaky = {
    request: {
      url: 'https://u:p@hooks.example.com/in?token=abc&page=2',
      headers: { Authorization: 'Bearer abcdefghijkl', 'x-trace': 'ok' },
    },
    response: { headers: { 'set-cookie': 'sid=1' } },
    deliveryResult: { errorDetails: { message: 'echo: Bearer zzzzzzzzzzzz', responseSnippet: 'AKIAABCDEFGHIJKLMNOP' } },
  };
  const found = findSecrets(leaky).map((f) => `${f.path}:${f.pattern}`);
  assert.ok(found.includes('request.url:URL user-info'), found.join());
  assert.ok(found.includes('request.url?token:unredacted sensitive query parameter'));
  assert.ok(found.includes('request.headers.Authorization:unredacted sensitive header'));
  assert.ok(found.includes('response.headers.set-cookie:unredacted sensitive header'));
  assert.ok(found.includes('deliveryResult.errorDetails.message:bearer token'));
  assert.ok(found.includes('deliveryResult.errorDetails.responseSnippet:AWS access key id'));
  assert.not.ok(found.some((f) => f.includes('x-trace') || f.includes('page')));
});

const Verify = suite('verifyMessage');

const raw = (sk: string, item: object) => ({ pk: 'MSG#m-1', sk, ...item });

Verify('a consistent message passes; corruption, size and trail problems are each reported', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const state = folded(attempts);
  const items = [raw('STATE', state), ...attempts.map((a) => raw(`ATTEMPT#00000${a.attemptNumber}`, a))];
  const trail = rebuildAuditTrail(attempts, []);
  const now = new Date('2030-01-01T00:00:00Z');
  const opts = { stalledAfterMs: 3_600_000, now };
  const ok = verifyMessage(decodePartition('m-1', items), {
    ...opts,
    itemBudgetBytes: 350_000,
    trailOf: () => E.right({ entries: trail }),
  });
  assert.equal(ok, []);
  const bad = verifyMessage(
    decodePartition('m-1', [
      raw('STATE', { ...state, attempts: 3 }),
      ...items.slice(1),
      raw('ATTEMPT#000009', { junk: true }),
    ]),
    { ...opts, itemBudgetBytes: 500, trailOf: () => E.right({ entries: trail.slice(0, 1) }) },
  );
  const checks = new Set(bad.map((v) => v.check));
  for (const c of ['decode', 'item-size', 'dense-attempts', 'projection', 'audit-trail-behind'])
    assert.ok(checks.has(c as never), c);
});

Verify('a message no worker came back to is reported as stalled, with what it waits for', () => {
  const attempts = [attempt(1, 'retry')];
  const state = folded(attempts);
  const items = [raw('STATE', state), raw('ATTEMPT#000001', attempts[0] ?? {})];
  const trailOf = () => E.right({ entries: rebuildAuditTrail(attempts, []) });
  const due = Date.parse(state.nextAttemptAt ?? '');
  const check = (nowMs: number, stalledAfterMs: number) =>
    verifyMessage(decodePartition('m-1', items), {
      itemBudgetBytes: 350_000,
      trailOf,
      stalledAfterMs,
      now: new Date(nowMs),
    });
  assert.equal(check(due + 3_600_000, 3_600_000), [], 'not past the threshold');
  const found = check(due + 3_600_001, 3_600_000);
  assert.equal(
    found.map((v) => v.check),
    ['stalled'],
  );
  assert.match(found[0]?.detail ?? '', `FAILED, waiting for its retry since ${state.nextAttemptAt}`);
  assert.match(found[0]?.detail ?? '', 'dh replay redrive --message m-1');
  const done = [attempt(1, 'retry'), attempt(2, 'success')];
  const final = [raw('STATE', folded(done)), ...done.map((a) => raw(`ATTEMPT#00000${a.attemptNumber}`, a))];
  const years = verifyMessage(decodePartition('m-1', final), {
    itemBudgetBytes: 350_000,
    trailOf: () => E.right({ entries: rebuildAuditTrail(done, []) }),
    stalledAfterMs: 0,
    now: new Date(due + 1e12),
  });
  assert.equal(years, [], 'a final message never stalls');
});

Verify('a PROCESSING lease past its end: a lease-expired warning at once, the same words as history', () => {
  const attempts = [attempt(1, 'retry')];
  const expiresAt = Date.parse('2025-01-01T00:04:00.000Z');
  const claimed: StateItem = {
    ...folded(attempts),
    status: 'PROCESSING',
    lease: { leaseId: 'l', claimedAt: '2025-01-01T00:02:00.000Z', expiresAt: new Date(expiresAt).toISOString() },
  };
  const items = [raw('STATE', claimed), raw('ATTEMPT#000001', attempts[0] ?? {})];
  const at = (nowMs: number) =>
    verifyMessage(decodePartition('m-1', items), {
      itemBudgetBytes: 350_000,
      trailOf: () => E.right({ entries: rebuildAuditTrail(attempts, []) }),
      stalledAfterMs: 3_600_000,
      now: new Date(nowMs),
    });
  assert.equal(at(expiresAt - 1), [], 'a live lease');
  const expired = at(expiresAt + 13_000);
  assert.equal(
    expired.map((v) => [v.check, v.detail]),
    [
      [
        'lease-expired',
        'PROCESSING, lease expired 13s ago: no worker is coming back; dh replay redrive --stalled --stalled-after 0s',
      ],
    ],
  );
  assert.equal(
    at(expiresAt + 3_600_001).map((v) => v.check),
    ['stalled'],
    'past --stalled-after it is a stall, said once',
  );
  assert.is(statusPhrase(claimed, new Date(expiresAt - 1)), 'PROCESSING (delivery in flight)');
  assert.is(statusPhrase(claimed, new Date(expiresAt + 13_000)), `PROCESSING, ${expired[0]?.detail.slice(12)}`);
});

// the re-drive request and refusals are core's: packages/core/test/redriveRefusal.offline.test.ts
const Redrive = suite('redrive');

Redrive('a redrive item folds the message open again', () => {
  const attempts = [attempt(1, 'final')];
  const s = fold(seedOf(folded(attempts)), attempts, [redriveItem(1, 1, 4)]);
  assert.ok(E.isRight(s) && s.right.status === 'PENDING' && s.right.maxAttempts === 4);
});

Projection.run();
Trail.run();
Secrets.run();
Verify('held (invariant 11): holds fold into STATE; an attempt made inside a hold is reported', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const run = (releasedAtMs: number) => {
    const holds = [pausedHold(1, 'held', 70_000), pausedHold(2, 'released', releasedAtMs)];
    const state = fold(seedState(), attempts, [], holds);
    if (E.isLeft(state)) throw new Error('fixture does not fold');
    const items = [
      raw('STATE', state.right),
      ...attempts.map((a) => raw(`ATTEMPT#00000${a.attemptNumber}`, a)),
      ...holds.map((h) => raw(`HOLD#000${h.holdNumber}`, h)),
    ];
    return verifyMessage(decodePartition('m-1', items), {
      itemBudgetBytes: 350_000,
      trailOf: () => E.right({ entries: rebuildAuditTrail(attempts, [], holds) }),
      stalledAfterMs: 3_600_000,
      now: new Date('2030-01-01T00:00:00Z'),
    });
  };
  assert.equal(run(80_000), [], 'released before attempt 2 (at 120 s): clean');
  const inside = run(200_000);
  assert.equal(
    inside.map((v) => v.check),
    ['held'],
  );
  assert.match(inside[0]?.detail ?? '', /ATTEMPT#2 .* made while HOLD#1 held .* until HOLD#2 released/);
});

Verify.run();
Redrive.run();
