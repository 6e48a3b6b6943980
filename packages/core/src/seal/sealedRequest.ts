import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import { nullable, StringMap } from '../codecs/primitives.js';
import type { SecretPolicy } from '../redaction/policy.js';
import { redactHeadersWith } from '../redaction/request.js';
import { redactUrlWith } from '../redaction/url.js';
import type { Sealer } from './sealer.js';
import { Malformed, type SealError } from './sealError.js';

// ---------------------------------------------------------------------------
// Credentials sealed, not dropped: what the secret policy redacts from a request (the
// policy decides, here nothing is re-decided) is kept as one sealed blob next to the
// redacted request, and restored at send time. What is sealed: the original URL when its
// redaction changed it (user-info, credential query or matrix parameters, provider path
// secrets), and the original value of each header whose redaction changed it.
// ---------------------------------------------------------------------------

/** The purpose bound into the blob's AAD (with the message id). */
export const SEALED_REQUEST_PURPOSE = 'request-credentials';

const SealedParts = t.type({ url: nullable(t.string), headers: StringMap });
export type SealedParts = t.TypeOf<typeof SealedParts>;

type UrlAndHeaders = Pick<DeliveryRequest, 'url' | 'headers'>;

/** The values redaction removes from `request`, or null when it removes nothing. */
export const partsToSeal = (request: UrlAndHeaders, policy: SecretPolicy): SealedParts | null => {
  const url = redactUrlWith(request.url, policy) === request.url ? null : request.url;
  const redacted = redactHeadersWith(request.headers, policy);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([k, v]) => redacted[k] !== v));
  return url === null && Object.keys(headers).length === 0 ? null : { url, headers };
};

/**
 * The request with its sealed values put back: the original URL, and each sealed header the
 * request still names (under the same name). Nothing else changes.
 */
export const restoreRequest = <R extends UrlAndHeaders>(request: R, parts: SealedParts): R => ({
  ...request,
  url: parts.url ?? request.url,
  headers: Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, Object.hasOwn(parts.headers, k) ? (parts.headers[k] ?? v) : v]),
  ),
});

/** Whether the request carries no credential in clear (a re-drive's body: the stored, redacted request). */
export const carriesNoSecret = (request: UrlAndHeaders, policy: SecretPolicy): boolean =>
  partsToSeal(request, policy) === null;

const contextOf = (messageId: string) => ({ messageId, purpose: SEALED_REQUEST_PURPOSE });

/** The blob of a request's credentials; null when it has none to seal. */
export const sealRequest = (
  sealer: Sealer,
  request: UrlAndHeaders & Pick<DeliveryRequest, 'messageId'>,
  policy: SecretPolicy,
): TE.TaskEither<SealError, string | null> => {
  const parts = partsToSeal(request, policy);
  return parts === null ? TE.right(null) : sealer.seal(JSON.stringify(parts), contextOf(request.messageId));
};

// the plaintext is credentials: a decode failure names no value
const decodeParts = (json: string): E.Either<SealError, SealedParts> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(json) as unknown,
      () => Malformed('sealed request is not JSON'),
    ),
    E.chain((u) => (SealedParts.is(u) ? E.right(u) : E.left(Malformed('sealed request has an unexpected shape')))),
  );

/** The request with its credentials restored from `blob` (sealed for this message id only). */
export const unsealRequest = <R extends UrlAndHeaders & Pick<DeliveryRequest, 'messageId'>>(
  sealer: Sealer,
  request: R,
  blob: string,
): TE.TaskEither<SealError, R> =>
  pipe(
    sealer.unseal(blob, contextOf(request.messageId)),
    TE.chainEitherK(decodeParts),
    TE.map((parts) => restoreRequest(request, parts)),
  );
