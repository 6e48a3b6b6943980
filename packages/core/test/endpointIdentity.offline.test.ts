// One endpoint identity (issue 23): case, a trailing dot, default ports and IDN are
// normalized by one function, used for the stored endpoint (indexes, health) and for filters.
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  endpointHealthOf,
  endpointKeysOf,
  endpointOf,
  type HealthBucket,
  HealthBucketItem,
  normalizeEndpoint,
  parseEndpointFilter,
} from '../src/index.js';
import { endpointMatches } from '../src/testing.js';

const Identity = suite('endpoint identity');

Identity('case, a trailing dot, default ports and IDN give one endpoint', () => {
  for (const url of [
    'http://h.example./',
    'http://H.Example:80/',
    'http://h.example/',
    'https://h.example/',
    'https://H.EXAMPLE.:443/x?y=1',
    'http://h.example.:80/a',
    'http://user:pw@h.example./',
  ])
    assert.is(endpointOf(url), 'h.example', url);
  assert.is(endpointOf('http://bücher.example./'), 'xn--bcher-kva.example');
  assert.is(endpointOf('http://BÜCHER.example:80/'), 'xn--bcher-kva.example');
  assert.is(endpointOf('http://h.example:8080/'), 'h.example:8080');
  assert.is(endpointOf('http://h.example.:443/'), 'h.example:443', '443 is not http’s default');
  assert.is(endpointOf('https://h.example:80/'), 'h.example:80');
  assert.is(endpointOf('http://[::1]:80/'), '[::1]');
  assert.is(endpointOf('http://[0:0::1]:8080/'), '[::1]:8080');
  assert.is(endpointOf('not a url'), '');
});

Identity('the normalization is the identity on every key the old rule wrote, but a trailing dot', () => {
  // the rule before issue 23: the URL parser's host, lower-cased
  const oldEndpointOf = (url: string): string => (URL.canParse(url) ? new URL(url).host.toLowerCase() : '');
  fc.assert(
    fc.property(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }), (url) => {
      const old = oldEndpointOf(url);
      if (new URL(url).hostname.endsWith('.')) assert.is(endpointOf(url), normalizeEndpoint(old), url);
      else assert.is(endpointOf(url), old, url);
    }),
  );
});

const filter = (text: string) => {
  const f = parseEndpointFilter(text);
  if (E.isLeft(f)) throw new Error(f.left);
  return f.right;
};

Identity('a filter (`--endpoint`) is read by the same rule; URLs and garbage are refused with a reason', () => {
  assert.equal(filter('H.Example.:80'), { host: 'h.example', port: 80 });
  assert.equal(filter(' h.example '), { host: 'h.example', port: null });
  assert.equal(filter('bücher.example'), { host: 'xn--bcher-kva.example', port: null });
  assert.equal(filter('[0::1]:8080'), { host: '[::1]', port: 8080 });
  assert.equal(filter('127.0.0.1:4000'), { host: '127.0.0.1', port: 4000 });
  for (const bad of [
    '',
    ' ',
    'http://h.example/',
    'h.example:0',
    'h.example:99999',
    'a b',
    'h.example/path',
    ':80',
    'h:x',
  ])
    assert.ok(E.isLeft(parseEndpointFilter(bad)), JSON.stringify(bad));
  const url = parseEndpointFilter('https://h.example/');
  assert.match(E.isLeft(url) ? url.left : '', /not a URL/);
});

Identity(
  'matching: a bare host matches every port; :80 and :443 also match the default-port endpoint; old forms match',
  () => {
    const stored = ['h.example', 'h.example.', 'h.example:8080', 'h.example.:8080', 'h.example:80', 'other.example'];
    const matching = (text: string) => stored.filter((e) => endpointMatches(filter(text), e));
    assert.equal(matching('h.example'), [
      'h.example',
      'h.example.',
      'h.example:8080',
      'h.example.:8080',
      'h.example:80',
    ]);
    assert.equal(matching('H.EXAMPLE.:80'), ['h.example', 'h.example.', 'h.example:80']);
    assert.equal(matching('h.example:443'), ['h.example', 'h.example.']);
    assert.equal(matching('h.example:8080'), ['h.example:8080', 'h.example.:8080']);
    assert.not.ok(endpointMatches(filter('h.example'), 'not an endpoint at all'));
  },
);

Identity('the stored keys an exact read queries: the normal form and the forms older writers stored', () => {
  assert.equal(endpointKeysOf(filter('H.Example.')), ['h.example', 'h.example.']);
  assert.equal(endpointKeysOf(filter('h.example:80')), ['h.example', 'h.example:80', 'h.example.', 'h.example.:80']);
  assert.equal(endpointKeysOf(filter('h.example:8080')), ['h.example:8080', 'h.example.:8080']);
  assert.equal(endpointKeysOf(filter('[::1]')), ['[::1]']);
  assert.equal(endpointKeysOf(filter('127.0.0.1:4000')), ['127.0.0.1:4000']);
});

Identity('health: a bucket an older projector keyed by the trailing-dot form counts for the one endpoint', () => {
  const bucket = (endpoint: string, shard: number): HealthBucket => {
    const b = HealthBucketItem.decode({ type: 'HEALTH', endpoint, hour: '2025-06-01T12', shard, n: 2, c_success: 1 });
    if (E.isLeft(b)) throw new Error('bucket does not decode');
    return b.right;
  };
  assert.is(bucket('h.example.', 1).endpoint, 'h.example.', 'the bucket keeps its stored key (replay zeroes it)');
  const rows = endpointHealthOf([bucket('h.example', 0), bucket('h.example.', 1), bucket('other.example', 0)]);
  assert.equal(rows.map((r) => [r.endpoint, r.deliveries]).sort(), [
    ['h.example', 4],
    ['other.example', 2],
  ]);
});

Identity.run();
