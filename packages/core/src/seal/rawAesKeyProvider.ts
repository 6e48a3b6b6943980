import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataKey, KeyProvider } from './keyProvider.js';
import { KeyRefused, type SealError, Unauthentic } from './sealError.js';

// ---------------------------------------------------------------------------
// A raw AES keyring (the local stand-in for KMS): wrapping keys held in memory, newest
// first. A data key is wrapped with AES-256-GCM under the newest key; any key of the ring
// unwraps what it wrapped, so rotation (add a key in front) keeps old blobs readable. The
// key material comes from the caller (the devkit keeps it under the local data dir).
// ---------------------------------------------------------------------------

export type WrappingKey = { readonly id: string; readonly key: Buffer };

const IV = 12;
const TAG = 16;
const DATA_KEY_BYTES = 32;

const wrap = (k: WrappingKey, dataKey: Buffer): Buffer => {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG });
  c.setAAD(Buffer.from(k.id, 'utf8'));
  return Buffer.concat([iv, c.update(dataKey), c.final(), c.getAuthTag()]);
};

const unwrap = (k: WrappingKey, wrapped: Buffer): E.Either<SealError, Buffer> =>
  E.tryCatch(
    () => {
      const d = createDecipheriv('aes-256-gcm', k.key, wrapped.subarray(0, IV), { authTagLength: TAG });
      d.setAAD(Buffer.from(k.id, 'utf8'));
      d.setAuthTag(wrapped.subarray(wrapped.length - TAG));
      return Buffer.concat([d.update(wrapped.subarray(IV, wrapped.length - TAG)), d.final()]);
    },
    () => Unauthentic(`data key does not unwrap under key ${k.id}`),
  );

/** `ring[0]` wraps new data keys; every key of the ring unwraps. An empty ring refuses. */
export const rawAesKeyProvider = (ring: ReadonlyArray<WrappingKey>): KeyProvider => ({
  generateDataKey: () => {
    const current = ring[0];
    if (current === undefined) return TE.left(KeyRefused('the keyring is empty'));
    const plaintext = randomBytes(DATA_KEY_BYTES);
    const dk: DataKey = { keyId: current.id, plaintext, wrapped: wrap(current, plaintext) };
    return TE.right(dk);
  },
  decryptDataKey: (keyId, wrapped) => {
    const k = ring.find((x) => x.id === keyId);
    if (k === undefined) return TE.left(KeyRefused(`key ${JSON.stringify(keyId.slice(0, 80))} is not in the keyring`));
    return TE.fromEither(unwrap(k, wrapped));
  },
});
