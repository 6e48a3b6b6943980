// ---------------------------------------------------------------------------
// Built-in name lists of the secret policy (invariant 9). Matching is on lower-cased
// names; parameter names are percent-decoded first. Extended by the DELIVERY_REDACT_*
// settings (see policy.ts), never shortened.
// ---------------------------------------------------------------------------

/** Replaces every redacted value. */
export const REDACTED = '[REDACTED]';

/** Request/response header names whose value is a credential, whatever else they say. */
export const SECRET_HEADER_NAMES: ReadonlyArray<string> = [
  'authorization',
  'proxy-authorization',
  'x-authorization',
  'authentication',
  'x-authentication',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth',
  'x-auth-key',
  'x-auth-token',
  'ocp-apim-subscription-key',
  'x-functions-key',
  'x-access-key',
  'x-session-id',
  'session-id',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-shopify-hmac-sha256',
];

/** Anywhere in a header name: `*-token`, `*-secret`, `*-signature`, `*-api-key`, passwords... */
export const SECRET_HEADER_PARTS =
  /secret|token|passw|passphrase|signature|credential|api[-_]?key|cookie|session|jwt|hmac|private[-_]?key/;

/** Whole words of a header name (split on `-`, `_`, `.`). */
export const SECRET_HEADER_WORDS: ReadonlySet<string> = new Set([
  'auth',
  'authorization',
  'authentication',
  'pwd',
  'sig',
]);

/** `<word>-key` where the word makes the key a credential (`idempotency-key` is not one). */
export const SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'auth',
  'access',
  'subscription',
  'functions',
  'function',
  'master',
  'private',
  'secret',
  'session',
  'client',
  'app',
]);

/**
 * Names that are secret only as a whole name: as a word inside a longer one they are too common
 * (`pass` in `bypass_cache`, `code` in `zip_code`, `sid` in `side_sid`, `ticket` in `ticket_count`).
 */
const EXACT_ONLY_PARAM_NAMES: ReadonlyArray<string> = [
  'pass',
  'session_id',
  'phpsessid',
  'aspsessionid',
  'sid',
  'ticket',
  'otp',
  'code',
];

/** Words of a parameter name (split on `_`, `-`, `.`, `[]` and camelCase), secret wherever they stand. */
export const SECRET_PARAM_WORDS: ReadonlySet<string> = new Set([
  'token',
  'key',
  'secret',
  'signature',
  'sig',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'auth',
  'authorization',
  'apikey',
  'credential',
  'credentials',
  'jwt',
  'session',
  'sessionid',
  'jsessionid',
]);

/** Query and matrix parameter names (exact, after decoding and lower-casing): the words and the exact-only names. */
export const SECRET_PARAM_NAMES: ReadonlyArray<string> = [...SECRET_PARAM_WORDS, ...EXACT_ONLY_PARAM_NAMES];

/** Anywhere in a parameter name. */
export const SECRET_PARAM_PARTS =
  /token|secret|password|signature|apikey|api_key|api-key|access_key|private|credential/;

/**
 * `code` is an OAuth authorization code or an Azure Functions key, unless its value is an
 * HTTP-status-like number (1-3 digits): `?code=503` is a test receiver's instruction.
 */
export const isHarmlessCodeValue = (value: string): boolean => /^\d{1,3}$/.test(value);

/** Response headers stored (values still pass the policy); the rest is dropped with a count. */
export const KEEP_RESPONSE_HEADERS: ReadonlyArray<string> = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'date',
  'server',
  'retry-after',
  // a receiver's request to stop (disable / abort-message): kept as evidence of why
  'webhook-delivery',
  'location',
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'x-amzn-requestid',
  'cf-ray',
  'etag',
  'cache-control',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
];

/** Response headers whose value is a URL (redacted like the request URL). */
export const URL_VALUED_HEADERS: ReadonlySet<string> = new Set(['location', 'content-location']);

/** The pseudo-header on a stored response that says how many headers the allow-list dropped. */
export const DROPPED_HEADERS_KEY = 'dh-dropped-headers';

/** Headers a request may not set: the worker's own Standard Webhooks headers, signed or not. */
export const WORKER_OWNED_HEADERS: ReadonlyArray<string> = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
