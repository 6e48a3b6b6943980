import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type StateItem, stalled, transition } from '../src/index.js';
import { type StateEvent, waitingSince } from '../src/testing.js';
import { attempt, iso, redrive, seedState, T0 } from '@delivery-history/testkit/itemBuilders';

const Stall = suite('stalled (a non-final message no worker came back to)');

const apply = (state: StateItem, ...events: StateEvent[]): StateItem =>
  events.reduce((s, e) => {
    const r = transition(s, e);
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    return r.right;
  }, state);
const at = (ms: number) => new Date(T0 + ms);
const HOUR = 3_600_000;

Stall('a final message never stalls, however old', () => {
  assert.is(waitingSince(apply(seedState(), attempt(1, 'success'))), null);
  assert.is(waitingSince(apply(seedState(), attempt(1, 'final'))), null);
  assert.is(stalled(apply(seedState(), attempt(1, 'final')), at(1000 * HOUR), 0), null);
});

Stall('PENDING waits for a claim since it was created (or reopened)', () => {
  const s = seedState();
  assert.equal(waitingSince(s), { waitingFor: 'claim', since: iso(0) });
  assert.is(stalled(s, at(HOUR), HOUR), null, 'exactly at the threshold is not yet stalled');
  assert.equal(stalled(s, at(HOUR + 1), HOUR), { waitingFor: 'claim', since: iso(0), overdueMs: HOUR + 1 });
  const reopened = apply(seedState(), attempt(1, 'final'), redrive(1, 1, 3));
  assert.equal(
    waitingSince(reopened),
    { waitingFor: 'claim', since: iso(61_000) },
    'the clock restarts at the re-drive',
  );
  assert.is(stalled(reopened, at(61_000 + HOUR), HOUR), null);
});

Stall('PROCESSING waits for its lease to run out, not for its claim', () => {
  const s: StateItem = {
    ...seedState(),
    status: 'PROCESSING',
    lease: { leaseId: 'l', claimedAt: iso(0), expiresAt: iso(2 * HOUR) },
  };
  assert.equal(waitingSince(s), { waitingFor: 'lease-expiry', since: iso(2 * HOUR) });
  assert.is(stalled(s, at(2 * HOUR + 30 * 60_000), HOUR), null, 'a long lease is not a stall');
  assert.equal(stalled(s, at(3 * HOUR + 1), HOUR)?.overdueMs, HOUR + 1);
});

Stall('a scheduled retry waits from nextAttemptAt', () => {
  const s = apply(seedState(), attempt(1, 'retry'));
  assert.equal(waitingSince(s), { waitingFor: 'retry', since: s.nextAttemptAt });
  const due = Date.parse(s.nextAttemptAt ?? '');
  assert.is(stalled(s, new Date(due + HOUR), HOUR), null);
  assert.ok(stalled(s, new Date(due + HOUR + 1), HOUR));
});

Stall.run();
