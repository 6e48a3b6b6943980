// Per-endpoint credentials (issue 28): the configuration's decoder and its policy check, where
// the value goes on the request, and the per-container cache's bounded staleness (fake clock).
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeClock } from '@delivery-history/testkit/fakeClock';
import { applyEndpointCredential } from '../src/credentials/applyEndpointCredential.js';
import { cachingSecretSource } from '../src/credentials/secretCache.js';
import {
  checkCredentialPlacements,
  type DeliveryRequest,
  defaultSecretPolicy,
  makeSecretPolicy,
  endpointCredentialer,
  parseEndpointCredentials,
  type SecretSource,
} from '../src/index.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partner-AbCdEf';

const request = (url: string, headers: Record<string, string> = {}): DeliveryRequest => ({
  messageId: 'm-1',
  url,
  method: 'POST',
  headers,
  body: '{}',
  correlationId: 'c-1',
  maxAttempts: null,
});

const config = (json: unknown) => parseEndpointCredentials(JSON.stringify(json));

const Config = suite('endpoint credentials: the configuration');

Config('keys are endpoints in core normal form; header names lower-cased; prefix kept', () => {
  const c = config({ 'API.Partner.Example.:443': { secret: ARN, header: 'Authorization', prefix: 'Bearer ' } });
  assert.ok(E.isRight(c));
  const entry = E.isRight(c) ? c.right.get('api.partner.example:443') : undefined;
  assert.equal(entry?.placement, { kind: 'header', name: 'authorization', prefix: 'Bearer ' });
  assert.is(entry?.secretId, ARN);
});

Config('bad input: one line naming the endpoint or path, never a value that looks secret', () => {
  const bad = [
    ['not json', '{'],
    ['url as key', JSON.stringify({ 'https://x.example/': { secret: ARN, header: 'authorization' } })],
    ['neither header nor query', JSON.stringify({ 'x.example': { secret: ARN } })],
    ['bad header name', JSON.stringify({ 'x.example': { secret: ARN, header: 'bad header' } })],
    ['secret with spaces', JSON.stringify({ 'x.example': { secret: 'tok en', header: 'authorization' } })],
    [
      'twice after normalizing',
      JSON.stringify({ 'X.example': { secret: ARN, query: 'key' }, 'x.example.': { secret: ARN, query: 'key' } }),
    ],
  ] as const;
  for (const [what, text] of bad) {
    const r = parseEndpointCredentials(text);
    assert.ok(E.isLeft(r), what);
    if (E.isLeft(r)) {
      assert.not.match(r.left, /\n/, what);
      assert.not.ok(r.left.includes('tok en'), `${what}: the secret field is redacted`);
    }
  }
});

Config('the placement must be one the secret policy redacts (one policy: storage, logs, verify)', () => {
  const c = config({ 'x.example': { secret: ARN, header: 'X-Partner-Id' } });
  assert.ok(E.isRight(c));
  if (E.isLeft(c)) return;
  const refused = checkCredentialPlacements(c.right, defaultSecretPolicy);
  assert.ok(E.isLeft(refused) && refused.left.includes('DELIVERY_REDACT_HEADERS'));
  const policy = makeSecretPolicy({
    redactHeaders: ['x-partner-*'],
    redactParams: [],
    redactPaths: [],
    keepResponseHeaders: [],
  });
  assert.ok(E.isRight(policy));
  if (E.isRight(policy)) assert.ok(E.isRight(checkCredentialPlacements(c.right, policy.right)));
  const own = config({ 'x.example': { secret: ARN, header: 'webhook-signature' } });
  if (E.isRight(own)) assert.ok(E.isLeft(checkCredentialPlacements(own.right, defaultSecretPolicy)));
  const param = config({ 'x.example': { secret: ARN, query: 'page' } });
  if (E.isRight(param)) assert.ok(E.isLeft(checkCredentialPlacements(param.right, defaultSecretPolicy)));
  const key = config({ 'x.example': { secret: ARN, query: 'api_key' } });
  if (E.isRight(key)) assert.ok(E.isRight(checkCredentialPlacements(key.right, defaultSecretPolicy)));
});

Config.run();

const Apply = suite('endpoint credentials: applied to the request');

const staticSource =
  (values: Record<string, string>): SecretSource =>
  async (id) =>
    values[id] === undefined ? E.left(`no secret ${id}`) : E.right(values[id] as string);

const cacheOf = (values: Record<string, string>) =>
  cachingSecretSource(staticSource(values), { ttlMs: 60_000, clock: fakeClock().now });

Apply('a header: replaces the message own (any case), keeps its other headers; other endpoints untouched', async () => {
  const c = config({ 'x.example:8443': { secret: 's1', header: 'Authorization', prefix: 'Bearer ' } });
  assert.ok(E.isRight(c));
  if (E.isLeft(c)) return;
  const cache = cacheOf({ s1: 'T-from-the-store\n' });
  const r = await applyEndpointCredential(
    c.right,
    cache,
    request('https://x.example:8443/in', { AUTHORIZATION: 'Bearer old', 'X-Trace': 't' }),
  );
  assert.equal(E.isRight(r) ? r.right.headers : null, { 'X-Trace': 't', authorization: 'Bearer T-from-the-store' });
  const other = request('https://x.example/in', { a: 'b' });
  assert.equal(await applyEndpointCredential(c.right, cache, other), E.right(other), 'port is part of the identity');
});

Apply('a query parameter: replaces the same name, other parameters and the fragment byte for byte', async () => {
  const c = config({ 'x.example': { secret: 's1', query: 'api_key' } });
  if (E.isLeft(c)) return assert.unreachable(c.left);
  const r = await applyEndpointCredential(
    c.right,
    cacheOf({ s1: 'K/+ =' }),
    request('https://x.example/in?a=%20b&api_key=old&c=1#frag'),
  );
  assert.is(E.isRight(r) ? r.right.url : '', 'https://x.example/in?a=%20b&c=1&api_key=K%2F%2B%20%3D#frag');
});

Apply('unreadable: Left naming endpoint and secret', async () => {
  const c = config({ 'x.example': { secret: 'missing', query: 'api_key' } });
  if (E.isLeft(c)) return assert.unreachable(c.left);
  const r = await applyEndpointCredential(c.right, cacheOf({}), request('https://x.example/'));
  assert.equal(r, E.left({ endpoint: 'x.example', secretId: 'missing', reason: 'no secret missing' }));
});

Apply.run();

const Cache = suite('endpoint credentials: the cache honours its staleness');

Cache('served from memory for ttl; then read again; one read at a time; stale-if-error up to 2 x ttl', async () => {
  const clock = fakeClock();
  let value = 'v1';
  let fail = false;
  let reads = 0;
  const source: SecretSource = async () => {
    reads++;
    return fail ? E.left('ThrottlingException') : E.right(value);
  };
  const stale: string[] = [];
  const cache = cachingSecretSource(source, {
    ttlMs: 300_000,
    clock: clock.now,
    onStale: (id, why) => stale.push(`${id}: ${why}`),
  });
  // concurrent first reads coalesce
  const firsts = await Promise.all([cache.get('s'), cache.get('s'), cache.get('s')]);
  assert.equal(firsts, [E.right('v1'), E.right('v1'), E.right('v1')]);
  assert.is(reads, 1);
  value = 'v2'; // rotated in the store
  clock.advance(299_999);
  assert.equal(await cache.get('s'), E.right('v1'), 'within the ttl: the cached value, no read');
  assert.is(reads, 1);
  clock.advance(1);
  assert.equal(await cache.get('s'), E.right('v2'), 'at the ttl: read again');
  assert.is(reads, 2);
  fail = true;
  clock.advance(300_000);
  assert.equal(await cache.get('s'), E.right('v2'), 'refresh failed: the old value, younger than 2 x ttl');
  assert.equal(stale, ['s: ThrottlingException']);
  clock.advance(299_999);
  assert.equal(await cache.get('s'), E.right('v2'));
  clock.advance(1);
  assert.equal(await cache.get('s'), E.left('ThrottlingException'), 'at 2 x ttl: the failure is the answer');
  fail = false;
  assert.equal(await cache.get('s'), E.right('v2'));
  cache.invalidate('s');
  value = 'v3';
  assert.equal(await cache.get('s'), E.right('v3'), 'invalidated: read at once');
});

Cache('an empty or throwing source is a Left, never a cached value', async () => {
  const clock = fakeClock();
  const empty = cachingSecretSource(async () => E.right('  \n'), { ttlMs: 1000, clock: clock.now });
  assert.equal(await empty.get('s'), E.left('the secret is empty'));
  const throws = cachingSecretSource(
    async () => {
      throw new Error('socket hang up');
    },
    { ttlMs: 1000, clock: clock.now },
  );
  assert.equal(await throws.get('s'), E.left('socket hang up'));
});

Cache('a receiver refusing the credential (401/403): read again for the next send, at most once a minute', async () => {
  const clock = fakeClock();
  let value = 'old-token';
  let reads = 0;
  const source: SecretSource = async () => {
    reads++;
    return E.right(value);
  };
  const c = config({ 'x.example': { secret: 's1', header: 'Authorization', prefix: 'Bearer ' } });
  if (E.isLeft(c)) return assert.unreachable(c.left);
  const creds = endpointCredentialer(c.right, source, { ttlMs: 300_000, clock: clock.now });
  const auth = async () => {
    const r = await creds.apply(request('https://x.example/in'));
    return E.isRight(r) ? r.right.headers.authorization : null;
  };
  assert.is(await auth(), 'Bearer old-token');
  value = 'new-token'; // rotated; the receiver now refuses the old one
  clock.advance(59_999);
  assert.is(creds.refused('https://x.example/in'), null, 'read less than a minute ago: kept');
  assert.is(await auth(), 'Bearer old-token');
  clock.advance(1);
  assert.is(creds.refused('https://other.example/'), null, 'no credential for that endpoint');
  assert.is(creds.refused('https://x.example/in'), 's1');
  assert.is(await auth(), 'Bearer new-token', 'read again at once, well within the TTL');
  assert.is(reads, 2);
});

Cache.run();
