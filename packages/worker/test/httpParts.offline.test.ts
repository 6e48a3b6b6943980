import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareHeaders, USER_AGENT } from '../src/http/prepareHeaders.js';
import { bodySnippet } from '../src/http/bodySnippet.js';
import { transportErrorCode } from '../src/http/transportErrorCode.js';
import { queueUrlOf } from '../src/sqs/sqsVisibility.js';

// ---------------------------------------------------------------------------
const Snippet = suite('response snippet');

/** Feeds `body` in chunks of `size` bytes, then reads the snippet. */
const snippetOf = async (
  body: Buffer,
  headers: Record<string, string> = {},
  limit = 4096,
  size = 16 * 1024,
): Promise<{ text: string; bytes: number }> => {
  const s = bodySnippet(limit, headers);
  for (let i = 0; i < body.length; i += size) s.push(body.subarray(i, i + size));
  return { text: await s.text(), bytes: s.bytes };
};

Snippet('keeps the first bytes, counts the rest, never ends in half a character', async () => {
  const both = await snippetOf(Buffer.concat([Buffer.from('ab€', 'utf8'), Buffer.from('€€', 'utf8')]), {}, 5, 5);
  assert.equal(both, { text: 'ab€', bytes: 11 });
  assert.is(
    (await snippetOf(Buffer.from('ab€', 'utf8'), {}, 4)).text,
    'ab',
    'the euro sign does not fit: dropped, not mangled',
  );
  assert.is((await snippetOf(Buffer.from('x'), {}, 0)).text, '');
  assert.is((await snippetOf(Buffer.alloc(0), { 'content-encoding': 'gzip' })).text, '', 'no body, nothing to decode');
});

const TEXT = `{"error":"upstream timeout","detail":"${'retry later; '.repeat(40)}"}`;

Snippet('gzip, x-gzip, deflate (zlib and raw) and br bodies are decoded for the snippet', async () => {
  const encoded: Array<[string, Buffer]> = [
    ['gzip', gzipSync(TEXT)],
    ['x-gzip', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
    ['GZIP', gzipSync(TEXT)],
  ];
  for (const [encoding, body] of encoded) {
    const s = await snippetOf(body, { 'content-encoding': encoding, 'content-type': 'application/json' }, 4096, 7);
    assert.is(s.text, TEXT, encoding);
    assert.is(s.bytes, body.length, `${encoding}: the wire bytes are counted`);
  }
  const capped = await snippetOf(gzipSync(TEXT), { 'content-encoding': 'gzip' }, 100);
  assert.is(capped.text, TEXT.slice(0, 100), 'decoded text capped at the snippet size');
});

Snippet('binary, undecodable or unknown-coding bodies become a marker, never U+FFFD noise', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const cases: Array<[Buffer, Record<string, string>, string]> = [
    [png, { 'content-type': 'image/png' }, `[binary, ${png.length} bytes, image/png, identity]`],
    [
      gzipSync(png),
      { 'content-type': 'image/png', 'content-encoding': 'gzip' },
      `[binary, ${gzipSync(png).length} bytes, image/png, gzip]`,
    ],
    [Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }, '[binary, 15 bytes, no content-type, gzip]'],
    [Buffer.from('plain'), { 'content-encoding': 'constructor' }, '[binary, 5 bytes, no content-type, constructor]'],
    [
      brotliCompressSync(TEXT),
      { 'content-type': 'text/plain', 'content-encoding': 'zstd' },
      `[binary, ${brotliCompressSync(TEXT).length} bytes, text/plain, zstd]`,
    ],
    [
      Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]),
      { 'content-type': 'text/plain; charset=utf-8' },
      '[binary, 6 bytes, text/plain, identity]',
    ],
  ];
  for (const [body, headers, marker] of cases) {
    const s = await snippetOf(body, headers);
    assert.is(s.text, marker, JSON.stringify(headers));
    assert.not.match(s.text, /\uFFFD/);
  }
});

Snippet(
  'a text with control characters stays text (shown escaped, stored as received); Latin-1 by its charset',
  async () => {
    const hostile = 'Internal error \u001b[2J\u001b]0;pwned\u0007 done\r\b\bOK';
    assert.is((await snippetOf(Buffer.from(hostile))).text, hostile);
    const latin1 = Buffer.from('Fehler: Gr\u00f6\u00dfe', 'latin1');
    assert.is(
      (await snippetOf(latin1, { 'content-type': 'text/plain; charset=ISO-8859-1' })).text,
      'Fehler: Gr\u00f6\u00dfe',
    );
  },
);

Snippet('a decompression bomb (64 MiB gzip and br) stops at the snippet cap', async () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024, '0');
  for (const [encoding, body] of [
    ['gzip', gzipSync(zeros)],
    ['br', brotliCompressSync(zeros)],
  ] as const) {
    const s = await snippetOf(body, { 'content-encoding': encoding, 'content-type': 'text/plain' });
    assert.is(s.text, '0'.repeat(4096), encoding);
  }
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

Headers(
  'refuses CR/LF/NUL, any control and anything past Latin-1 in values, and bad names, without echoing values',
  () => {
    const bad = prep({ 'x-a': 'v\r\nx-b: 1' });
    assert.ok(E.isLeft(bad));
    if (E.isLeft(bad)) assert.not.match(bad.left, 'x-b');
    assert.ok(E.isLeft(prep({ 'bad name': 'v' })));
    assert.ok(E.isLeft(prep({ 'x-a': 'nul\0' })));
    assert.equal(prep({ 'x-a': 'esc\u001b[2J' }), E.left('invalid value for header x-a (U+001B at index 3)'));
    assert.equal(prep({ 'x-a': 'abc\u202e' }), E.left('invalid value for header x-a (U+202E at index 3)'));
    assert.ok(E.isRight(prep({ 'x-a': 'caf\u00e9\tok' })), 'obs-text and tab are sendable');
  },
);

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
