import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { SealError } from './sealError.js';

// ---------------------------------------------------------------------------
// The key-provider port of envelope encryption: it makes data keys and unwraps them. On AWS
// a KMS key (GenerateDataKey / Decrypt, the worker's package); locally a raw AES keyring
// (rawAesKeyProvider, its key kept by the devkit). The provider never sees the plaintext.
// ---------------------------------------------------------------------------

export type DataKey = {
  /** Names the wrapping key and its version; stored in the blob so rotation keeps old blobs readable. */
  readonly keyId: string;
  /** 32 bytes (AES-256); never stored. */
  readonly plaintext: Buffer;
  /** The data key wrapped by the provider: only the provider can unwrap it. */
  readonly wrapped: Buffer;
};

export interface KeyProvider {
  generateDataKey(): TE.TaskEither<SealError, DataKey>;
  /** Unwraps a data key made by this provider (or an older key version it still knows). */
  decryptDataKey(keyId: string, wrapped: Buffer): TE.TaskEither<SealError, Buffer>;
}
