import { createHash } from 'node:crypto';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import type { AttemptRequest, StateRequest } from '../codecs/items.js';
import { defaultSecretPolicy, type SecretPolicy } from '../redaction/policy.js';
import { redactRequestWith } from '../redaction/request.js';
import { utf8Bytes } from '../size/itemSize.js';

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * sha256 of the redacted request (method, url, headers with lower-cased sorted
 * names, body hash, correlationId, maxAttempts): equal for the same delivery,
 * different when any of those differ. Used for idempotent create.
 */
export const requestFingerprint = (request: DeliveryRequest, policy: SecretPolicy = defaultSecretPolicy): string => {
  const r = redactRequestWith(request, policy);
  const headers = Object.entries(r.headers)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(
    JSON.stringify([r.messageId, r.method, r.url, headers, sha256Hex(r.body), r.correlationId, r.maxAttempts]),
  );
};

/** The `request` block of an attempt item: redacted url and headers, body size and hash. */
export const attemptRequestOf = (
  request: DeliveryRequest,
  policy: SecretPolicy = defaultSecretPolicy,
): AttemptRequest => {
  const r = redactRequestWith(request, policy);
  return {
    method: r.method,
    url: r.url,
    headers: r.headers,
    bodyBytes: utf8Bytes(r.body),
    bodySha256: sha256Hex(r.body),
  };
};

/**
 * The same block from a stored STATE's request (already redacted and hashed at create): the
 * live path builds it once per claim from the claimed STATE instead of redacting again.
 */
export const attemptRequestOfState = (r: StateRequest): AttemptRequest => ({
  method: r.method,
  url: r.url,
  headers: r.headers,
  bodyBytes: r.bodyBytes,
  bodySha256: r.bodySha256,
});
