import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type DeliveryRequest, defaultSecretPolicy, findSecrets } from '../src/index.js';
import { REDACTED } from '../src/redaction/names.js';
import { redactHeaders } from '../src/redaction/redact.js';
import { redactSentHeadersWith } from '../src/redaction/request.js';
import { isSensitiveHeaderName, isSensitiveParamName, redactRequest, redactUrl } from '../src/testing.js';

const Redaction = suite('redaction');

Redaction('sensitive headers by name, case-insensitive', () => {
  const sensitive = [
    'Authorization',
    'authorization',
    'PROXY-AUTHORIZATION',
    'Cookie',
    'Set-Cookie',
    'X-Api-Key',
    'api-key',
    'X-Auth-Token',
    'X-Webhook-Secret',
    'x-shopify-hmac-signature',
    'Stripe-Signature',
    'X-Hub-Signature-256',
    'X-Password',
    'x-access-token',
    'X-Apikey',
    'my_api_key',
    'Svix-Signature',
    'X-Refresh-Token',
  ];
  const kept = [
    'Content-Type',
    'User-Agent',
    'X-Request-Id',
    'Accept',
    'X-Correlation-Id',
    'Content-Length',
    'X-Key-Id-Hint',
  ];
  for (const h of sensitive) assert.ok(isSensitiveHeaderName(h), h);
  for (const h of kept) assert.not.ok(isSensitiveHeaderName(h), h);
  assert.ok(isSensitiveHeaderName('X-Tenant', ['x-tenant']));
});

Redaction('redactHeaders replaces values and keeps names', () => {
  assert.equal(
    redactHeaders({ Authorization: 'Bearer abc', 'Content-Type': 'application/json', 'X-Custom': 'v' }, ['X-CUSTOM']),
    {
      Authorization: REDACTED,
      'Content-Type': 'application/json',
      'X-Custom': REDACTED,
    },
  );
});

Redaction('sensitive query parameter names', () => {
  const sensitive = [
    'token',
    'access_token',
    'refresh_token',
    'api_key',
    'apiKey',
    'apikey',
    'key',
    'secret',
    'client_secret',
    'signature',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
    'X-Amz-Credential',
    'sig',
    'password',
    'auth',
    'code',
    'Token',
    'id_token',
    'private_key',
  ];
  const kept = ['page', 'keyword', 'monkey', 'q', 'event', 'id', 'signed', 'authors', 'zipcode', 'limit'];
  for (const p of sensitive) assert.ok(isSensitiveParamName(p), p);
  for (const p of kept) assert.not.ok(isSensitiveParamName(p), p);
});

Redaction('redactUrl drops user-info and fragment, redacts sensitive query values, keeps the rest verbatim', () => {
  assert.is(
    redactUrl('https://user:pa55@hooks.example.com:8443/in/x?a=1&token=s3cr3t&b=%20x&access_token=t#frag'),
    `https://hooks.example.com:8443/in/x?a=1&token=${REDACTED}&b=%20x&access_token=${REDACTED}`,
  );
  assert.is(
    redactUrl('https://example.com/p?sig=abc&sig=def&flag'),
    `https://example.com/p?sig=${REDACTED}&sig=${REDACTED}&flag`,
  );
  assert.is(
    redactUrl('https://example.com/p?%74oken=abc'),
    `https://example.com/p?%74oken=${REDACTED}`,
    'percent-encoded names are matched decoded',
  );
  assert.is(redactUrl('https://example.com'), 'https://example.com/');
  assert.is(redactUrl('http://EXAMPLE.com:80/a'), 'http://example.com/a');
  assert.is(redactUrl('not a url with secret'), REDACTED);
  assert.is(redactUrl('https://example.com/p?tenant=1', ['tenant']), `https://example.com/p?tenant=${REDACTED}`);
});

Redaction('redactRequest redacts url and headers, keeps the rest', () => {
  const req: DeliveryRequest = {
    messageId: 'm',
    url: 'https://u:p@x.io/?api_key=k',
    method: 'POST',
    headers: { Authorization: 'Basic x', 'X-Tenant': 't' },
    body: '{"a":1}',
    correlationId: 'c',
    maxAttempts: null,
  };
  assert.equal(redactRequest(req, { extraHeaderNames: ['x-tenant'] }), {
    ...req,
    url: `https://x.io/?api_key=${REDACTED}`,
    headers: { Authorization: REDACTED, 'X-Tenant': REDACTED },
  });
  assert.is(req.headers.Authorization, 'Basic x', 'input not mutated');
});

// ---------------------------------------------------------------------------
// property: a secret placed anywhere sensitive never survives
// ---------------------------------------------------------------------------

const secretArb = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~'),
    minLength: 12,
    maxLength: 40,
  })
  .map((s) => `S3cr3t${s}`);
const caseArb = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((up) => [...name].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const headerNameArb = fc
  .oneof(
    fc.constantFrom(
      'Authorization',
      'Proxy-Authorization',
      'Cookie',
      'Set-Cookie',
      'X-Api-Key',
      'Api-Key',
      'X-Auth-Token',
    ),
    fc
      .tuple(
        fc.constantFrom('x-', 'my-', ''),
        fc.constantFrom('secret', 'token', 'signature', 'password', 'api-key', 'apikey'),
        fc.constantFrom('', '-v1', '-256'),
      )
      .map((p) => p.join('')),
  )
  .chain(caseArb);
const paramNameArb = fc
  .constantFrom(
    'token',
    'key',
    'secret',
    'signature',
    'password',
    'auth',
    'sig',
    'code',
    'access_token',
    'api_key',
    'apiKey',
    'X-Amz-Signature',
    'client_secret',
  )
  .chain((n) => fc.constantFrom(n, n.toUpperCase(), n.toLowerCase()));
const safeArb = fc.string({ unit: fc.constantFrom(...'abcdefghij0123456789'), maxLength: 10 });

Redaction('property: no secret in a sensitive header, user-info or sensitive query param survives', () => {
  fc.assert(
    fc.property(
      secretArb,
      fc.constantFrom('header', 'userinfo-user', 'userinfo-password', 'query'),
      headerNameArb,
      paramNameArb,
      fc.array(fc.tuple(fc.constantFrom('page', 'q', 'id'), safeArb), { maxLength: 3 }),
      (secret, where, headerName, paramName, otherParams) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        let url = 'https://hooks.example.com/in';
        const query = otherParams.map(([k, v]) => `${k}=${v}`);
        if (where === 'header') headers[headerName] = `Bearer ${secret}`;
        if (where === 'userinfo-user') url = `https://${secret}@hooks.example.com/in`;
        if (where === 'userinfo-password') url = `https://svc:${secret}@hooks.example.com/in`;
        if (where === 'query') query.splice(query.length > 0 ? 1 : 0, 0, `${paramName}=${encodeURIComponent(secret)}`);
        if (query.length > 0) url += `?${query.join('&')}`;
        const req: DeliveryRequest = {
          messageId: 'm',
          url,
          method: 'POST',
          headers,
          body: 'payload',
          correlationId: 'c',
          maxAttempts: null,
        };
        const stored = JSON.stringify(redactRequest(req));
        assert.not.ok(stored.includes(secret), `${where}: ${stored}`);
        assert.not.ok(stored.includes(encodeURIComponent(secret)));
        assert.not.ok(stored.includes(secret.slice(0, 12)), 'not even a prefix');
        for (const [k, v] of otherParams) assert.ok(stored.includes(`${k}=${v}`), 'other params kept');
      },
    ),
    { numRuns: 500 },
  );
});

Redaction("headers as sent: credentials redacted, the worker's own webhook-* kept as sent; verify checks them", () => {
  const sent = {
    authorization: 'Bearer abcdefghijklmnopqrstuvwxyz012345',
    'x-api-key': 'k-0123456789abcdef0123',
    'content-type': 'application/json',
    'webhook-id': 'msg-1',
    'webhook-timestamp': '1796649311',
    'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  };
  const stored = redactSentHeadersWith(sent, defaultSecretPolicy);
  assert.equal(stored, {
    ...sent,
    authorization: REDACTED,
    'x-api-key': REDACTED,
  });
  assert.equal(redactSentHeadersWith(stored, defaultSecretPolicy), stored, 'idempotent');
  assert.equal(findSecrets({ request: { sentHeaders: stored } }), []);
  assert.equal(
    findSecrets({ request: { sentHeaders: { ...stored, authorization: sent.authorization } } }).map((f) => f.path),
    ['request.sentHeaders.authorization'],
    'a credential stored as sent is a finding',
  );
  // in the request as stored (a producer's own), a signature header is still a credential header
  assert.equal(findSecrets({ request: { headers: { 'webhook-signature': 'v1,abc' } } }).length, 1);
});

Redaction.run();
