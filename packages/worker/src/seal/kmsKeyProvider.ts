import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type DataKey, type KeyProvider, type SealError, sealing } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';

// ---------------------------------------------------------------------------
// The KMS key provider: GenerateDataKey / Decrypt under one customer managed key. The KMS
// encryption context names the purpose, so a key policy can allow this use and no other
// (kms:EncryptionContext:purpose); the message id is bound per blob in the AES-GCM AAD
// (a cached data key serves many messages). The blob stores the key ARN KMS answered with,
// so after a switch to a new key (alias moved) old blobs still decrypt under the old one;
// KMS's yearly automatic rotation needs nothing at all (the ciphertext names its version).
// ---------------------------------------------------------------------------

export const KMS_ENCRYPTION_CONTEXT = { purpose: 'delivery-history/request-credentials' } as const;

/** KMS answers that repeating cannot change (the others, throttling and 5xx included, may pass). */
const REFUSED: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'DisabledException',
  'NotFoundException',
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
  'IncorrectKeyException',
  'InvalidCiphertextException',
  'InvalidGrantTokenException',
  'UnsupportedOperationException',
]);

const toSealError =
  (op: string) =>
  (e: unknown): SealError => {
    const name = e instanceof Error ? e.name : 'Error';
    const message = `KMS ${op}: ${name}${e instanceof Error && e.message !== '' ? ` (${e.message.slice(0, 200)})` : ''}`;
    return REFUSED.has(name) ? sealing.KeyRefused(message, e) : sealing.KeyUnavailable(message, e);
  };

const bytes = (op: string, what: string, b: Uint8Array | undefined): E.Either<SealError, Buffer> =>
  b === undefined ? E.left(sealing.KeyUnavailable(`KMS ${op}: no ${what} in the answer`)) : E.right(Buffer.from(b));

export const kmsKeyProvider = (kms: Pick<KMSClient, 'send'>, keyId: string): KeyProvider => ({
  generateDataKey: () =>
    pipe(
      TE.tryCatch(
        () =>
          kms.send(
            new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: KMS_ENCRYPTION_CONTEXT }),
          ),
        toSealError('GenerateDataKey'),
      ),
      TE.chainEitherK((out) =>
        pipe(
          E.Do,
          E.apS('plaintext', bytes('GenerateDataKey', 'Plaintext', out.Plaintext)),
          E.apS('wrapped', bytes('GenerateDataKey', 'CiphertextBlob', out.CiphertextBlob)),
          E.map(({ plaintext, wrapped }): DataKey => ({ keyId: out.KeyId ?? keyId, plaintext, wrapped })),
        ),
      ),
    ),
  decryptDataKey: (blobKeyId, wrapped) =>
    pipe(
      TE.tryCatch(
        () =>
          kms.send(
            new DecryptCommand({
              CiphertextBlob: wrapped,
              KeyId: blobKeyId,
              EncryptionContext: KMS_ENCRYPTION_CONTEXT,
            }),
          ),
        toSealError('Decrypt'),
      ),
      TE.chainEitherK((out) => bytes('Decrypt', 'Plaintext', out.Plaintext)),
    ),
});
