import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { KeyProvider } from './keyProvider.js';
import { decodeEnvelope, ENVELOPE_V1, encodeEnvelope, IV_BYTES, TAG_BYTES } from './sealEnvelope.js';
import { Malformed, type SealError, Unauthentic } from './sealError.js';

// ---------------------------------------------------------------------------
// The Sealer port and its one implementation: envelope encryption with AES-256-GCM under a
// data key from a KeyProvider. The context (message id + purpose) is the GCM AAD, so a blob
// copied onto another message (or read for another purpose) fails to open.
// ---------------------------------------------------------------------------

export type SealContext = {
  readonly messageId: string;
  /** What the blob is for (`request-credentials`): a blob of one purpose never opens as another. */
  readonly purpose: string;
};

export interface Sealer {
  seal(plaintext: string, context: SealContext): TE.TaskEither<SealError, string>;
  unseal(blob: string, context: SealContext): TE.TaskEither<SealError, string>;
}

const ALGORITHM = 'aes-256-gcm';

/** The authenticated data: version, key id and context, unambiguous (a JSON array). */
const aadOf = (keyId: string, context: SealContext): Buffer =>
  Buffer.from(JSON.stringify([ENVELOPE_V1, keyId, context.purpose, context.messageId]), 'utf8');

const encrypt = (key: Buffer, keyId: string, plaintext: string, context: SealContext) => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(keyId, context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { iv, body };
};

const decrypt = (
  key: Buffer,
  keyId: string,
  iv: Buffer,
  sealed: Buffer,
  context: SealContext,
): E.Either<SealError, string> =>
  E.tryCatch(
    () => {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadOf(keyId, context));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const out = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
      return out.toString('utf8');
    },
    () => Unauthentic(`sealed blob does not open for message ${JSON.stringify(context.messageId.slice(0, 80))}`),
  );

const KEY_BYTES = 32;

/** A sealer over `provider` (wrap it in cachingKeyProvider to spare the provider a call per blob). */
export const createSealer = (provider: KeyProvider): Sealer => ({
  seal: (plaintext, context) =>
    pipe(
      provider.generateDataKey(),
      TE.chainEitherK((dk) =>
        dk.plaintext.length !== KEY_BYTES
          ? E.left(Malformed(`data key of ${dk.plaintext.length} bytes (expected ${KEY_BYTES})`))
          : E.right(dk),
      ),
      TE.map((dk) => {
        const { iv, body } = encrypt(dk.plaintext, dk.keyId, plaintext, context);
        return encodeEnvelope({ version: ENVELOPE_V1, keyId: dk.keyId, wrapped: dk.wrapped, iv, sealed: body });
      }),
    ),
  unseal: (blob, context) =>
    pipe(
      TE.fromEither(decodeEnvelope(blob)),
      TE.chain((env) =>
        pipe(
          provider.decryptDataKey(env.keyId, env.wrapped),
          TE.chainEitherK((key) => decrypt(key, env.keyId, env.iv, env.sealed, context)),
        ),
      ),
    ),
});
