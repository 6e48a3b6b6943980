import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCaughtUp } from '../src/poller/caughtUp.js';

const Waiters = suite('caughtUp: waiters resolved when every shard is drained after the call');

/** Whether `p` has settled, and how, after the microtasks queued so far. */
const state = async (p: Promise<void>): Promise<'pending' | 'ok' | 'failed'> => {
  let s: 'pending' | 'ok' | 'failed' = 'pending';
  p.then(
    () => {
      s = 'ok';
    },
    () => {
      s = 'failed';
    },
  );
  await new Promise((ok) => setImmediate(ok));
  return s;
};

Waiters('needs a refresh and an empty read of every shard, both started after the call', async () => {
  const c = makeCaughtUp();
  c.track('a');
  c.track('b');
  const before = c.nextTick();
  const w = c.wait();
  c.drained('a', before);
  c.refreshed(before);
  assert.is(await state(w), 'pending', 'reads that started before the call do not count');
  const t = c.nextTick();
  c.refreshed(t);
  c.drained('a', c.nextTick());
  assert.is(await state(w), 'pending', 'b not drained yet');
  c.drained('b', c.nextTick());
  assert.is(await state(w), 'ok');
});

Waiters('an ended shard is never waited for again, even by later waiters', async () => {
  const c = makeCaughtUp();
  c.track('closed');
  c.track('open');
  c.ended('closed');
  c.drained('closed', c.nextTick());
  const w = c.wait();
  c.refreshed(c.nextTick());
  c.drained('open', c.nextTick());
  assert.is(await state(w), 'ok');
});

Waiters('awaitedAfter says whether a read at a tick is needed now', () => {
  const c = makeCaughtUp();
  const t1 = c.nextTick();
  assert.not.ok(c.awaitedAfter(t1), 'nobody waits');
  void c.wait().catch(() => undefined);
  assert.ok(c.awaitedAfter(t1), 'a waiter since t1 needs a read started at t1 or later');
  assert.not.ok(c.awaitedAfter(c.nextTick()), 'a read started after the call satisfies it');
  c.failAll(new Error('stop'));
});

Waiters('failAll rejects every pending waiter once; resolved ones stay resolved', async () => {
  const c = makeCaughtUp();
  const first = c.wait();
  c.refreshed(c.nextTick());
  assert.is(await state(first), 'ok', 'no shards: a refresh suffices');
  const second = c.wait();
  c.failAll(new Error('poller stopped'));
  assert.is(await state(second), 'failed');
  assert.not.ok(c.awaitedAfter(0));
});

Waiters.run();
