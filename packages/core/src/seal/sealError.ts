// ---------------------------------------------------------------------------
// model: why a seal or unseal failed (closed union). Messages never carry key material,
// plaintext or the blob itself.
// ---------------------------------------------------------------------------

/** The key provider could not be reached or answered with a transient error: try again later. */
export type KeyUnavailable = { readonly _tag: 'KeyUnavailable'; readonly message: string; readonly cause?: unknown };
/** The key provider refused for good (access denied, key disabled or unknown to this keyring). */
export type KeyRefused = { readonly _tag: 'KeyRefused'; readonly message: string; readonly cause?: unknown };
/** Not a sealed envelope this code can read (unknown version, bad encoding). */
export type Malformed = { readonly _tag: 'Malformed'; readonly message: string };
/** Authentication failed: a different message id or purpose, or the blob was altered. */
export type Unauthentic = { readonly _tag: 'Unauthentic'; readonly message: string };

export type SealError = KeyUnavailable | KeyRefused | Malformed | Unauthentic;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const KeyUnavailable = (message: string, cause?: unknown): SealError => ({
  _tag: 'KeyUnavailable',
  message,
  ...(cause === undefined ? {} : { cause }),
});
export const KeyRefused = (message: string, cause?: unknown): SealError => ({
  _tag: 'KeyRefused',
  message,
  ...(cause === undefined ? {} : { cause }),
});
export const Malformed = (message: string): SealError => ({ _tag: 'Malformed', message });
export const Unauthentic = (message: string): SealError => ({ _tag: 'Unauthentic', message });

/** Worth another go later (the provider may come back); the rest never succeed on repeat. */
export const isTransientSealError = (e: SealError): boolean => e._tag === 'KeyUnavailable';
