/** Replaces every redacted value. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
]);
const SENSITIVE_HEADER_PARTS = /secret|token|signature|password|api-key|apikey|api_key/i;

/** Whether a header's value must not be stored (case-insensitive); `extraNames` are exact names. */
export const isSensitiveHeaderName = (name: string, extraNames: ReadonlyArray<string> = []): boolean => {
  const lower = name.trim().toLowerCase();
  return (
    SENSITIVE_HEADERS.has(lower) ||
    SENSITIVE_HEADER_PARTS.test(lower) ||
    extraNames.some((extra) => extra.trim().toLowerCase() === lower)
  );
};

const SENSITIVE_PARAM_WORDS = new Set([
  'token',
  'key',
  'secret',
  'signature',
  'sig',
  'password',
  'passwd',
  'pwd',
  'auth',
  'authorization',
  'code',
  'apikey',
  'credential',
  'credentials',
  'jwt',
  'session',
]);
const SENSITIVE_PARAM_PARTS = /token|secret|password|signature|apikey|api_key|api-key|access_key|private/i;

/**
 * Whether a query parameter's value must not be stored. Matches when the name, split
 * into words (`_`, `-`, `.`, camelCase), contains one of token, key, secret,
 * signature, sig, password, auth, code, ... or when it contains token/secret/
 * password/signature/apikey anywhere (case-insensitive). `access_token`, `api_key`,
 * `X-Amz-Signature`, `apiKey`, `client_secret` all match; `keyword`, `page` do not.
 */
export const isSensitiveParamName = (name: string, extraNames: ReadonlyArray<string> = []): boolean => {
  if (SENSITIVE_PARAM_PARTS.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-[\]]+/);
  const lower = name.toLowerCase();
  return words.some((w) => SENSITIVE_PARAM_WORDS.has(w)) || extraNames.some((e) => e.toLowerCase() === lower);
};
