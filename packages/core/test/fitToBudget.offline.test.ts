import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttemptItem, StateItem } from '../src/index.js';
import { fitToBudget } from '../src/size/fitToBudget.js';
import { itemSize, utf8Bytes } from '../src/size/itemSize.js';
import { TRUNCATION_MARKER } from '../src/testing.js';
import { attempt, seedState } from '@delivery-history/testkit/itemBuilders';

const Fit = suite('fitToBudget');

const withSnippet = (snippet: string, message = 'HTTP 500'): AttemptItem => {
  const a = attempt(1, 'retry');
  const details = a.deliveryResult.errorDetails;
  if (details === null) throw new Error('retry attempts have details');
  return {
    ...a,
    deliveryResult: { ...a.deliveryResult, errorDetails: { ...details, responseSnippet: snippet, message } },
  };
};
const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected Right, got ${JSON.stringify(r.left)}`);
  return r.right;
};

Fit('an item within budget is returned as is', () => {
  const a = withSnippet('small');
  assert.is(right(fitToBudget(a, 10_000)), a);
});

Fit('the largest field is cut first, with the marker and its original byte count', () => {
  const a = withSnippet('x'.repeat(5_000), 'm'.repeat(500));
  const budget = itemSize(a) - 1_000;
  const out = right(fitToBudget(a, budget));
  assert.ok(itemSize(out) <= budget);
  const snippet = out.deliveryResult.errorDetails?.responseSnippet ?? '';
  assert.ok(snippet.endsWith(TRUNCATION_MARKER));
  assert.ok(snippet.length < 5_000 && snippet.length > 3_000, 'cut only as much as needed');
  assert.is(out.deliveryResult.errorDetails?.message, 'm'.repeat(500), 'the smaller field is untouched');
  assert.equal(out.truncated, { 'deliveryResult.errorDetails.responseSnippet': 5_000 });
  assert.is(a.deliveryResult.errorDetails?.responseSnippet, 'x'.repeat(5_000), 'input not mutated');
  assert.equal(a.truncated, {});
});

Fit('header values are truncatable under request.headers.<name>', () => {
  const a = attempt(1, 'retry');
  const big = { ...a, request: { ...a.request, headers: { 'x-trace': '€'.repeat(3_000), small: 'ok' } } };
  const out = right(fitToBudget(big, itemSize(big) - 4_000));
  assert.ok(out.request.headers['x-trace']?.endsWith(TRUNCATION_MARKER));
  assert.is(out.request.headers.small, 'ok');
  assert.equal(out.truncated, { 'request.headers.x-trace': 9_000 });
});

Fit('a header named __proto__ is cut as an own property', () => {
  const a = attempt(1, 'retry');
  const headers = JSON.parse(`{"__proto__":"${'p'.repeat(2_000)}"}`) as Record<string, string>;
  const big = { ...a, request: { ...a.request, headers } };
  const out = right(fitToBudget(big, itemSize(big) - 500));
  assert.ok(Object.hasOwn(out.request.headers, '__proto__'));
  assert.ok(out.request.headers.__proto__?.endsWith(TRUNCATION_MARKER));
  assert.is(Object.getPrototypeOf(out.request.headers), Object.prototype);
  assert.ok(itemSize(out) <= itemSize(big) - 500);
});

Fit('the STATE request body becomes null, never a partial body', () => {
  const s = seedState();
  const big: StateItem = { ...s, request: { ...s.request, body: 'b'.repeat(50_000), bodyBytes: 50_000 } };
  const out = right(fitToBudget(big, 10_000));
  assert.is(out.request.body, null);
  assert.is(out.truncated['request.body'], 50_000);
  assert.ok(itemSize(out) <= 10_000);
});

Fit('a second call keeps the first original byte count and a single marker', () => {
  const a = withSnippet('y'.repeat(10_000));
  const once = right(fitToBudget(a, itemSize(a) - 2_000));
  const twice = right(fitToBudget(once, itemSize(once) - 2_000));
  const snippet = twice.deliveryResult.errorDetails?.responseSnippet ?? '';
  assert.is(snippet.split(TRUNCATION_MARKER).length, 2, 'one marker');
  assert.is(twice.truncated['deliveryResult.errorDetails.responseSnippet'], 10_000);
});

Fit('TooLarge when the fixed part alone is over budget', () => {
  const a = withSnippet('z'.repeat(1_000));
  const r = fitToBudget(a, 100);
  assert.ok(E.isLeft(r));
  if (E.isLeft(r)) {
    assert.is(r.left._tag, 'TooLarge');
    assert.is(r.left.budgetBytes, 100);
    assert.ok(r.left.sizeBytes > 100);
  }
});

Fit('only the listed fields are touched', () => {
  const a = withSnippet('s'.repeat(2_000), 'q'.repeat(2_000));
  const out = right(fitToBudget(a, itemSize(a) - 1_000, ['deliveryResult.errorDetails.message']));
  assert.is(out.deliveryResult.errorDetails?.responseSnippet, 's'.repeat(2_000));
  assert.ok(out.deliveryResult.errorDetails?.message.endsWith(TRUNCATION_MARKER));
});

// ---------------------------------------------------------------------------
// property: never over budget, for arbitrary multi-byte and nested input
// ---------------------------------------------------------------------------

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('é', '€', '😀', 'a').chain((c) => fc.integer({ min: 0, max: 3_000 }).map((n) => c.repeat(n))),
);
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const itemArb = fc.record({
  snippet: text,
  message: text,
  statusText: text,
  reqHeaders: fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), text, { maxKeys: 5 }),
  resHeaders: fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), text, { maxKeys: 5 }),
  extra: json,
});

const isCharBoundaryPrefix = (original: string, cut: string): boolean =>
  original.startsWith(cut) && Buffer.from(cut, 'utf8').toString('utf8') === cut;

Fit('property: the result never exceeds the budget, cuts are whole characters, originals recorded', () => {
  fc.assert(
    fc.property(itemArb, fc.double({ min: 0, max: 1, noNaN: true }), (g, ratio) => {
      const base = withSnippet(g.snippet, g.message);
      const item = {
        ...base,
        deliveryResult: { ...base.deliveryResult, statusText: g.statusText },
        request: { ...base.request, headers: g.reqHeaders },
        response: { headers: g.resHeaders },
        extra: g.extra,
      };
      const size = itemSize(item);
      const budget = Math.floor(size * ratio);
      const r = fitToBudget(item, budget);
      if (E.isLeft(r)) {
        assert.is(r.left._tag, 'TooLarge');
        assert.ok(r.left.sizeBytes > budget);
        return;
      }
      const out = r.right;
      assert.ok(itemSize(out) <= budget, `${itemSize(out)} <= ${budget}`);
      assert.equal(out.extra, item.extra, 'fields not listed are untouched');
      const pairs: Array<[string, string, string | null | undefined]> = [
        ['deliveryResult.errorDetails.responseSnippet', g.snippet, out.deliveryResult.errorDetails?.responseSnippet],
        ['deliveryResult.errorDetails.message', g.message, out.deliveryResult.errorDetails?.message],
        ['deliveryResult.statusText', g.statusText, out.deliveryResult.statusText],
        ...Object.entries(g.reqHeaders).map(([k, v]): [string, string, string | undefined] => [
          `request.headers.${k}`,
          v,
          out.request.headers[k],
        ]),
        ...Object.entries(g.resHeaders).map(([k, v]): [string, string, string | undefined] => [
          `response.headers.${k}`,
          v,
          out.response.headers[k],
        ]),
      ];
      for (const [path, original, now] of pairs) {
        if (now === original) continue;
        assert.ok(typeof now === 'string' && now.endsWith(TRUNCATION_MARKER), path);
        assert.ok(
          isCharBoundaryPrefix(original, now.slice(0, -TRUNCATION_MARKER.length)),
          `${path} cut on a character boundary`,
        );
        assert.is(out.truncated[path], utf8Bytes(original), path);
      }
    }),
    { numRuns: 300 },
  );
});

Fit('property: a generous enough budget always fits (no spurious TooLarge)', () => {
  fc.assert(
    fc.property(text, text, (snippet, message) => {
      const item = withSnippet(snippet, message);
      const minimal = withSnippet(TRUNCATION_MARKER, TRUNCATION_MARKER);
      // fixed part + both fields at the marker + both truncated entries (path + up to 6 bytes)
      const budget = itemSize(minimal) + 2 * 60;
      const r = fitToBudget(item, budget);
      assert.ok(E.isRight(r));
      if (E.isRight(r)) assert.ok(itemSize(r.right) <= budget);
    }),
  );
});

Fit.run();
