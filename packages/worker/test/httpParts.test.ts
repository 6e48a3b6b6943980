import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareHeaders, USER_AGENT } from '../src/http/prepareHeaders.js';
import { snippetBuffer } from '../src/http/responseSnippet.js';
import { transportErrorCode } from '../src/http/transportErrorCode.js';
import { queueUrlOf } from '../src/sqs/sqsVisibility.js';

// ---------------------------------------------------------------------------
const Snippet = suite('response snippet');

Snippet('keeps the first bytes, counts the rest, never ends in half a character', () => {
  const s = snippetBuffer(5);
  s.push(Buffer.from('ab€', 'utf8')); // 2 + 3 bytes
  s.push(Buffer.from('€€', 'utf8'));
  assert.is(s.bytes, 11);
  assert.is(s.text(), 'ab€');
  const cut = snippetBuffer(4);
  cut.push(Buffer.from('ab€', 'utf8'));
  assert.is(cut.text(), 'ab', 'the euro sign does not fit: dropped, not mangled');
  const empty = snippetBuffer(0);
  empty.push(Buffer.from('x'));
  assert.is(empty.text(), '');
});

Snippet.run();

// ---------------------------------------------------------------------------
const Headers = suite('prepareHeaders');

const prep = (headers: Record<string, string>, body = 'x', userInfo: string | null = null) =>
  prepareHeaders({ headers, body, signature: { 'webhook-id': 'm1' }, userInfo });

Headers('lower-cases, drops transport-owned headers, adds defaults, signature wins', () => {
  const r = prep({
    'X-A': '1',
    Host: 'evil',
    'Transfer-Encoding': 'chunked',
    'Webhook-Id': 'forged',
    'Content-Type': 'text/plain',
  });
  assert.equal(r, E.right({ 'x-a': '1', 'content-type': 'text/plain', 'user-agent': USER_AGENT, 'webhook-id': 'm1' }));
  assert.equal(
    prep({}, ''),
    E.right({ 'user-agent': USER_AGENT, 'webhook-id': 'm1' }),
    'no content-type without a body',
  );
});

Headers('URL credentials become Basic auth unless an Authorization header is given', () => {
  const basic = prep({}, '', 'u:p');
  assert.is(E.isRight(basic) ? basic.right.authorization : '', `Basic ${Buffer.from('u:p').toString('base64')}`);
  const own = prep({ Authorization: 'Bearer t' }, '', 'u:p');
  assert.is(E.isRight(own) ? own.right.authorization : '', 'Bearer t');
});

Headers('refuses CR/LF/NUL in values and bad names, without echoing values', () => {
  const bad = prep({ 'x-a': 'v\r\nx-b: 1' });
  assert.ok(E.isLeft(bad));
  if (E.isLeft(bad)) assert.not.match(bad.left, 'x-b');
  assert.ok(E.isLeft(prep({ 'bad name': 'v' })));
  assert.ok(E.isLeft(prep({ 'x-a': 'nul\0' })));
});

Headers.run();

// ---------------------------------------------------------------------------
const Codes = suite('transport error codes');

Codes('maps undici and node errors to core codes', () => {
  const e = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });
  assert.is(transportErrorCode(e('UND_ERR_CONNECT_TIMEOUT')), 'CONNECT_TIMEOUT');
  assert.is(transportErrorCode(e('UND_ERR_HEADERS_TIMEOUT')), 'RESPONSE_TIMEOUT');
  assert.is(transportErrorCode(e('UND_ERR_BODY_TIMEOUT')), 'BODY_TIMEOUT');
  assert.is(transportErrorCode(e('UND_ERR_HEADERS_OVERFLOW')), 'RESPONSE_TOO_LARGE');
  assert.is(transportErrorCode(e('UND_ERR_SOCKET')), 'ECONNRESET');
  assert.is(transportErrorCode(e('UND_ERR_SOCKET', e('EPIPE'))), 'EPIPE', 'the errno inside wins');
  assert.is(transportErrorCode(e('ECONNREFUSED')), 'ECONNREFUSED');
  assert.is(transportErrorCode(e('BLOCKED_TARGET')), 'BLOCKED_TARGET');
  assert.is(transportErrorCode(e('ERR_TLS_CERT_ALTNAME_INVALID')), 'TLS_ERROR');
  assert.is(transportErrorCode(e('DEPTH_ZERO_SELF_SIGNED_CERT')), 'TLS_ERROR');
  assert.is(transportErrorCode(e('HPE_INVALID_CONSTANT')), 'NETWORK_ERROR');
  assert.is(transportErrorCode('weird'), 'NETWORK_ERROR');
});

Codes.run();

// ---------------------------------------------------------------------------
const QueueUrl = suite('queue URL');

QueueUrl('configured URL wins; else derived from the ARN, on a custom endpoint when set', () => {
  const arn = 'arn:aws:sqs:eu-west-1:123456789012:deliveries';
  assert.is(queueUrlOf(arn, { queueUrl: 'https://q/1/x', endpoint: null }), 'https://q/1/x');
  assert.is(
    queueUrlOf(arn, { queueUrl: null, endpoint: null }),
    'https://sqs.eu-west-1.amazonaws.com/123456789012/deliveries',
  );
  assert.is(
    queueUrlOf(arn, { queueUrl: null, endpoint: 'http://127.0.0.1:9324/' }),
    'http://127.0.0.1:9324/123456789012/deliveries',
  );
  assert.is(queueUrlOf('not-an-arn', { queueUrl: null, endpoint: null }), null);
});

QueueUrl.run();
