import { randomBytes } from 'node:crypto';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type DeliveryRequest, defaultSecretPolicy, findSecrets, type KeyProvider } from '../src/index.js';
import { cachingKeyProvider } from '../src/seal/cachingKeyProvider.js';
import { rawAesKeyProvider, type WrappingKey } from '../src/seal/rawAesKeyProvider.js';
import { sealRequest, unsealRequest } from '../src/seal/sealedRequest.js';
import { createSealer } from '../src/seal/sealer.js';
import { redactRequestWith, SEALED_REQUEST_PURPOSE } from '../src/testing.js';

const Seal = suite('sealing: envelope encryption bound to the message id');

const key = (id: string): WrappingKey => ({ id, key: randomBytes(32) });
const K1 = key('local/k1');
const K2 = key('local/k2');
const sealer = createSealer(rawAesKeyProvider([K1]));
const ctx = (messageId: string) => ({ messageId, purpose: SEALED_REQUEST_PURPOSE });

const run = async <A>(te: TE.TaskEither<{ _tag: string }, A>): Promise<E.Either<{ _tag: string }, A>> => te();
const right = async <A>(te: TE.TaskEither<{ _tag: string; message?: string }, A>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left._tag}: ${r.left.message ?? ''}`);
  return r.right;
};

Seal('property: unseal(seal(x)) == x under the same context; any other message id or purpose fails', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary' }), fc.string(), fc.string(), async (x, id, other) => {
      fc.pre(id !== other);
      const blob = await right(sealer.seal(x, ctx(id)));
      assert.is(await right(sealer.unseal(blob, ctx(id))), x);
      const wrongId = await run(sealer.unseal(blob, ctx(other)));
      assert.ok(E.isLeft(wrongId) && wrongId.left._tag === 'Unauthentic', 'another message id');
      const wrongPurpose = await run(sealer.unseal(blob, { messageId: id, purpose: 'something-else' }));
      assert.ok(E.isLeft(wrongPurpose) && wrongPurpose.left._tag === 'Unauthentic', 'another purpose');
    }),
    { numRuns: 200 },
  );
});

const secretArb = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789'),
  minLength: 12,
});

Seal('property: a request redacted then restored from its blob is the original, for its own id only', async () => {
  await fc.assert(
    fc.asyncProperty(secretArb, secretArb, secretArb, secretArb, async (t, k, q, p) => {
      const original: DeliveryRequest = {
        messageId: 'msg-1',
        url: `https://svc:${p}@hooks.example.com/in?page=2&token=${q}#frag`,
        method: 'POST',
        headers: { Authorization: `Bearer ${t}`, 'X-Api-Key': k, 'X-Trace': 'abc' },
        body: '{"a":1}',
        correlationId: 'c',
        maxAttempts: null,
      };
      const blob = await right(sealRequest(sealer, original, defaultSecretPolicy));
      assert.type(blob, 'string');
      for (const s of [t, k, q, p]) assert.not.ok((blob as string).includes(s), 'the blob carries no plaintext');
      const stored = redactRequestWith(original, defaultSecretPolicy);
      assert.equal(findSecrets({ ...stored, sealed: blob }), [], 'dh verify accepts the stored form');
      const restored = await right(unsealRequest(sealer, stored, blob as string));
      assert.equal(restored, original);
      const other = await run(unsealRequest(sealer, { ...stored, messageId: 'msg-2' }, blob as string));
      assert.ok(E.isLeft(other) && other.left._tag === 'Unauthentic');
    }),
    { numRuns: 100 },
  );
});

Seal('dh verify: a sealed attribute must be an envelope (plaintext there is a finding)', () => {
  assert.equal(findSecrets({ sealed: 'Bearer abc' }), [
    { path: 'sealed', pattern: 'sealed attribute is not a sealed envelope' },
  ]);
});

Seal('a request with nothing to redact has nothing to seal', async () => {
  const r = { messageId: 'm', url: 'https://h.example/in?page=1', headers: { 'content-type': 'text/plain' } };
  assert.is(await right(sealRequest(sealer, r, defaultSecretPolicy)), null);
});

Seal(
  'rotation: a blob sealed under k1 opens with the ring [k2, k1]; new blobs use k2; without k1 it is refused',
  async () => {
    const blob = await right(sealer.seal('secret', ctx('m')));
    const rotated = createSealer(rawAesKeyProvider([K2, K1]));
    assert.is(await right(rotated.unseal(blob, ctx('m'))), 'secret');
    const newer = await right(rotated.seal('secret', ctx('m')));
    assert.is(await right(createSealer(rawAesKeyProvider([K2])).unseal(newer, ctx('m'))), 'secret');
    const gone = await run(createSealer(rawAesKeyProvider([K2])).unseal(blob, ctx('m')));
    assert.ok(E.isLeft(gone) && gone.left._tag === 'KeyRefused');
  },
);

Seal('a changed byte, a bad envelope or a key of the same id but other material: refused, never garbage', async () => {
  const blob = await right(sealer.seal('secret', ctx('m')));
  const parts = blob.split('.');
  const body = Buffer.from(parts[4] ?? '', 'base64url');
  body[0] = (body[0] ?? 0) ^ 1;
  const tampered = [...parts.slice(0, 4), body.toString('base64url')].join('.');
  const t = await run(sealer.unseal(tampered, ctx('m')));
  assert.ok(E.isLeft(t) && t.left._tag === 'Unauthentic');
  for (const bad of ['', 'plain text', 'dhseal9.a.b.c.d', 'dhseal1.a.b']) {
    const m = await run(sealer.unseal(bad, ctx('m')));
    assert.ok(E.isLeft(m) && m.left._tag === 'Malformed', bad);
  }
  const impostor = createSealer(rawAesKeyProvider([key('local/k1')]));
  const i = await run(impostor.unseal(blob, ctx('m')));
  assert.ok(E.isLeft(i) && i.left._tag === 'Unauthentic');
});

const counting = (inner: KeyProvider) => {
  const calls = { generate: 0, decrypt: 0 };
  const provider: KeyProvider = {
    generateDataKey: () => {
      calls.generate++;
      return inner.generateDataKey();
    },
    decryptDataKey: (id, w) => {
      calls.decrypt++;
      return inner.decryptDataKey(id, w);
    },
  };
  return { calls, provider };
};

Seal('the data-key cache: one provider call per maxUses blobs or per maxAgeMs, unwraps remembered', async () => {
  let now = 0;
  const { calls, provider } = counting(rawAesKeyProvider([K1]));
  const cached = createSealer(
    cachingKeyProvider(provider, () => new Date(now), { maxAgeMs: 1_000, maxUses: 3, maxEntries: 2 }),
  );
  const blobs: string[] = [];
  for (let i = 0; i < 7; i++) blobs.push(await right(cached.seal(`s${i}`, ctx(`m${i}`))));
  assert.is(calls.generate, 3, '7 blobs at 3 uses per key: 3 data keys');
  now += 1_000;
  await right(cached.seal('late', ctx('late')));
  assert.is(calls.generate, 4, 'an old key is not used past maxAgeMs');
  const before = calls.decrypt;
  assert.is(await right(cached.unseal(blobs[6] ?? '', ctx('m6'))), 's6');
  assert.is(calls.decrypt, before + 1, 'an aged unwrap asks the provider again');
  assert.is(await right(cached.unseal(blobs[6] ?? '', ctx('m6'))), 's6');
  assert.is(calls.decrypt, before + 1, 'then it is remembered');
  // a wrong context still fails with a cached key: the AAD is checked per blob
  const wrong = await run(cached.unseal(blobs[6] ?? '', ctx('m5')));
  assert.ok(E.isLeft(wrong) && wrong.left._tag === 'Unauthentic');
});

Seal.run();
