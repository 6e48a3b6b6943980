import * as E from 'fp-ts/lib/Either.js';
import { Malformed, type SealError } from './sealError.js';

// ---------------------------------------------------------------------------
// The stored form of a sealed blob (pure): one ASCII string, so it is an ordinary DynamoDB
// string attribute and `dh verify` can tell it from text.
//
//   dhseal1.<keyId>.<wrapped data key>.<iv>.<ciphertext + tag>     (each part base64url)
//
// Version 1: AES-256-GCM, 12-byte IV, 16-byte tag; the AAD binds the version, the key id,
// the purpose and the message id (see createSealer). A later version gets a new prefix and
// this decoder keeps reading version 1.
// ---------------------------------------------------------------------------

export const ENVELOPE_V1 = 'dhseal1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type Envelope = {
  readonly version: typeof ENVELOPE_V1;
  readonly keyId: string;
  readonly wrapped: Buffer;
  readonly iv: Buffer;
  /** Ciphertext followed by the GCM tag. */
  readonly sealed: Buffer;
};

const B64URL = /^[A-Za-z0-9_-]+$/;

const part = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export const encodeEnvelope = (e: Envelope): string =>
  [e.version, part(e.keyId), part(e.wrapped), part(e.iv), part(e.sealed)].join('.');

/** A blob this code can read, or why not (never echoing the blob). */
export const decodeEnvelope = (blob: string): E.Either<SealError, Envelope> => {
  const parts = blob.split('.');
  if (parts[0] !== ENVELOPE_V1) return E.left(Malformed('not a sealed envelope (unknown version)'));
  if (parts.length !== 5 || !parts.slice(1).every((p) => B64URL.test(p)))
    return E.left(Malformed('sealed envelope: expected 5 base64url parts'));
  const [, keyId, wrapped, iv, sealed] = parts.map((p) => Buffer.from(p, 'base64url'));
  if (keyId === undefined || wrapped === undefined || iv === undefined || sealed === undefined)
    return E.left(Malformed('sealed envelope: missing part'));
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES)
    return E.left(Malformed('sealed envelope: bad IV or tag length'));
  return E.right({ version: ENVELOPE_V1, keyId: keyId.toString('utf8'), wrapped, iv, sealed });
};

/** Whether a stored string is a sealed envelope (what `dh verify` accepts in the `sealed` attribute). */
export const isSealedEnvelope = (v: unknown): boolean => typeof v === 'string' && E.isRight(decodeEnvelope(v));
