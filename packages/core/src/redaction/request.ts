import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import { unsendableHeaderChar } from '../request/unsendableHeaderChar.js';
import { type KnownSecrets, knownSecrets, scrubText } from './freeText.js';
import { REDACTED, WORKER_OWNED_HEADERS } from './names.js';
import { defaultSecretPolicy, isSecretHeader, type SecretPolicy } from './policy.js';
import { analyzeUrl, redactUrlWith } from './url.js';

// ---------------------------------------------------------------------------
// The request side: what STATE and ATTEMPT store of a request, and the secret values
// it carries (for the exact-value scrub of whatever comes back).
// ---------------------------------------------------------------------------

/**
 * Credential header values -> `[REDACTED]`; so is a value no HTTP header can carry (the
 * worker refuses to send it, and its control or bidi characters are no evidence worth
 * keeping raw: the attempt's error names the header and the character); other values
 * pass the free-text scrub.
 */
export const redactHeadersWith = (
  headers: Readonly<Record<string, string>>,
  policy: SecretPolicy,
  known?: KnownSecrets,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      isSecretHeader(policy, k) || unsendableHeaderChar(v) !== null ? REDACTED : scrubText(v, policy, known),
    ]),
  );

const WORKER_OWNED: ReadonlySet<string> = new Set(WORKER_OWNED_HEADERS);

/** Whether a sent header is the worker's own Standard Webhooks header (kept as sent). */
export const isWorkerOwnedHeader = (name: string): boolean => WORKER_OWNED.has(name.trim().toLowerCase());

/**
 * The headers a request went out with, as an attempt stores them: the worker's own
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` as sent (a request cannot set
 * them; the signature is an HMAC of this one payload and time, no credential, and exactly what
 * support needs for "signature invalid"), every other header by the request rule. Idempotent.
 */
export const redactSentHeadersWith = (
  headers: Readonly<Record<string, string>>,
  policy: SecretPolicy,
  known?: KnownSecrets,
): Record<string, string> => {
  const redacted = redactHeadersWith(headers, policy, known);
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, isWorkerOwnedHeader(k) ? v : (redacted[k] ?? REDACTED)]),
  );
};

/** The request with its URL and headers redacted (body and other fields unchanged). Idempotent. */
export const redactRequestWith = (
  request: DeliveryRequest,
  policy: SecretPolicy = defaultSecretPolicy,
): DeliveryRequest => ({
  ...request,
  url: redactUrlWith(request.url, policy),
  headers: redactHeadersWith(request.headers, policy),
});

/** The parts of one credential header value an echo may show on its own. */
const headerValueParts = (value: string): string[] => {
  const parts = [value];
  const scheme = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s+(\S.*)$/.exec(value);
  if (scheme?.[2] !== undefined) {
    parts.push(scheme[2].trim());
    if (scheme[1]?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2].trim(), 'base64').toString('utf8');
      parts.push(decoded, ...decoded.split(':').slice(1));
    }
  }
  // cookies and key=value lists: each value
  for (const pair of value.split(/[;,]/)) {
    const eq = pair.indexOf('=');
    if (eq > 0) parts.push(pair.slice(eq + 1).trim());
  }
  return parts;
};

/** Every secret value this request carries: credential headers, URL secrets, user-info (and its Basic form). */
export const requestSecretValues = (
  request: { readonly url: string; readonly headers: Readonly<Record<string, string>> },
  policy: SecretPolicy,
): string[] => [
  ...analyzeUrl(request.url, policy).secrets,
  ...Object.entries(request.headers)
    .filter(([k]) => isSecretHeader(policy, k))
    .flatMap(([, v]) => headerValueParts(v)),
];

/** The exact-value scrubber for what comes back from this request. */
export const requestSecrets = (
  request: { readonly url: string; readonly headers: Readonly<Record<string, string>> },
  policy: SecretPolicy,
): KnownSecrets => knownSecrets(requestSecretValues(request, policy));
