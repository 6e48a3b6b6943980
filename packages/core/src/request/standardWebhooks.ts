import { createHmac, timingSafeEqual } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// Standard Webhooks signing (https://www.standardwebhooks.com):
//   webhook-id: <message id, the same on every retry so receivers can dedupe>
//   webhook-timestamp: <unix seconds of this attempt>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>
// The secret is `whsec_<base64 key>`; several secrets (space separated) give several
// signatures, which lets a receiver rotate keys without downtime.
// ---------------------------------------------------------------------------

export type SigningKeys = ReadonlyArray<Buffer>;

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const parseOne = (secret: string): E.Either<string, Buffer> => {
  if (!secret.startsWith(PREFIX)) return E.left(`a signing secret must start with ${PREFIX}`);
  const b64 = secret.slice(PREFIX.length);
  if (!BASE64.test(b64) || b64.length % 4 !== 0) return E.left('a signing secret must be whsec_ followed by base64');
  const key = Buffer.from(b64, 'base64');
  // The spec asks for 24..64 random bytes; shorter keys are too weak to sign with.
  return key.length < 24 || key.length > 64
    ? E.left(`a signing key must be 24..64 bytes, got ${key.length}`)
    : E.right(key);
};

/** `whsec_...` (or several, space separated); the error never echoes the secret. */
export const parseSigningSecrets = (text: string): E.Either<string, SigningKeys> => {
  const keys: Buffer[] = [];
  for (const part of text.trim().split(/\s+/)) {
    const parsed = parseOne(part);
    if (E.isLeft(parsed)) return parsed;
    keys.push(parsed.right);
  }
  return keys.length === 0 ? E.left('empty signing secret') : E.right(keys);
};

const sign = (key: Buffer, id: string, timestamp: number, body: string): string =>
  createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');

export type SignInput = { readonly id: string; readonly timestampSeconds: number; readonly body: string };

/**
 * The Standard Webhooks headers for one attempt. `webhook-id` and `webhook-timestamp` are sent
 * even without a secret (receivers dedupe on the id); `webhook-signature` only with keys.
 */
export const signatureHeaders = (keys: SigningKeys | null, input: SignInput): Record<string, string> => ({
  'webhook-id': input.id,
  'webhook-timestamp': String(input.timestampSeconds),
  ...(keys === null || keys.length === 0
    ? {}
    : {
        'webhook-signature': keys.map((k) => `v1,${sign(k, input.id, input.timestampSeconds, input.body)}`).join(' '),
      }),
});

export type VerifyFailure = 'missing-headers' | 'stale-timestamp' | 'bad-signature';

/**
 * What a receiver does (used by the demo receivers and tests): check the timestamp is
 * within `toleranceSeconds` of `nowSeconds` and one `v1` signature matches.
 */
export const verifySignature = (
  keys: SigningKeys,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): E.Either<VerifyFailure, string> => {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = one('webhook-timestamp');
  const sig = one('webhook-signature');
  if (id === undefined || ts === undefined || sig === undefined || !/^\d+$/.test(ts)) return E.left('missing-headers');
  const timestamp = Number(ts);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return E.left('stale-timestamp');
  const offered = sig
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  const ok = keys.some((k) => {
    const expected = Buffer.from(sign(k, id, timestamp, body), 'base64');
    return offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected));
  });
  return ok ? E.right(id) : E.left('bad-signature');
};
