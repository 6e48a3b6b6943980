import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEALED_REQUEST_PURPOSE } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LOCAL_KEYRING_VAR, localKeyringPath, localSealer } from '../src/localKeyring.js';

const K = suite('devkit: the local keyring (KMS stand-in)');

const ctx = { messageId: 'm', purpose: SEALED_REQUEST_PURPOSE };

K('made once (0600), shared by every local worker; without the file nothing opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dh-keyring-test-'));
  try {
    const env = { [LOCAL_KEYRING_VAR]: join(dir, 'sub', 'keyring.json') };
    assert.is(localKeyringPath(env), join(dir, 'sub', 'keyring.json'));
    // many at once: one key wins, every sealer uses it
    const sealers = Array.from({ length: 8 }, () => localSealer(env));
    assert.is(statSync(localKeyringPath(env)).mode & 0o777, 0o600);
    const blob = await sealers[0]?.seal('Bearer T', ctx)();
    assert.ok(blob !== undefined && E.isRight(blob));
    for (const s of sealers)
      assert.equal(await s.unseal(E.isRight(blob) ? blob.right : '', ctx)(), E.right('Bearer T'));
    // rotation: a new key first; old blobs still open, new blobs use the new key
    const file = JSON.parse(readFileSync(localKeyringPath(env), 'utf8')) as { keys: unknown[] };
    const fresh = { id: 'local/rotated', key: Buffer.alloc(32, 7).toString('base64') };
    writeFileSync(localKeyringPath(env), JSON.stringify({ keys: [fresh, ...file.keys] }));
    const rotated = localSealer(env);
    assert.equal(await rotated.unseal(E.isRight(blob) ? blob.right : '', ctx)(), E.right('Bearer T'));
    const newer = await rotated.seal('x', ctx)();
    assert.ok(
      E.isRight(newer) && newer.right.startsWith(`dhseal1.${Buffer.from('local/rotated').toString('base64url')}.`),
    );
    // the file gone: a new keyring, and the old blob is unrecoverable (local crypto-shredding)
    rmSync(localKeyringPath(env));
    const r = await localSealer(env).unseal(E.isRight(blob) ? blob.right : '', ctx)();
    assert.ok(E.isLeft(r) && r.left._tag === 'KeyRefused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

K.run();
