import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttemptItem,
  AuditEntry,
  DeliveryRequest,
  DeliveryResult,
  decodeWith,
  RedriveItem,
  StateItem,
  Truncations,
  isEntry,
} from '../src/index.js';
import { isDecodeError } from '../src/testing.js';
import { UNSAFE_CHAR } from '../src/codecs/unsafeChar.js';
import { attempt, redrive, seedState } from '@delivery-history/testkit/itemBuilders';

const Codecs = suite('codecs and decodeWith');

const message = <A, O>(codec: t.Type<A, O, unknown>, value: unknown): string => {
  const r = decodeWith(codec, value);
  if (E.isRight(r)) throw new Error(`expected a decode failure for ${JSON.stringify(value)}`);
  assert.ok(isDecodeError(r.left));
  assert.not.match(r.left.message, /\n/, 'the message is one line');
  assert.ok(r.left.errors.length > 0);
  return r.left.message;
};

Codecs('DeliveryRequest applies defaults on decode', () => {
  const r = decodeWith(DeliveryRequest, { messageId: 'msg-1', url: 'https://example.com/hook' });
  assert.equal(
    r,
    E.right({
      messageId: 'msg-1',
      url: 'https://example.com/hook',
      method: 'POST',
      headers: {},
      body: '',
      correlationId: 'msg-1',
      maxAttempts: null,
    }),
  );
});

Codecs('DeliveryRequest keeps given values', () => {
  const input = {
    messageId: 'a.b:c_d-1',
    url: 'http://localhost:8080/x?y=1',
    method: 'PUT',
    headers: { 'x-a': 'b' },
    body: '{}',
    correlationId: 'corr-9',
    maxAttempts: 100,
  };
  assert.equal(decodeWith(DeliveryRequest, input), E.right(input));
  assert.equal(
    decodeWith(DeliveryRequest, { ...input, correlationId: null, maxAttempts: null }),
    E.right({ ...input, correlationId: input.messageId, maxAttempts: null }),
  );
});

Codecs('DeliveryRequest failure lists every path with expected and got, on one line', () => {
  assert.is(
    message(DeliveryRequest, { messageId: 'm', url: 'ftp://x', maxAttempts: 0 }),
    'invalid DeliveryRequest: .url: expected http(s) URL, got "ftp://x"; .maxAttempts: expected integer 1..100 or null, got 0',
  );
  assert.is(message(DeliveryRequest, null), 'invalid DeliveryRequest: (root): expected DeliveryRequest, got null');
  assert.is(
    message(DeliveryRequest, { url: 'https://x', method: 'post', headers: { a: 1 }, body: 3, maxAttempts: 1.5 }),
    'invalid DeliveryRequest: .messageId: expected message id (1..200 chars of [A-Za-z0-9._:-]), got undefined; .method: expected POST|PUT|PATCH|DELETE|GET, got "post"; .headers.a: expected string, got 1; .body: expected string, got 3; .maxAttempts: expected integer 1..100 or null, got 1.5',
  );
});

Codecs('messageId: 1..200 chars of [A-Za-z0-9._:-]', () => {
  const ok = (id: string) => E.isRight(decodeWith(DeliveryRequest, { messageId: id, url: 'https://x.io' }));
  assert.ok(ok('a'));
  assert.ok(ok('x'.repeat(200)));
  assert.not.ok(ok(''));
  assert.not.ok(ok('x'.repeat(201)));
  assert.not.ok(ok('a/b'));
  assert.not.ok(ok('a b'));
  assert.not.ok(ok('é'));
});

Codecs(
  'correlationId: control, bidi and zero-width characters and whitespace-only values are refused, one line naming the character',
  () => {
    const decode = (correlationId: unknown) =>
      decodeWith(DeliveryRequest, { messageId: 'm', url: 'https://x.io', correlationId });
    for (const good of [
      'order-42',
      'ORD 42/2025',
      'Bestellung-Müller',
      '注文-42',
      'a',
      ' padded ',
      'tab-free\u00a0nbsp',
    ])
      assert.ok(E.isRight(decode(good)), JSON.stringify(good));
    const bad: Array<[string, string]> = [
      ['a\u0000b', 'U+0000'],
      ['line\nbreak', 'U+000A'],
      ['tab\there', 'U+0009'],
      ['esc\u001b[2Jx', 'U+001B'],
      ['del\u007f', 'U+007F'],
      ['csi\u009bx', 'U+009B'],
      ['abc\u202Edcba', 'U+202E'],
      ['iso\u2066late\u2069', 'U+2066'],
      ['alm\u061c', 'U+061C'],
      ['lrm\u200e', 'U+200E'],
      ['zw\u200bsp', 'U+200B'],
      ['zwj\u200dx', 'U+200D'],
      ['joiner\u2060x', 'U+2060'],
      ['bom\ufeffx', 'U+FEFF'],
      ['ls\u2028x', 'U+2028'],
      ['tag\u{E0041}x', 'U+E0041'],
      ['lone\ud800x', 'U+D800'],
    ];
    for (const [value, cp] of bad) {
      const m = message(DeliveryRequest, { messageId: 'm', url: 'https://x.io', correlationId: value });
      assert.match(m, /^invalid DeliveryRequest: \.correlationId: expected correlation id/, JSON.stringify(value));
      assert.ok(m.includes(cp), `${JSON.stringify(value)} names ${cp}: ${m}`);
      assert.not.ok(UNSAFE_CHAR.test(m), `the reason carries no unsafe character itself: ${JSON.stringify(m)}`);
    }
    for (const blank of [' ', '   ', '\u00a0', '\u3000', '\u2003 ']) {
      const m = message(DeliveryRequest, { messageId: 'm', url: 'https://x.io', correlationId: blank });
      assert.match(m, /\.correlationId: expected correlation id .*not only whitespace/, JSON.stringify(blank));
    }
    // stored items written before the rule still decode (the rule is the input edge's)
    assert.ok(E.isRight(decodeWith(StateItem, { ...seedState(), correlationId: 'old\u202eid' })));
  },
);

Codecs('url must be absolute http(s) with a host', () => {
  const ok = (url: unknown) => E.isRight(decodeWith(DeliveryRequest, { messageId: 'm', url }));
  assert.ok(ok('https://example.com'));
  assert.ok(ok('http://127.0.0.1:3000/p'));
  for (const bad of ['ftp://x', 'example.com', '/relative', 'javascript:alert(1)', 'mailto:a@b', '', 42, null])
    assert.not.ok(ok(bad), String(bad));
});

Codecs('decode messages mask sensitive values and URL credentials', () => {
  const m = message(DeliveryRequest, { messageId: 'm', url: 'ftp://user:hunter2@x', headers: { Authorization: 42 } });
  assert.not.match(m, /hunter2/);
  assert.match(m, /\.headers\.Authorization: expected string, got \[REDACTED\]/);
});

Codecs('StateItem decode tolerates and strips store attributes (pk, sk, gsi keys)', () => {
  const state = seedState();
  const stored = { ...state, pk: 'MSG#m-1', sk: 'STATE', gsi1pk: 'FAILED#3', gsi1sk: '2025', somethingNew: 1 };
  assert.equal(decodeWith(StateItem, stored), E.right(state));
});

Codecs('StateItem failure names nested paths', () => {
  const state = seedState();
  const m = message(StateItem, {
    ...state,
    status: 'DONE',
    request: { ...state.request, bodyBytes: -1 },
    lease: { leaseId: 'l' },
  });
  assert.match(m, /^invalid StateItem: /);
  assert.match(m, /\.status: expected PENDING\|PROCESSING\|SUCCESS\|FAILED(\|HELD)?, got "DONE"/);
  assert.match(m, /\.request\.bodyBytes: expected integer >= 0, got -1/);
  assert.match(m, /\.lease\.expiresAt: expected ISO-8601 UTC timestamp, got undefined/);
});

Codecs('AttemptItem and RedriveItem round-trip and strip keys', () => {
  const a = attempt(1, 'retry');
  assert.equal(decodeWith(AttemptItem, { ...a, pk: 'MSG#m-1', sk: 'ATTEMPT#000001' }), E.right(a));
  const r = redrive(1, 3, 6);
  assert.equal(decodeWith(RedriveItem, { ...r, pk: 'p', sk: 'REDRIVE#0001' }), E.right(r));
  assert.match(
    message(AttemptItem, { ...a, status: 'PENDING', attemptNumber: 0 }),
    /\.attemptNumber: expected integer >= 1, got 0; \.status: expected SUCCESS\|FAILED/,
  );
});

Codecs('DeliveryResult: timestamps must be ISO-8601 UTC, statusCode an HTTP code or null', () => {
  const r = attempt(1, 'success').deliveryResult;
  assert.ok(E.isRight(decodeWith(DeliveryResult, r)));
  assert.ok(E.isRight(decodeWith(DeliveryResult, { ...r, statusCode: null, statusText: null })));
  assert.match(
    message(DeliveryResult, { ...r, timestamp: '2025-01-01 00:00:00' }),
    /\.timestamp: expected ISO-8601 UTC timestamp/,
  );
  assert.match(message(DeliveryResult, { ...r, timestamp: '2025-01-01T00:00:00+02:00' }), /\.timestamp/);
  assert.match(
    message(DeliveryResult, { ...r, statusCode: 42 }),
    /\.statusCode: expected HTTP status code 100\.\.999 or null, got 42/,
  );
  assert.match(
    message(DeliveryResult, { ...r, category: 'weird' }),
    /\.category: expected OutcomeCategory, got "weird"/,
  );
});

Codecs('Truncations maps dotted paths to byte counts', () => {
  assert.ok(E.isRight(decodeWith(Truncations, { 'request.headers.x': 10, 'deliveryResult.errorDetails.message': 0 })));
  assert.match(message(Truncations, { a: -1 }), /\.a: expected integer >= 0, got -1/);
});

Codecs('AuditEntry decodes attempt and redrive entries', () => {
  const attemptEntry = {
    n: 1,
    at: '2025-01-01T00:00:00.000Z',
    status: 'FAILED',
    statusCode: 503,
    category: 'server_error',
    responseTime: 3,
    retry: 'retry',
    nextAttemptAt: '2025-01-01T00:01:00.000Z',
  };
  const redriveEntry = { n: 1, at: '2025-01-01T00:00:00.000Z', kind: 'redrive', by: 'ops', reason: 'fixed' };
  const a = decodeWith(AuditEntry, attemptEntry);
  const r = decodeWith(AuditEntry, redriveEntry);
  assert.ok(E.isRight(a) && !isEntry(a.right, 'redrive'));
  assert.ok(E.isRight(r) && isEntry(r.right, 'redrive'));
  assert.ok(E.isLeft(decodeWith(AuditEntry, { ...attemptEntry, retry: 'maybe' })));
});

Codecs.run();
