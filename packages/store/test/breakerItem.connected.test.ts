// The endpoint breaker's item against DynamoDB Local: core decides, the store writes
// conditioned on the version it read, so of racing workers exactly one takes the probe.
import { breaker } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as assert from 'uvu/assert';
import { left, right, storeSuite } from './support/storeFixtures.js';

const Breaker = storeSuite('breaker item (conditional on version)', 'store-breaker');

const T0 = Date.parse('2026-06-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const tripped = (endpoint: string) =>
  breaker.observe(
    breaker.initial(endpoint, iso(0)),
    [1, 2, 3, 4, 5].map((i) => ({
      endpoint,
      messageId: `m-${i}`,
      at: iso(i * 1000),
      marker: `${iso(i * 1000)}#m-${i}#000001`,
      verdict: 'fail' as const,
    })),
    breaker.DEFAULT_SETTINGS,
  ).state;

Breaker('no item reads as null; a first write and a re-read round-trip through the codec', async ({ store }) => {
  assert.is(await right(store.readBreaker('a.example')), null);
  const s = tripped('a.example');
  assert.is(s.version, 1);
  await right(store.writeBreaker(s, 0));
  assert.equal(await right(store.readBreaker('a.example', true)), s);
});

Breaker('a stale writer gets Conflict (two projector batches racing)', async ({ store }) => {
  const s = tripped('b.example');
  await right(store.writeBreaker(s, 0));
  const again = await left(store.writeBreaker(s, 0));
  assert.is(again._tag, 'Conflict');
});

Breaker('half-open: of 8 workers taking the probe from the same read, exactly one wins', async ({ store }) => {
  const s = tripped('c.example');
  await right(store.writeBreaker(s, 0));
  const read = await right(store.readBreaker('c.example', true));
  if (read === null) throw new Error('no breaker');
  const now = new Date(Date.parse(read.openUntil ?? iso(0)) + 1);
  const attempts = Array.from({ length: 8 }, (_, i) => {
    const move = breaker.takeProbe(read, `probe-${i}`, now, breaker.DEFAULT_SETTINGS);
    if (E.isLeft(move)) throw new Error('the cool-off is over: a probe is allowed');
    return store.writeBreaker(move.right.state, read.version)();
  });
  const results = await Promise.all(attempts);
  const wins = results.filter(E.isRight);
  assert.is(wins.length, 1);
  assert.ok(results.filter(E.isLeft).every((r) => r.left._tag === 'Conflict'));
  const after = await right(store.readBreaker('c.example', true));
  assert.is(after?.mode, 'half_open');
  assert.is(after?.probe?.messageId, wins[0]?.right.probe?.messageId);
});

Breaker('listBreakers answers every endpoint from one partition', async ({ store }) => {
  const paused = breaker.pause(breaker.initial('d.example', iso(0)), 'INC-9', 'ops@example.com', iso(1));
  await right(store.writeBreaker(paused.state, 0));
  const all = await right(store.listBreakers());
  const byEndpoint = new Map(all.map((b) => [b.endpoint, b.mode]));
  assert.is(byEndpoint.get('d.example'), 'paused');
  assert.is(byEndpoint.get('c.example'), 'half_open');
});

Breaker.run();
