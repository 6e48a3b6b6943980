import * as E from 'fp-ts/lib/Either.js';
import * as fc from 'fast-check';
import * as t from 'io-ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SECRET_HEADER_NAMES } from '@delivery-history/testkit/secretHeaderNames';
import {
  type DeliveryRequest,
  decodeWith,
  defaultSecretPolicy as policy,
  findSecrets,
  type SecretPolicy,
  secretSettingsFromEnv,
  unsendableHeaderChar,
} from '../src/index.js';
import { keepResponseHeaders } from '../src/redaction/response.js';
import { REDACTED } from '../src/redaction/names.js';
import { requestSecrets } from '../src/redaction/request.js';
import { safeLogKey } from '../src/redaction/logs.js';
import { scrubText } from '../src/redaction/freeText.js';
import {
  detectInText,
  isSecretHeader,
  isSecretParam,
  knownSecrets,
  MAX_LOG_LINE_BYTES,
  redactLogAttributes,
  redactRequestWith,
  redactUrlWith,
  secretPolicyFromEnv,
} from '../src/testing.js';

const must = (e: E.Either<string, SecretPolicy>): SecretPolicy => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
};

const withSettings = must(
  secretPolicyFromEnv({
    DELIVERY_REDACT_HEADERS: 'x-tenant, x-partner-*',
    DELIVERY_REDACT_PARAMS: 'tenant_pin',
    DELIVERY_REDACT_PATHS: 'hooks.example.com/in/*/{secret},/relay/**',
    DELIVERY_KEEP_RESPONSE_HEADERS: 'x-kept',
  }),
);

// ---------------------------------------------------------------------------
// names
// ---------------------------------------------------------------------------

const Names = suite('secret policy: names');

Names('header names of the issue, patterns, settings; ordinary names kept', () => {
  const secret = [
    ...SECRET_HEADER_NAMES,
    'x-csrf-token',
    'x-client-secret',
    'x-my-api-key',
    'x-hub-signature-256',
    'x-refresh-credential',
    'cookie',
  ];
  const kept = ['content-type', 'idempotency-key', 'x-key-id-hint', 'x-request-id', 'user-agent', 'x-oauth-scopes'];
  for (const h of secret) assert.ok(isSecretHeader(policy, h), h);
  for (const h of kept) assert.not.ok(isSecretHeader(policy, h), h);
  assert.not.ok(isSecretHeader(policy, 'x-tenant'));
  assert.ok(isSecretHeader(withSettings, 'X-Tenant') && isSecretHeader(withSettings, 'x-partner-id'));
});

Names('parameter names: sessionid, jsessionid, ticket, passphrase, pass; code only when it is not a status', () => {
  for (const p of ['sessionid', 'jsessionid', 'ticket', 'passphrase', 'pass', 'PHPSESSID', 'auth_code', 'clientSecret'])
    assert.ok(isSecretParam(policy, p, 'v4lue-xyz'), p);
  for (const p of ['page', 'zip_code', 'status_code', 'country_code', 'ticket_id', 'passenger'])
    assert.not.ok(isSecretParam(policy, p, 'x'), p);
  assert.not.ok(isSecretParam(policy, 'code', '503'), 'a 3-digit status is the demo receiver instruction');
  assert.ok(isSecretParam(policy, 'code', 'SplxlOBeZQQYbYS6WxSbIA'), 'an OAuth code');
  assert.ok(isSecretParam(policy, 'code', '123456'), 'an OTP');
  assert.ok(isSecretParam(withSettings, 'tenant_pin', '1'));
});

Names(
  'settings: bad names and templates are refused with the variable named; credential headers cannot be kept',
  () => {
    const left = (env: Record<string, string>) => {
      const r = secretSettingsFromEnv(env);
      return E.isLeft(r) ? r.left : '';
    };
    assert.match(left({ DELIVERY_REDACT_HEADERS: 'bad name' }), 'DELIVERY_REDACT_HEADERS');
    assert.match(left({ DELIVERY_REDACT_PATHS: '/in/nothing' }), 'DELIVERY_REDACT_PATHS');
    assert.match(left({ DELIVERY_REDACT_PATHS: '/in/**/x' }), 'last');
    assert.match(left({ DELIVERY_KEEP_RESPONSE_HEADERS: 'set-cookie' }), 'never stored');
    assert.ok(E.isRight(secretSettingsFromEnv({})));
  },
);

Names.run();

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

const Urls = suite('secret policy: URLs');

Urls('provider path shapes are redacted to their stable prefix', () => {
  const cases: Array<[string, string]> = [
    ['https://hooks.slack.com/services/T0/B0/abcSECRET', 'https://hooks.slack.com/services/T0/B0/[REDACTED]'],
    [
      'https://discord.com/api/webhooks/123/tokSECRET?wait=true',
      'https://discord.com/api/webhooks/123/[REDACTED]?wait=true',
    ],
    [
      'https://ptb.discord.com/api/v10/webhooks/123/tokSECRET',
      'https://ptb.discord.com/api/v10/webhooks/123/[REDACTED]',
    ],
    [
      'https://acme.webhook.office.com/webhookb2/g@t/IncomingWebhook/hexSECRET/guid',
      'https://acme.webhook.office.com/webhookb2/[REDACTED]',
    ],
    ['https://hooks.zapier.com/hooks/catch/123/hookSECRET/', 'https://hooks.zapier.com/hooks/catch/123/[REDACTED]'],
    ['https://api.telegram.org/bot123:tokSECRET/sendMessage', 'https://api.telegram.org/bot[REDACTED]/sendMessage'],
    ['https://chat.example.org/hooks/abcdefghijklmnopqrstuvwxyz', 'https://chat.example.org/hooks/[REDACTED]'],
    ['https://example.org/hooks/orders', 'https://example.org/hooks/orders'],
  ];
  for (const [url, want] of cases) assert.is(redactUrlWith(url, policy), want, url);
  assert.is(
    redactUrlWith('https://hooks.example.com/in/acme/pSECRET/more', withSettings),
    'https://hooks.example.com/in/acme/[REDACTED]/more',
  );
  assert.is(redactUrlWith('https://any.example/relay/a/b', withSettings), 'https://any.example/relay/[REDACTED]');
});

Urls('matrix parameters, ;-separated pairs, percent-encoded names, user-info; ?code=429 kept', () => {
  assert.is(
    redactUrlWith('https://u:p@x.example/app;jsessionid=S1;v=2/p?a=1;token=S2&%70ass=S3&code=429#frag', policy),
    'https://x.example/app;jsessionid=[REDACTED];v=2/p?a=1;token=[REDACTED]&%70ass=[REDACTED]&code=429',
  );
});

Urls("the demo's own URLs are not mangled: /flaky/2?code=429&retryAfter=1 kept, its token= redacted", () => {
  assert.is(
    redactUrlWith('http://127.0.0.1:4000/flaky/2?code=429&retryAfter=1&token=demo-secret-0001', policy),
    `http://127.0.0.1:4000/flaky/2?code=429&retryAfter=1&token=${REDACTED}`,
  );
});

Urls('a header value HTTP cannot carry (controls, bidi, beyond Latin-1) is stored [REDACTED], never verbatim', () => {
  const req = (headers: Record<string, string>): DeliveryRequest => ({
    messageId: 'm',
    url: 'https://x.example/in',
    method: 'POST',
    headers,
    body: '',
    correlationId: 'm',
    maxAttempts: null,
  });
  const r = redactRequestWith(
    req({
      'x-title': 'esc\u001b]0;pwned\u0007',
      'x-bidi': 'abc\u202eevil',
      'x-zw': 'a\u200bb',
      'x-del': 'a\u007f',
      'x-nul': 'a\u0000',
      'x-latin1': 'caf\u00e9',
      'x-tab': 'a\tb',
    }),
    policy,
  );
  for (const h of ['x-title', 'x-bidi', 'x-zw', 'x-del', 'x-nul']) assert.is(r.headers[h], REDACTED, h);
  assert.is(r.headers['x-latin1'], 'caf\u00e9', 'obs-text (Latin-1) is sendable and kept');
  assert.is(r.headers['x-tab'], 'a\tb');
  assert.equal(redactRequestWith(r, policy), r, 'idempotent');
  assert.is(unsendableHeaderChar('ok value'), null);
  assert.equal(unsendableHeaderChar('ab\u202e'), { char: '\u202e', index: 2 });
});

Urls('redaction is idempotent and what it stores passes the verify checker (property)', () => {
  const secret = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789'), minLength: 8, maxLength: 20 });
  fc.assert(
    fc.property(
      secret,
      fc.constantFrom('token', 'sessionid', 'ticket', 'pass', 'code', 'X-Amz-Signature'),
      fc.constantFrom('Authorization', 'X-Functions-Key', 'Cookie', 'x-tenant'),
      fc.constantFrom('/services/T/B/', '/in/acme/', '/p;jsessionid=', '/plain/'),
      (s, param, header, path) => {
        const req: DeliveryRequest = {
          messageId: 'm',
          url: `https://u:${s}@${path.startsWith('/services') ? 'hooks.slack.com' : 'hooks.example.com'}${path}${s}?${param}=${s}x&page=1`,
          method: 'POST',
          headers: { [header]: `Bearer ${s}`, 'x-trace': 'ok' },
          body: 'payload',
          correlationId: 'c',
          maxAttempts: null,
        };
        const once = redactRequestWith(req, withSettings);
        assert.equal(redactRequestWith(once, withSettings), once, 'idempotent');
        assert.equal(redactRequestWith(once, policy).url, once.url, 'the built-in policy leaves it as is');
        if (path !== '/plain/') assert.not.ok(JSON.stringify(once).includes(s), JSON.stringify(once));
        const item = { request: { url: once.url, headers: once.headers, body: req.body } };
        assert.equal(findSecrets(item, withSettings), []);
      },
    ),
    { numRuns: 200 },
  );
});

Urls.run();

// ---------------------------------------------------------------------------
// free text and the response side
// ---------------------------------------------------------------------------

const Text = suite('secret policy: free text and responses');

Text('value shapes are scrubbed; ordinary text is kept byte for byte', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  const dirty = [
    'auth: Bearer abcdefgh12345678',
    `Basic ${Buffer.from('user:pass').toString('base64')}`,
    `token ${jwt}`,
    'key AKIAABCDEFGHIJKLMNOP',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
    'see https://user:pw@x.example/a',
    'cb https://app.example/cb?access_token=abc123def456&x=1',
    '{"api_key": "k3y-value-123"}',
    'password=hunter22',
  ];
  for (const d of dirty) {
    assert.is.not(scrubText(d, policy), d, d);
    assert.ok(detectInText(d, policy).length > 0, d);
    assert.equal(detectInText(scrubText(d, policy), policy), [], `scrubbed clean: ${scrubText(d, policy)}`);
  }
  const clean = [
    '{"error":"invalid_request_error","code":"parameter_missing","see":"https://docs.example.com/e?page=2"}',
    'Basic authentication required',
    'HTTP 503 Service Unavailable',
    'key: short',
  ];
  for (const c of clean) assert.is(scrubText(c, policy), c, c);
});

Text("an echo of this request's own values is caught whatever its shape, a cut-off one too", () => {
  const req = {
    url: 'https://svc:pw0Secret0@x.example/in?sig=Sig0Secret0',
    headers: { Authorization: 'Token Tok0Secret0x' },
  };
  const known = requestSecrets(req, policy);
  const echo = `got svc:pw0Secret0 / ${Buffer.from('svc:pw0Secret0').toString('base64')} / Sig0Secret0 / Tok0Secret0x / Tok0Se`;
  const out = scrubText(echo, policy, known);
  for (const v of ['pw0Secret0', 'Sig0Secret0', 'Tok0Secret0x', 'Tok0Se']) assert.not.ok(out.includes(v), out);
  assert.is(scrubText('plain text', policy, knownSecrets(['abc'])), 'plain text', 'short values are not scrubbed');
});

Text('response headers: allow-list with a dropped count, Location redacted (absolute and relative), settings', () => {
  const known = knownSecrets(['Echo0Secret0']);
  const out = keepResponseHeaders(
    {
      'Content-Type': 'application/json',
      Location: '/cb?code=SplxlOBeZQQYbYS6&state=1#access_token=zzz',
      'X-Echo-Authorization': 'Bearer Echo0Secret0',
      'x-request-id': 'Echo0Secret0',
      'Set-Cookie': 'a=b',
      'x-kept': 'yes',
    },
    withSettings,
    known,
  );
  assert.equal(out, {
    'content-type': 'application/json',
    location: `/cb?code=${REDACTED}&state=1`,
    'x-request-id': REDACTED,
    'x-kept': 'yes',
    'dh-dropped-headers': '2',
  });
  assert.is(
    keepResponseHeaders({ location: 'https://app/cb?code=abcdef123456#access_token=x' }, policy).location,
    `https://app/cb?code=${REDACTED}`,
  );
});

Text.run();

// ---------------------------------------------------------------------------
// logs and decode errors
// ---------------------------------------------------------------------------

const Logs = suite('secret policy: logs');

Logs('attributes: credential keys redacted, strings scrubbed, values and lines bounded', () => {
  const out = redactLogAttributes({
    authorization: 'Bearer abcdefgh12345678',
    nested: { headers: { cookie: 'sid=1' }, reason: 'token=abcdef123456' },
    big: 'x'.repeat(100_000),
    many: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'y'.repeat(2_000)])),
    errorCode: 'ECONNREFUSED',
    code: 'ConditionalCheckFailed',
  });
  const line = JSON.stringify(out);
  assert.ok(Buffer.byteLength(line) <= MAX_LOG_LINE_BYTES + 64, `${line.length}`);
  assert.is(out.authorization, REDACTED);
  assert.equal((out.nested as Record<string, unknown>).headers, { cookie: REDACTED });
  assert.is((out.nested as Record<string, unknown>).reason, `token=${REDACTED}`);
  assert.ok(String(out.big).length < 2_100 && String(out.big).includes('[truncated, '));
  assert.is(out.errorCode, 'ECONNREFUSED');
  assert.is(out.code, 'ConditionalCheckFailed', 'an error code is not an OAuth code');
});

Logs('correlationId as a log key: kept when sane, else a bounded digest', () => {
  assert.is(safeLogKey('order-1001'), 'order-1001');
  assert.match(safeLogKey('x'.repeat(1 << 20)), /^invalid\(1048576 bytes, sha256:[0-9a-f]{12}\)$/);
  assert.match(safeLogKey('has space'), /^invalid/);
  assert.match(safeLogKey('Bearer.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc'), /^invalid/);
});

Logs('decode-error reasons: array-valued authorization, bad-scheme URL query, wrong-typed root; bounded', () => {
  const Req = t.type({ url: t.literal('x'), headers: t.record(t.string, t.string) }, 'Req');
  const reason = (v: unknown) =>
    E.isLeft(decodeWith(Req, v)) ? (decodeWith(Req, v) as E.Left<{ message: string }>).left.message : '';
  const a = reason({ url: 'x', headers: { authorization: ['Bearer Arr0Secret0aaaa'] } });
  assert.not.ok(a.includes('Arr0Secret0'), a);
  assert.match(a, '.headers.authorization');
  const b = reason({ url: 'ftp://h.example/p?token=Url0Secret0bb&page=1', headers: {} });
  assert.not.ok(b.includes('Url0Secret0'), b);
  assert.match(b, 'page=1');
  const c = reason([{ authorization: 'Root0Secret0cc', password: 'Root0Secret0dd' }]);
  assert.not.ok(c.includes('Root0Secret0'), c);
  const d = reason(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${'y'.repeat(5_000)}${i}`, i])));
  assert.ok(d.length <= 1_001, `${d.length}`);
});

Logs.run();
