import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSigningSecrets, signatureHeaders, verifySignature } from '@delivery-history/core';

const keysOf = (secret: string) => {
  const r = parseSigningSecrets(secret);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};

const Sign = suite('Standard Webhooks signing');

// The reference vector used by the Standard Webhooks / Svix libraries' own tests.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const PAYLOAD = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

Sign('matches the reference signature', () => {
  const h = signatureHeaders(keysOf(SECRET), { id: ID, timestampSeconds: TS, body: PAYLOAD });
  assert.equal(h, { 'webhook-id': ID, 'webhook-timestamp': String(TS), 'webhook-signature': EXPECTED });
});

Sign('verifies, and refuses a changed body, a stale timestamp or missing headers', () => {
  const keys = keysOf(SECRET);
  const h = signatureHeaders(keys, { id: ID, timestampSeconds: TS, body: PAYLOAD });
  assert.equal(verifySignature(keys, h, PAYLOAD, TS + 10), E.right(ID));
  assert.equal(verifySignature(keys, h, `${PAYLOAD} `, TS), E.left('bad-signature'));
  assert.equal(verifySignature(keys, h, PAYLOAD, TS + 301), E.left('stale-timestamp'));
  assert.equal(verifySignature(keys, { 'webhook-id': ID }, PAYLOAD, TS), E.left('missing-headers'));
});

Sign('several secrets give several signatures (key rotation)', () => {
  const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const both = keysOf(`${SECRET} ${other}`);
  const h = signatureHeaders(both, { id: ID, timestampSeconds: TS, body: PAYLOAD });
  const sigs = (h['webhook-signature'] ?? '').split(' ');
  assert.is(sigs.length, 2);
  assert.is(sigs[0], EXPECTED);
  assert.ok(E.isRight(verifySignature(keysOf(other), h, PAYLOAD, TS)));
});

Sign('rejects malformed secrets without echoing them', () => {
  for (const bad of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_***', 'whsec_c2hvcnQ=', '']) {
    const r = parseSigningSecrets(bad);
    assert.ok(E.isLeft(r), bad);
    if (E.isLeft(r) && bad.length > 8) assert.not.match(r.left, bad.slice(6));
  }
});

Sign.run();
