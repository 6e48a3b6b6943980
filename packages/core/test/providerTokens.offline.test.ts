// One named test per provider token shape (src/redaction/providerTokens.ts): the free-text
// scrub (what the worker applies to snippets, reason phrases and kept headers) removes it and
// keeps its prefix, and findSecrets (what `dh verify` runs) flags it planted in a stored item.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultSecretPolicy as policy, findSecrets } from '../src/index.js';
import { keepResponseHeaders } from '../src/redaction/response.js';
import { REDACTED } from '../src/redaction/names.js';
import { scrubText } from '../src/redaction/freeText.js';
import { detectInText } from '../src/testing.js';
import { PROVIDER_TOKENS } from '../src/redaction/providerTokens.js';
import { attempt } from '@delivery-history/testkit/itemBuilders';
import { NOT_TOKENS, SHAPES, TOKEN_SAMPLES, type TokenSample } from './support/tokenSamples.js';

const Tokens = suite('secret policy: provider token shapes');

/** Where a receiver puts text: a page, a JSON error, a reason phrase, a URL query. */
const contexts = (t: string): string[] => [
  `Unauthorized: token ${t} is not valid for this resource`,
  JSON.stringify({ error: 'invalid_token', token: t, hint: 'rotate it' }),
  `Bad ${t}`,
  `https://app.example/cb?next=${encodeURIComponent(t)}&page=2`,
  t,
];

/** The secret part of a sample (what must never be stored). */
const secretOf = (s: TokenSample): string => s.token.slice(s.prefix.length);

/** A 10-character piece of the secret left in `out`, as is or percent-encoded; null when none. */
const leftover = (out: string, secret: string): string | null => {
  for (let i = 0; i + 10 <= secret.length; i++) {
    const piece = secret.slice(i, i + 10);
    if (out.includes(piece) || out.includes(encodeURIComponent(piece))) return piece;
  }
  return null;
};

const plantedFindings = (s: TokenSample): string[] => {
  const item = attempt(1, 'final');
  const planted = {
    ...item,
    response: { headers: { server: `gw ${s.token}`, 'x-request-id': s.token, location: `/cb?next=${s.token}` } },
    deliveryResult: {
      ...item.deliveryResult,
      statusText: `Bad ${s.token}`,
      errorDetails: {
        code: 'HTTP_401',
        message: 'HTTP 401',
        category: 'client_error',
        responseSnippet: `{"t":"${s.token}"}`,
      },
    },
  };
  return findSecrets(planted, policy)
    .filter((f) => f.pattern === s.shape)
    .map((f) => f.path)
    .sort();
};

for (const shape of SHAPES) {
  Tokens(`${shape}: scrubbed from snippet, reason phrase, headers and Location; flagged by findSecrets`, () => {
    const samples = TOKEN_SAMPLES.filter((s) => s.shape === shape);
    assert.ok(samples.length > 0);
    for (const s of samples) {
      for (const text of contexts(s.token)) {
        assert.ok(detectInText(text, policy).includes(shape), `${shape} detected in ${text}`);
        const out = scrubText(text, policy);
        assert.is(leftover(out, secretOf(s)), null, `${shape}: ${out}`);
        assert.ok(out.includes(`${s.prefix}${REDACTED}`) || out.includes(REDACTED), out);
        assert.equal(detectInText(out, policy), [], `scrubbed clean: ${out}`);
        assert.is(scrubText(out, policy), out, 'idempotent');
      }
      assert.is(scrubText(`x ${s.token} y`, policy), `x ${s.prefix}${REDACTED} y`, 'the prefix stays, the rest goes');
      const kept = keepResponseHeaders(
        {
          server: `edge/1.2 (${s.token})`,
          'x-request-id': s.token,
          'x-correlation-id': s.token,
          location: `https://app.example/cb?next=${s.token}`,
        },
        policy,
      );
      assert.is(leftover(JSON.stringify(kept), secretOf(s)), null, JSON.stringify(kept));
      assert.equal(
        plantedFindings(s),
        [
          'deliveryResult.errorDetails.responseSnippet',
          'deliveryResult.statusText',
          'response.headers.location',
          'response.headers.server',
          'response.headers.x-request-id',
        ],
        `${shape} planted in every text of an item`,
      );
      // inside a longer word it is not this shape
      assert.not.ok(detectInText(`a${s.token}`, policy).includes(shape), `a${s.token}`);
    }
  });
}

Tokens('every shape of the list has samples here (so each has its named tests)', () => {
  assert.equal([...new Set(PROVIDER_TOKENS.map((t) => t.name))].sort(), [...SHAPES].sort());
});

Tokens('text that only resembles a token is kept byte for byte', () => {
  for (const text of NOT_TOKENS) {
    assert.is(scrubText(text, policy), text);
    assert.equal(detectInText(text, policy), [], text);
  }
});

Tokens.run();
