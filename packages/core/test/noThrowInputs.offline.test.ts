// Issue 15 ("nothing throws after a claim"): inputs the HTTP client cannot use are refused by
// the SQS-body codec, before any claim; the decode-error reporter is bounded in depth and size.
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryRequest, decodeWith, parseDeliveryTarget } from '../src/index.js';

const Inputs = suite('no throw on hostile inputs');

const MALFORMED = ['http://a%zz:b@host/', 'http://%C0%AF@host/', 'https://u:%E0%A4%A@host/x'];

Inputs('parseDeliveryTarget: a malformed %-escape in user-info is a Left, never a throw', () => {
  for (const url of MALFORMED) {
    const r = parseDeliveryTarget(url);
    assert.ok(E.isLeft(r), url);
    if (E.isLeft(r)) assert.match(r.left, /malformed %-escape/);
  }
  assert.equal(
    parseDeliveryTarget('http://u%20x:p%40@host:8080/a?b=1'),
    E.right({
      origin: 'http://host:8080',
      path: '/a?b=1',
      userInfo: 'u x:p@',
    }),
  );
  assert.ok(E.isLeft(parseDeliveryTarget('ftp://x/')));
  assert.ok(E.isLeft(parseDeliveryTarget('nope')));
});

Inputs('the SQS-body codec refuses URLs the client cannot parse (poison before any claim)', () => {
  for (const url of MALFORMED) {
    const r = decodeWith(DeliveryRequest, { messageId: 'm', url });
    assert.ok(E.isLeft(r), url);
    if (E.isLeft(r))
      assert.match(r.left.message, /^invalid DeliveryRequest: \.url: expected deliverable URL \(malformed %-escape/);
  }
  assert.ok(E.isRight(decodeWith(DeliveryRequest, { messageId: 'm', url: 'http://user:p%40ss@host/' })));
});

const nested = (open: string, close: string, depth: number): unknown =>
  JSON.parse(`${open.repeat(depth)}"x"${close.repeat(depth)}`);

Inputs('a 1 MiB nested body or header map is one short line, no RangeError', () => {
  for (const [open, close] of [
    ['[', ']'],
    ['{"a":', '}'],
  ] as const) {
    const depth = Math.ceil((1024 * 1024) / (open.length + close.length));
    const value = nested(open, close, depth);
    for (const field of ['body', 'headers', 'method', 'maxAttempts']) {
      const r = decodeWith(DeliveryRequest, { messageId: 'm', url: 'http://h/', [field]: value });
      assert.ok(E.isLeft(r), field);
      if (E.isLeft(r)) {
        assert.ok(r.left.message.length < 400, r.left.message.slice(0, 400));
        assert.not.match(r.left.message, /\n/);
        // shown to depth 2 only: the rest is described, never walked
        assert.match(r.left.message, /\[array\(1\)\]|\[object\]/);
      }
    }
  }
});

Inputs('many failing paths: the reason stays short and says how many more', () => {
  const headers = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`h${i}`, i]));
  const r = decodeWith(DeliveryRequest, { messageId: 'm', url: 'http://h/', headers });
  assert.ok(E.isLeft(r));
  if (E.isLeft(r)) {
    assert.ok(r.left.message.length < 1_000, `${r.left.message.length} chars`);
    assert.match(r.left.message, /; and 9992 more$/);
  }
  const wide = Array.from({ length: 100_000 }, (_, i) => [i]);
  const w = decodeWith(DeliveryRequest, { messageId: 'm', url: 'http://h/', body: wide });
  // at most 5 entries of a value are shown
  assert.ok(E.isLeft(w) && w.left.message.endsWith('got [[0],[1],[2],[3],[4]]'), E.isLeft(w) ? w.left.message : '');
});

Inputs.run();
