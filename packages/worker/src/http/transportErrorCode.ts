import type { TransportErrorCode } from '@delivery-history/core';

// ---------------------------------------------------------------------------
// undici / node errors -> the closed set of codes core classifies.
// ---------------------------------------------------------------------------

const PASS_THROUGH: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'BLOCKED_TARGET',
]);

const UNDICI: Readonly<Record<string, TransportErrorCode>> = {
  UND_ERR_CONNECT_TIMEOUT: 'CONNECT_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'RESPONSE_TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'BODY_TIMEOUT',
  UND_ERR_HEADERS_OVERFLOW: 'RESPONSE_TOO_LARGE',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'RESPONSE_TOO_LARGE',
  // "other side closed": the peer dropped the connection mid-exchange
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_INVALID_ARG: 'INVALID_URL',
  ENOTFOUND: 'ENOTFOUND',
};

const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL)/;

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const fromCode = (code: string | undefined): TransportErrorCode | undefined => {
  if (code === undefined) return undefined;
  if (PASS_THROUGH.has(code)) return code as TransportErrorCode;
  if (Object.hasOwn(UNDICI, code)) return UNDICI[code];
  return TLS.test(code) ? 'TLS_ERROR' : undefined;
};

/** The most specific code found on the error or its causes; NETWORK_ERROR otherwise. */
export const transportErrorCode = (error: unknown): TransportErrorCode => {
  // A socket error may wrap the errno that says what really happened (ECONNRESET...).
  const cause = (error as { cause?: unknown } | null)?.cause;
  const own = fromCode(codeOf(error));
  const inner = fromCode(codeOf(cause));
  if (own === 'ECONNRESET' && inner !== undefined) return inner;
  return own ?? inner ?? 'NETWORK_ERROR';
};

export const errorMessage = (error: unknown): string => {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
};
